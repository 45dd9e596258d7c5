/**
 * Shared set-up of the resource specs: one fake API root for nock, a fresh configuration and
 * identity map per test, and a recorder of requests that matched no interceptor (so a spec can
 * assert that NOTHING was sent).
 */
import nock from 'nock';
import { clearIdentityMaps, configure, configureJobs, resetConfiguration } from '../../lib/index.js';

export const API = 'https://dcm.test';
export const BASE = '/api/enstratus/2015-05-25';

/** Requests that reached nock without a matching interceptor, as `METHOD path`. */
export const unmatched: string[] = [];

function onNoMatch(req: { method?: string; path?: string }): void {
  unmatched.push(`${req.method ?? '?'} ${req.path ?? '?'}`);
}

/** Installs the per-test hooks; call once at the top of a spec file. */
export function useNockApi(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.emitter.on('no match', onNoMatch);
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.enableNetConnect();
  });
  beforeEach(() => {
    configure({ endpoint: `${API}${BASE}`, accessKey: 'ak', secretKey: 'sk', envFile: false, retry: { limit: 0 }, lazy: 'async' });
    configureJobs({ intervalMs: 0 });
    clearIdentityMaps();
    unmatched.length = 0;
  });
  afterEach(() => {
    nock.cleanAll();
    configureJobs();
    resetConfiguration();
  });
}

/** JSON round trip: resource objects become their attributes (toJSON), as on the wire. */
export function plain(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
