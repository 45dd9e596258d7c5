/**
 * The wire shapes under their former path: they live in lib/wire.ts, below both the configuration
 * and the transport. Kept for the importers not yet moved to lib/wire.ts.
 */
export type { HttpMethod, RetryPolicy, Timeouts, Transport, WireError, WireRequest, WireResponse } from '../wire.js';
