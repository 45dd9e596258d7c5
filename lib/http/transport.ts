/**
 * The transport: the replaceable last step of the request pipeline. The default
 * sends with got in-process for async calls and through the worker bridge for synchronous ones;
 * both fail with the same {@link TransportFailure} when no usable response arrived.
 * Specs (or users) can inject their own with `configure({ transport })`; the client uses this one
 * when none is configured.
 */
import { admitRetry } from './budget.js';
import { send } from './send.js';
import { syncBridge } from './bridge.js';
import type { Transport } from '../wire.js';

export type { Transport } from '../wire.js';
export { TransportFailure } from './failure.js';

/** The transport used when none is configured: got in-process, the worker bridge for synchronous reads. */
export const defaultTransport: Transport = {
  // Runs in the request's context: each retry is counted against its budgets when made.
  send: (request, options) => send(request, admitRetry, options),
  sendSync: (request, timeoutMs) => syncBridge.call(request, timeoutMs),
};
