/**
 * The transport: the replaceable last step of the request pipeline (STYLE.md §9). The default
 * sends with got in-process for async calls and through the worker bridge for synchronous ones.
 * Specs (or users) can inject their own with `configure({ transport })`.
 */
import { send, WireFailure } from './send.js';
import { BridgeError, syncBridge } from '../sync/bridge.js';
import type { WireError, WireRequest, WireResponse } from './wire.js';

export interface Transport {
  /** Sends the request; rejects with a TransportFailure when no response arrived. */
  send(request: WireRequest): Promise<WireResponse>;
  /** Sends and blocks until the response. Optional: without it, lazy synchronous reads fail. */
  sendSync?(request: WireRequest, timeoutMs: number): WireResponse;
}

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
      return await send(request);
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
