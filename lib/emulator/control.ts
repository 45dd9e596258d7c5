/**
 * Unsigned control routes under `/__emulator/` — how tests in another thread or process read the
 * request log and steer the emulator. Never signed, never logged, never faulted. JSON in and out;
 * errors use the DCM error body `{"error":{"message":...}}` (400 bad input, 404 unknown route/type).
 *
 *   GET    /__emulator/log      → 200 RequestLogEntry[] (oldest first; see ./types.ts):
 *                                 {seq, time, method, path, resource, query, status (0 = reset),
 *                                  durationMs, accessKey?, faults?: ["<rule>:status:503", ...]}
 *   DELETE /__emulator/log      clear it                                               → 204
 *   GET    /__emulator/faults   → 200 FaultRule[] (the active rules, as given)
 *   PUT    /__emulator/faults   body FaultRule[] replaces the rules and restarts the fault PRNG
 *                               from the seed → 204; 400 naming the bad member
 *                               FaultRule: {path?, pathRegex?, methods?, latencyMs?, status?,
 *                               retryAfter?, message?, reset?, rate?, phase?: "before"|"after",
 *                               times?, maxConsecutive?, name?}
 *   DELETE /__emulator/faults   remove all rules                                       → 204
 *   GET    /__emulator/state    → 200 StateSummary: {counts: {"infrastructure/Server": n, ...},
 *                                 jobs: {"RUNNING": n, "COMPLETE": n, "ERROR": n}, pendingEvents,
 *                                 logEntries, faultRules, apiVersion, seed}
 *   GET    /__emulator/items/<scope>/<Type>
 *                               → 200 stored records of that type in basic form, insertion order
 *                                 (e.g. count servers by name after a fault run); the secretKey
 *                                 of admin/ApiKey items is "[redacted]" (these routes are unsigned)
 *   POST   /__emulator/reset    back to seed data, initial faults, empty log           → 204
 *
 * A request from a browser whose Origin is not the emulator's own, or that is cross-site
 * (Sec-Fetch-Site), is refused with 403 before it reaches these routes (./dashboard/guard.ts), so a
 * web page cannot reset the emulator or change its faults; requests without those headers (the
 * library, scripts, curl) are unaffected. The dashboard's own routes are in ./dashboard/routes.ts.
 */
import { ApiError, errorBody } from './api-error.js';
import type { Reply } from './context.js';
import type { Emulator } from './emulator.js';
import { validateFaults } from './faults.js';

function route(emu: Emulator, method: string, path: string, text: string): Reply {
  const key = `${method} ${path.replace(/\/+$/, '')}`;
  switch (key) {
    case 'GET /log':
      return { status: 200, body: emu.log.list() };
    case 'DELETE /log':
      emu.log.clear();
      return { status: 204 };
    case 'GET /faults':
      return { status: 200, body: emu.faults.rules() };
    case 'PUT /faults': {
      let rules: unknown;
      try {
        rules = JSON.parse(text || '[]');
      } catch (e) {
        throw ApiError.badRequest(`request body is not valid JSON: ${(e as Error).message}`);
      }
      emu.faults.set(validateFaults(rules));
      return { status: 204 };
    }
    case 'DELETE /faults':
      emu.faults.set([]);
      return { status: 204 };
    case 'GET /state':
      return { status: 200, body: emu.summary() };
    case 'POST /reset':
      emu.reset();
      return { status: 204 };
    default:
      if (method === 'GET' && key.startsWith('GET /items/')) return { status: 200, body: emu.items(key.slice('GET /items/'.length)) };
      throw new ApiError(404, `Unknown control route ${method} /__emulator${path}; see lib/emulator/control.ts`);
  }
}

export function handleControl(emu: Emulator, method: string, path: string, text: string): Reply {
  try {
    return route(emu, method.toUpperCase(), path, text);
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: errorBody(e.message) };
    return { status: 500, body: errorBody((e as Error).message) };
  }
}
