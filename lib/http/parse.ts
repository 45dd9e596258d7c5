/**
 * Parsing a successful response: the JSON body (checked for depth and for an error it carries,
 * with the secret key replaced) and the collection under an envelope's name.
 */
import { ResponseError } from '../errors.js';
import { checkParsed, MAX_JSON_DEPTH, scrub, TooDeepError } from '../redaction.js';
import type { WireRequest } from '../wire.js';
import { summarise, type ApiResponse } from './request.js';
import { cleanExcerpt, responseSummary, secretsOf } from './response-errors.js';

/** JSON.parse's complaint without the slice of the body V8 quotes (it may cut through a secret). */
function parseFailure(error: Error): string {
  return error.message.replace(/,? ?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '');
}

/**
 * Parses a JSON body; a body that is not JSON, nests deeper than MAX_JSON_DEPTH, or is a 2xx that
 * carries an error, is a ResponseError. The value comes back with the secret key replaced in its
 * strings and member names (redaction.ts), checked in the same pass as the depth.
 */
export function parseJsonBody(response: ApiResponse, wire: WireRequest): unknown {
  if (response.statusCode === 204 || response.body === '') return null;
  const secrets = secretsOf(wire);
  let parsed: unknown;
  try {
    parsed = checkParsed(JSON.parse(response.body), wire.secretKey);
  } catch (error) {
    const tooDeep = error instanceof TooDeepError;
    throw new ResponseError({
      message: tooDeep
        ? `${response.statusCode} response nests JSON deeper than ${MAX_JSON_DEPTH} levels; refused: ${cleanExcerpt(response.body, 60, secrets)}`
        : `response is not JSON (${response.statusCode}, ${parseFailure(error as Error)}): ${cleanExcerpt(response.body, 120, secrets)}`,
      statusCode: response.statusCode,
      code: tooDeep ? 'ETOODEEP' : 'EBADJSON',
      request: summarise(wire),
      response: responseSummary(response, secrets),
    });
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const keys = Object.keys(parsed);
    const err = (parsed as { error?: { message?: unknown } }).error;
    if (keys.length === 1 && keys[0] === 'error' && err && typeof err === 'object') {
      throw new ResponseError({
        message: `${response.statusCode} response carries an error: ${typeof err.message === 'string' ? err.message : cleanExcerpt(response.body, 120, secrets)}`,
        statusCode: response.statusCode,
        code: 'EERRORBODY',
        request: summarise(wire),
        response: responseSummary(response, secrets),
      });
    }
  }
  return parsed;
}

/** The array under `collection` in an envelope, or a ResponseError. */
export function extractCollection(parsed: unknown, collection: string, response: ApiResponse, wire: WireRequest): Record<string, unknown>[] {
  const items = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>)[collection] : undefined;
  if (!Array.isArray(items) || items.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
    const found =
      parsed === null ? 'an empty body'
      : Array.isArray(parsed) ? 'a bare array'
      : typeof parsed === 'object' ? (Object.keys(parsed).length ? `members ${Object.keys(parsed).slice(0, 5).join(', ')}` : 'an empty object')
      : `a ${typeof parsed}`;
    const secrets = secretsOf(wire);
    throw new ResponseError({
      message: `${response.statusCode} response envelope has no "${collection}" array of objects (found ${scrub(found, secrets)}): ${cleanExcerpt(response.body, 120, secrets)}`,
      statusCode: response.statusCode,
      code: 'EENVELOPE',
      request: summarise(wire),
      response: responseSummary(response, secrets),
    });
  }
  return items as Record<string, unknown>[];
}
