/**
 * The transport: the replaceable last step of the request pipeline. The default
 * sends with got in-process for async calls and through the worker bridge for synchronous ones.
 * Specs (or users) can inject their own with `configure({ transport })`; the client uses this one
 * when none is configured.
 */
import { admitRetry } from './budget.js';
import { send, WireFailure } from './send.js';
import { BridgeError, syncBridge } from './bridge.js';
import type { Transport, WireError } from './wire.js';

export type { Transport } from './wire.js';

/** A transport-level failure (no usable response), as plain data. */
export class TransportFailure extends Error {
  /**
   * Wraps the error as it crossed the transport; the client turns it into a typed error.
   * @param wire The error's name, code, message and what is known of the response.
   */
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

function asFailure(error: unknown): unknown {
  if (error instanceof WireFailure || error instanceof BridgeError) return new TransportFailure(error.wire);
  return error;
}

export const defaultTransport: Transport = {
  async send(request) {
    try {
      // Runs in the request's context: each retry is counted against its budgets when made.
      return await send(request, admitRetry);
    } catch (error) {
      throw asFailure(error);
    }
  },
  sendSync(request, timeoutMs) {
    try {
      return syncBridge.call(request, timeoutMs);
    } catch (error) {
      throw asFailure(error);
    }
  },
};
