/**
 * Under Jest the synchronous-read worker runs the TypeScript sources through a loader
 * (spec/support/sync-worker.mjs), so the synchronous path is tested as it is in lib/, never as a
 * possibly stale build in dist/.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clearIdentityMaps, configure, requestSync, resetConfiguration } from '../../../lib/index.js';
import { workerModules } from '../../support/sync-worker-control.js';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.js';

const source = (path: string): string => pathToFileURL(join(process.cwd(), path)).href;
let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => resetConfiguration());

it('a synchronous read is sent by lib/http/worker.ts and lib/http/send.ts from source, and nothing of the project from dist/', () => {
  configure({ endpoint: server.url, accessKey: 'ak', secretKey: 'sk', envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
  expect(requestSync('GET', 'admin/Job').statusCode).toBe(200);
  const modules = workerModules();
  expect(modules).toEqual(expect.arrayContaining([source('lib/http/worker.ts'), source('lib/http/send.ts'), source('lib/http/signing.ts')]));
  expect(modules.filter((url) => url.startsWith(source('dist/')))).toEqual([]);
  expect(modules.filter((url) => url.startsWith(source('lib/')) && !url.endsWith('.ts'))).toEqual([]);
});
