import { ExitCode, exitCodeFor, formatErrorLine, handleError } from '../../../lib/cli/errors.js';
import { ParamsError, parseParams } from '../../../lib/cli/params/index.js';
import * as clientErrors from '../../../lib/errors.js';
import { Job, JobFailedError } from '../../../lib/orm/job.js';
import { fakeIO } from './fake-io.js';

/** An error as the client would build it: matched by name, so any class with that name will do. */
function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: name, enumerable: false });
  return Object.assign(error, extra);
}

function paramsErrorFrom(text: string): ParamsError {
  try {
    parseParams(text);
  } catch (error) {
    return error as ParamsError;
  }
  throw new Error('no error');
}

const env = {};

describe('exitCodeFor', () => {
  it.each([
    ['ParamsError', 2],
    ['UsageError', 2],
    ['ValidationError', 2],
    ['ConfigError', 2],
    ['AuthenticationError', 3],
    ['ForbiddenError', 3],
    ['NotFoundError', 4],
    ['ConflictError', 5],
    ['NetworkError', 6],
    ['TimeoutError', 6],
    ['JobFailedError', 7],
    ['BadRequestError', 8],
    ['RateLimitError', 9],
    ['ServerError', 10],
    ['ResponseError', 11],
    ['AbortError', 130],
    ['NotLoadedError', 1],
    ['MetadataError', 1],
    ['DcmError', 1],
    ['TypeError', 1],
    ['Error', 1],
  ])('%s → %i', (name, code) => {
    expect(exitCodeFor(named(name, 'm'))).toBe(code);
  });

  it.each([
    [400, 8],
    [401, 3],
    [403, 3],
    [404, 4],
    [409, 5],
    [429, 9],
    [500, 10],
    [503, 10],
    [418, 1],
  ])('maps an error of another name by its status %i → %i', (statusCode, code) => {
    expect(exitCodeFor(named('DcmError', 'm', { statusCode }))).toBe(code);
    expect(exitCodeFor(named('SomeNewError', 'm', { statusCode }))).toBe(code);
  });

  it('lets the name win over the status', () => {
    expect(exitCodeFor(named('JobFailedError', 'm', { statusCode: 200 }))).toBe(ExitCode.JOB_FAILED);
  });

  it.each([
    ['ENOENT', 2],
    ['EACCES', 2],
    ['EISDIR', 2],
    ['ECONNREFUSED', 6],
    ['ENOTFOUND', 6],
    ['ECONNRESET', 6],
    ['ETIMEDOUT', 6],
    ['EWHATEVER', 1],
  ])('maps Node system error code %s → %i', (code, exit) => {
    expect(exitCodeFor(Object.assign(new Error('m'), { code }))).toBe(exit);
  });

  it('treats values that are not errors as internal errors', () => {
    expect(exitCodeFor('boom')).toBe(1);
    expect(exitCodeFor(undefined)).toBe(1);
    expect(exitCodeFor(null)).toBe(1);
    expect(exitCodeFor({ name: 42 })).toBe(1);
  });

  it("maps the client's own error classes (lib/errors.ts) by their names", () => {
    const cases: [Error, number][] = [
      [clientErrors.errorForStatus({ statusCode: 404, message: 'no Server with id 5' }), 4],
      [clientErrors.errorForStatus({ statusCode: 403, message: 'bad signature' }), 3],
      [clientErrors.errorForStatus({ statusCode: 409, message: 'busy' }), 5],
      [clientErrors.errorForStatus({ statusCode: 503, message: 'down' }), 10],
      [clientErrors.errorForStatus({ statusCode: 429, message: 'slow down' }), 9],
      [new clientErrors.ConfigError({ message: 'missing DCM_ACCESS_KEY' }), 2],
      [new clientErrors.ValidationError({ message: 'bad' }), 2],
      [new clientErrors.NetworkError({ message: 'refused' }), 6],
      [new JobFailedError({ message: 'failed', job: new Job(1) }), 7],
    ];
    for (const [error, code] of cases) expect([error.name, exitCodeFor(error)]).toEqual([error.name, code]);
  });
});

describe('exit codes by status', () => {
  it("an error known only by its status exits as the library's error for that status does (one table, lib/errors.ts)", () => {
    const statuses = [301, 302, 307, 400, 401, 403, 404, 405, 409, 410, 422, 429, 500, 502, 503, 504];
    for (const statusCode of statuses) {
      const typed = clientErrors.errorForStatus({ statusCode, message: 'typed' });
      expect([statusCode, exitCodeFor(named('SomeProxyError', 'untyped', { statusCode }))]).toEqual([statusCode, exitCodeFor(typed)]);
    }
  });
});

describe('formatErrorLine', () => {
  const tool = 'dcm-get';

  it('prints <tool>: <Name>: <message> (<status>)', () => {
    const error = named('NotFoundError', 'no Server with id 5', { statusCode: 404 });
    expect(formatErrorLine(error, { tool, env })).toBe('dcm-get: NotFoundError: no Server with id 5 (404)');
  });

  it('does not repeat a status the message already shows', () => {
    const error = named('NotFoundError', 'no Server with id 5 (404)', { statusCode: 404 });
    expect(formatErrorLine(error, { tool, env })).toBe('dcm-get: NotFoundError: no Server with id 5 (404)');
  });

  it('prints usage errors by name, without a status', () => {
    expect(formatErrorLine(named('ConfigError', 'missing DCM_ACCESS_KEY'), { tool, env })).toBe('dcm-get: ConfigError: missing DCM_ACCESS_KEY');
  });

  it('keeps the excerpt and caret of a ParamsError', () => {
    const line = formatErrorLine(paramsErrorFrom("{'a': os.getcwd()}"), { tool, env });
    expect(line.split('\n')).toEqual([
      "dcm-get: ParamsError: expected a value (string, number, True, False, None, list or dict) but found the name 'os' (names are never evaluated) at column 7",
      "  {'a': os.getcwd()}",
      '        ^',
    ]);
  });

  it('lists the problems of a ValidationError', () => {
    const error = named('ValidationError', '2 problems', { problems: ['name is required', 'size must be\npositive'] });
    expect(formatErrorLine(error, { tool, env })).toBe('dcm-get: ValidationError: 2 problems\n  - name is required\n  - size must be positive');
  });

  it('prints Node system errors as their message', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'x.json'"), { code: 'ENOENT' });
    expect(formatErrorLine(error, { tool: 'dcm-post', env })).toBe("dcm-post: ENOENT: no such file or directory, open 'x.json'");
  });

  it('prints anything unrecognised as an internal error', () => {
    expect(formatErrorLine(new TypeError('x is not a function'), { tool, env })).toBe('dcm-get: internal error: x is not a function');
    expect(formatErrorLine('thrown string', { tool, env })).toBe('dcm-get: internal error: thrown string');
    expect(formatErrorLine({ weird: true }, { tool, env })).toBe('dcm-get: internal error: { weird: true }');
    expect(formatErrorLine(new Error(''), { tool, env })).toBe('dcm-get: internal error: (no message)');
  });

  it('collapses a multi-line message to one line and shortens a huge one', () => {
    const html = `<html>\n<body>\n${'x'.repeat(2000)}\n</body></html>`;
    const line = formatErrorLine(named('ServerError', html, { statusCode: 502 }), { tool, env });
    expect(line).not.toContain('\n');
    expect(line.startsWith('dcm-get: ServerError: <html> <body> xxx')).toBe(true);
    expect(line.endsWith('… (502)')).toBe(true);
    expect(line.length).toBeLessThan(600);
  });

  it('never prints a stack without DCM_DEBUG', () => {
    const error = named('NotFoundError', 'gone', { statusCode: 404 });
    expect(formatErrorLine(error, { tool, env: {} })).not.toContain('    at ');
    expect(formatErrorLine(new TypeError('bug'), { tool, env: {} })).not.toContain('    at ');
  });

  it('prints the stack, the request and the causes with DCM_DEBUG (any value)', () => {
    const cause = new Error('socket hang up');
    const error = named('NetworkError', 'request failed', { cause });
    Object.defineProperty(error, 'request', { value: { method: 'GET', url: 'https://h/api/enstratus/2015-05-25/admin/Job' } });
    const text = formatErrorLine(error, { tool, env: { DCM_DEBUG: '' } });
    const lines = text.split('\n');
    expect(lines[0]).toBe('dcm-get: NetworkError: request failed');
    expect(text).toContain('    at ');
    expect(text).toContain('Request: GET https://h/api/enstratus/2015-05-25/admin/Job');
    expect(text).toContain('Caused by: Error: socket hang up');
  });

  it('redacts secrets in messages and in debug output', () => {
    const secretEnv = { DCM_SECRET_KEY: 'top/secret=', DCM_DEBUG: '1' };
    const error = named('ForbiddenError', 'signature mismatch: x-esauth-signature: abc+/= key top/secret=', { statusCode: 403 });
    error.stack = `ForbiddenError: key top/secret=\n    at somewhere`;
    const text = formatErrorLine(error, { tool, env: secretEnv });
    expect(text).not.toContain('top/secret=');
    expect(text).not.toContain('abc+/=');
    expect(text.split('\n')[0]).toBe('dcm-get: ForbiddenError: signature mismatch: x-esauth-signature: [redacted] key [redacted] (403)');
  });
});

describe('handleError', () => {
  it('writes the line to stderr, nothing to stdout, and returns the exit code', () => {
    const io = fakeIO();
    const code = handleError(named('ConflictError', 'server is busy', { statusCode: 409 }), io, 'dcm-stop-server');
    expect(code).toBe(5);
    expect(io.stderr.text).toBe('dcm-stop-server: ConflictError: server is busy (409)\n');
    expect(io.stdout.text).toBe('');
  });
});
