/**
 * Imports every resource class, so the registry (and with it the `dcm` command, the completion
 * script and the console) knows all of them. Only the commands that need resources call this.
 * One of the two modules of lib/ that import resources/.
 */
import type { CliIO } from './io.js';
import { resetCatalog } from './catalog.js';

let loaded: Promise<Record<string, unknown>> | undefined;

/** The library's root module and every resource class by name. */
export function loadResources(io: Pick<CliIO, 'stderr'>): Promise<Record<string, unknown>> {
  loaded ??= (async () => {
    const root = (await import('../index.js')) as Record<string, unknown>;
    const scopes = await Promise.allSettled([
      import('../../resources/admin/index.js'),
      import('../../resources/analytics/index.js'),
      import('../../resources/automation/index.js'),
      import('../../resources/geography/index.js'),
      import('../../resources/infrastructure/index.js'),
      import('../../resources/network/index.js'),
      import('../../resources/platform/index.js'),
    ]);
    const names = ['admin', 'analytics', 'automation', 'geography', 'infrastructure', 'network', 'platform'];
    const all: Record<string, unknown> = { ...root };
    scopes.forEach((result, i) => {
      if (result.status === 'fulfilled') Object.assign(all, result.value);
      else io.stderr.write(`dcm: warning: the ${names[i]} resources could not be loaded: ${(result.reason as Error)?.message ?? String(result.reason)}\n`);
    });
    resetCatalog();
    return all;
  })();
  return loaded;
}
