/**
 * Runs after every spec file (setupFilesAfterEnv): when the file loaded nock, nock is restored —
 * its interceptor removed from node:http, which all files of a Jest worker share. Left in place,
 * the interceptor of a finished file keeps handling the requests of later files after Jest has
 * cleaned up that file's globals, which Jest reports as "[JEST-01] DeprecationWarning: 'emitter'
 * property was accessed on [ClientRequestInterceptor] after it was soft deleted". Files that never
 * imported nock are left alone (nock activates itself on import; loading it here would do that).
 */
const NOCK_INTERCEPTOR = Symbol.for('client-request-interceptor');

afterAll(async () => {
  if (!(NOCK_INTERCEPTOR in globalThis)) return;
  const { default: nock } = await import('nock');
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
