import { redact, redactAlso } from '../../../lib/cli/redact.js';
import { REDACTED_MARK as REDACTED } from '../../../lib/redaction.js';

describe('redact', () => {
  const env = { DCM_SECRET_KEY: 'example/secret=', ES_SECRET_KEY: 'legacySecret42' };

  it('replaces the values of DCM_SECRET_KEY and ES_SECRET_KEY wherever they appear', () => {
    expect(redact('key example/secret= and legacySecret42 again example/secret=', env)).toBe(
      `key ${REDACTED} and ${REDACTED} again ${REDACTED}`,
    );
  });

  it('replaces percent-encoded and JSON-escaped spellings of the secret', () => {
    expect(redact('GET /x?k=example%2Fsecret%3D', env)).toBe(`GET /x?k=${REDACTED}`);
    expect(redact(String.raw`{"k": "back\\slash\"q"}`, { DCM_SECRET_KEY: 'back\\slash"q' })).toBe(`{"k": "${REDACTED}"}`);
  });

  it('replaces a secret read with stray whitespace, in either form', () => {
    expect(redact('s3cr3t and " s3cr3t\n"', { DCM_SECRET_KEY: ' s3cr3t\n' })).toBe(`${REDACTED} and "${REDACTED}"`);
  });

  it('leaves text alone when no secret is configured or it is empty', () => {
    expect(redact('nothing to hide', {})).toBe('nothing to hide');
    expect(redact('nothing to hide', { DCM_SECRET_KEY: '', ES_SECRET_KEY: undefined })).toBe('nothing to hide');
  });

  it('replaces the longer secret first so no fragment survives', () => {
    expect(redact('abcdef', { DCM_SECRET_KEY: 'abc', ES_SECRET_KEY: 'abcdef' })).toBe(REDACTED);
  });

  it.each([
    ['x-esauth-signature: sKrgDHy0wSdbtI4UXbUGtl6DFoG8+XU2DcN45B9BLbc=', `x-esauth-signature: ${REDACTED}`],
    ['X-Esauth-Signature:abc+/=', `X-Esauth-Signature:${REDACTED}`],
    ['{"x-esauth-signature":"abc=","x-esauth-access":"AK"}', `{"x-esauth-signature":"${REDACTED}","x-esauth-access":"AK"}`],
    ["{ 'x-esauth-signature': 'abc=', other: 1 }", `{ 'x-esauth-signature': '${REDACTED}', other: 1 }`],
    ['x-esauth-signature=abc&b=1', `x-esauth-signature=${REDACTED}&b=1`],
    ['DCM_SECRET_KEY=from/profile=', `DCM_SECRET_KEY=${REDACTED}`],
    ['es_secret_key: "quoted"', `es_secret_key: "${REDACTED}"`],
  ])('redacts labelled secrets: %s', (input, expected) => {
    expect(redact(input, {})).toBe(expected);
  });

  it('replaces a secret key resolved from elsewhere (a profile file) once it is known, in every spelling', () => {
    expect(redact('key pro/file-secret here', {})).toBe('key pro/file-secret here');
    redactAlso('pro/file-secret');
    expect(redact('key pro/file-secret here, pro%2Ffile-secret', {})).toBe(`key ${REDACTED} here, ${REDACTED}`);
  });

  it('keeps the access key and other headers', () => {
    expect(redact('x-esauth-access: AK x-esauth-timestamp: 1356377753158', {})).toBe('x-esauth-access: AK x-esauth-timestamp: 1356377753158');
  });
});
