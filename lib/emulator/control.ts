/**
 * Unsigned control routes under `/__emulator/` — how tests in another thread or process read the
 * request log and steer the emulator. Never logged, never faulted.
 *
 *   GET    /__emulator/log      request log (JSON array, oldest first)
 *   DELETE /__emulator/log      clear it                                   → 204
 *   GET    /__emulator/faults   active fault rules
 *   PUT    /__emulator/faults   replace them with the JSON array body      → 204 (400 on a bad rule)
 *   DELETE /__emulator/faults   remove all rules                           → 204
 *   GET    /__emulator/state    summary: counts per type, jobs per status, pending clock events
 *   POST   /__emulator/reset    back to seed data, initial faults, empty log → 204
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
