/**
 * Local emulator of the Dell Cloud Manager / enStratus REST API, for integration
 * tests of the client and CLI and for trying the tools offline.
 *
 * - Serves `/api/enstratus/<version>/<scope>/<Type>[/<id>]` for 2015-05-25 (current), 2015-01-28
 *   and 2014-07-30, plus the unsigned versions listing `GET /api/enstratus`, on 127.0.0.1.
 * - Verifies HMAC-SHA256 request signatures on its own (never with the client's code); failures
 *   are 403 with a message naming the failed check. Demo pair: DEMO_ACCESS_KEY / DEMO_SECRET_KEY.
 * - All 39 resource types with deterministic seed data (the API's sample payloads included),
 *   filters, `x-es-details` basic/extended, HEAD `x-es-count`, and every documented write with
 *   validation naming the bad member.
 * - Jobs and the server state machine advance on a clock (`jobDelayMs`, 0 = one step per request).
 *   ERROR trigger: an asynchronous action whose payload has a `name` starting with `fail-`, or a
 *   `description`/`reason` containing `[fail]`, ends its job in ERROR (`Simulated failure: …`).
 * - Fault injection (latency, 500/503/429 + Retry-After, connection reset, before/after applying,
 *   reproducible from the seed), a request log, unsigned control routes under `/__emulator/` (log,
 *   faults, state summary, stored items, reset — shapes in ./control.ts), and optional persistence
 *   to a JSON state file written atomically, validated in full (./state-schema.ts) before use.
 * - A dashboard page at `/__emulator/dashboard/` (`handle.dashboardUrl`; ./dashboard/routes.ts):
 *   resources, jobs, the live request log, fault rules and state, for browsers on this machine;
 *   the control routes refuse foreign origins and cross-site requests (./dashboard/guard.ts).
 * - `dcm sim` reads its arguments (lib/cli/commands/sim.ts) and calls serveSim (./sim.ts);
 *   `node dist/lib/cli/sim-main.js` runs it stand-alone.
 *
 * @module mixcoatl/emulator
 */
/// <reference types="node" preserve="true" />
export { DEMO_ACCESS_KEY, DEMO_SECRET_KEY, CURRENT_API_VERSION, SUPPORTED_API_VERSIONS } from './constants.js';
export type { EmulatorHandle, EmulatorOptions, FaultRule, RequestLogEntry, StateSummary } from './types.js';
/** Start in this thread (do not use from a thread that blocks in `Atomics.wait`). */
export { startEmulator, type HostingExtras } from './server.js';
/** Start in a worker thread / a child node process; both need the compiled `dist/`. */
export { startEmulatorInWorker, spawnEmulator } from './launch.js';
/** Implementation of `dcm sim`. */
export { serveSim, type SimIo, type SimOptions } from './sim.js';
/** Why the emulator refused its state file: `file`, and `problems` as `{ at: JSON path, problem }`. */
export { StateFileError } from './persistence.js';
export type { StateProblem } from './state-schema.js';
