import nock from 'nock';
import { inspect } from 'node:util';
import * as api from '../../lib/index.js';
import { errorClassForStatus } from '../../lib/errors.js';

const { configure, resetConfiguration, request, DcmError, UsageError } = api;
const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';
const SECRET = 'S3CRET-never-shown';

describe('errors', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => configure({ endpoint: `${API}${BASE}`, accessKey: 'AKEY', secretKey: SECRET, envFile: false, retry: { limit: 0 } }));
  afterEach(() => {
    nock.cleanAll();
    resetConfiguration();
  });

  it.each([
    [400, 'BadRequestError', 'EBADREQUEST'],
    [401, 'AuthenticationError', 'EAUTH'],
    [403, 'ForbiddenError', 'EFORBIDDEN'],
    [404, 'NotFoundError', 'ENOTFOUND'],
    [409, 'ConflictError', 'ECONFLICT'],
    [429, 'RateLimitError', 'ERATELIMIT'],
    [500, 'ServerError', 'ESERVER'],
    [503, 'ServerError', 'ESERVER'],
  ])('status %i becomes %s with the API message', async (status, name, code) => {
    nock(API).get(`${BASE}/admin/Job/5`).reply(status, { error: { message: 'No such job ID: 5' } });
    const error = (await request('GET', 'admin/Job/5').catch((e: unknown) => e)) as InstanceType<typeof DcmError>;
    expect(error).toBeInstanceOf(DcmError);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf((api as unknown as Record<string, new () => Error>)[name]);
    expect(errorClassForStatus(status).name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.statusCode).toBe(status);
    expect(error.message.startsWith('No such job ID: 5')).toBe(true);
  });

  it('keeps request (signature redacted) and response non-enumerable and out of JSON and inspect', async () => {
    nock(API).get(`${BASE}/admin/Job/5`).reply(404, { error: { message: 'gone' } });
    const error = (await request('GET', 'admin/Job/5').catch((e: unknown) => e)) as InstanceType<typeof DcmError>;
    expect(Object.keys(error)).not.toContain('request');
    expect(Object.keys(error)).not.toContain('response');
    expect(error.request?.method).toBe('GET');
    expect(error.request?.headers?.['x-esauth-signature']).toBe('[redacted]');
    expect(error.response?.statusCode).toBe(404);
    const outputs = [JSON.stringify(error), inspect(error), inspect(error, { showHidden: true, depth: 5 }), String(error.stack), JSON.stringify(error.request)];
    for (const text of outputs) expect(text).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'NotFoundError', code: 'ENOTFOUND', statusCode: 404, message: error.message, request: { method: 'GET', url: `${API}${BASE}/admin/Job/5` } });
  });

  it('falls back to the raw body when the error body is not the DCM shape', async () => {
    nock(API).get(`${BASE}/admin/Job/6`).reply(502, '<html>Bad gateway</html>');
    await expect(request('GET', 'admin/Job/6')).rejects.toThrow(/<html>Bad gateway<\/html>/);
    nock(API).get(`${BASE}/admin/Job/7`).reply(500, { unexpected: true });
    await expect(request('GET', 'admin/Job/7')).rejects.toThrow(/\{"unexpected":true\}/);
  });

  it('gives every class a stable name and code, in two branches', () => {
    const names = ['DcmError', 'BadRequestError', 'AuthenticationError', 'ForbiddenError', 'NotFoundError', 'ConflictError', 'RateLimitError', 'ServerError', 'NetworkError', 'TimeoutError', 'ResponseError', 'JobFailedError'];
    for (const name of names) {
      const Cls = (api as unknown as Record<string, new (o: { message: string }) => Error & { code: string }>)[name];
      const error = new Cls({ message: 'x' });
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(DcmError);
      expect(typeof error.code).toBe('string');
    }
    for (const name of ['UsageError', 'ConfigError', 'NotLoadedError', 'ValidationError', 'MetadataError']) {
      const Cls = (api as unknown as Record<string, new (o: { message: string }) => Error & { code: string }>)[name];
      const error = new Cls({ message: 'x' });
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(UsageError);
      expect(error).not.toBeInstanceOf(DcmError);
    }
  });

  it('reports a refused connection as NetworkError', async () => {
    nock.enableNetConnect('127.0.0.1');
    try {
      configure({ endpoint: 'http://127.0.0.1:1/api/enstratus/2015-05-25' });
      const error = (await request('GET', 'admin/Job').catch((e: unknown) => e)) as InstanceType<typeof DcmError>;
      expect(error.name).toBe('NetworkError');
      expect(error.code).toBe('ECONNREFUSED');
      expect(error.statusCode).toBeUndefined();
    } finally {
      nock.disableNetConnect();
    }
  });

  it('reports a body that is not JSON, or an envelope without the collection, as ResponseError', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/1`).reply(200, '<html>maintenance</html>');
    await expect(api.Server.get(1)).rejects.toMatchObject({ name: 'ResponseError', code: 'EBADJSON' });
    nock(API).get(`${BASE}/infrastructure/Server/1`).reply(200, { volumes: [] });
    await expect(api.Server.get(1)).rejects.toMatchObject({ name: 'ResponseError', code: 'EENVELOPE' });
  });
});
