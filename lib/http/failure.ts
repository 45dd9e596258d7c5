/**
 * The one shape of a request that got no usable response, from the attempt that failed in `send()`
 * to the pipeline: the same class whether the request was sent in-process or by the
 * synchronous-read worker (whose failures cross the thread boundary as {@link WireError} data and
 * are turned back into this class by the bridge).
 */
import type { WireError } from '../wire.js';

/** A transport-level failure (no usable response), as plain data; the pipeline turns it into a typed error. */
export class TransportFailure extends Error {
  /**
   * Carries the failure as data; the pipeline turns it into a typed error.
   * @param wire The error's name, code, message and what is known of the response.
   * @param connectTimeout The attempt's connect timeout ran out: the request never reached the
   *   server, so even an action may be retried (read by `send()`'s retry policy only).
   */
  constructor(readonly wire: WireError, readonly connectTimeout = false) {
    super(wire.message);
  }
}
