/**
 * What one journal line holds of a body (lib/journal/journal.ts, `bodyText`): one-line JSON with
 * nothing to redact as received; JSON with a secret-named member, or spread over several lines,
 * parsed and redacted onto one line; text that is not JSON cut to its start, with no part of the
 * secret key even when the key straddles the cut.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureJournal, flushJournal, journalFile, journalIntent, journalOutcome, resetJournal } from '../../../lib/journal/journal.js';

const SECRET = 'Zq7-lines-SECRET-4c1e9b2f';
const URL_ROOT = 'http://127.0.0.1:9/api/enstratus/2015-05-25';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mixcoatl-lines-'));
  configureJournal({ dir });
});

afterEach(() => {
  resetJournal();
  rmSync(dir, { recursive: true, force: true });
});

/** The lines written for one PUT whose body and answer are given. */
async function linesFor(body: string, answer: string): Promise<string[]> {
  const ticket = journalIntent({ method: 'PUT', path: 'infrastructure/Volume/7', body, url: `${URL_ROOT}/infrastructure/Volume/7`, accessKey: 'LINESKEY', secretKey: SECRET });
  expect(ticket).toBeDefined();
  journalOutcome(ticket, { status: 200, responseBody: answer });
  await flushJournal();
  return readFileSync(journalFile(URL_ROOT, 'LINESKEY'), 'utf8').trim().split('\n');
}

/** Every piece of the secret of `n` characters or more found in `text`. */
function piecesOfSecret(text: string, n = 6): string[] {
  const found: string[] = [];
  for (let i = 0; i + n <= SECRET.length; i++) if (text.includes(SECRET.slice(i, i + n))) found.push(SECRET.slice(i, i + n));
  return found;
}

it('keeps one-line JSON with nothing to redact as it was sent and received', async () => {
  const body = '{"describeVolume":[{"description":"a  b","label":"\\u00e9"}]}';
  const answer = '{"volumes":[{"volumeId":7,"sizeInGb":10}]}';
  const [intent, outcome] = await linesFor(body, answer);
  expect(intent).toContain(`"arguments":${body},`);
  expect(outcome).toContain(`"result":${answer},`);
  expect(JSON.parse(intent)).toMatchObject({ serial: 1, phase: 'sent', method: 'PUT', arguments: JSON.parse(body) });
});

it('redacts a secret-named member, and puts JSON spread over several lines on one', async () => {
  const body = JSON.stringify({ addApiKey: [{ description: 'x', secretKey: 'not-this' }] });
  const answer = JSON.stringify({ volumes: [{ volumeId: 7, description: 'spread' }] }, null, 2);
  const lines = await linesFor(body, answer);
  expect(lines).toHaveLength(2);
  expect(JSON.parse(lines[0]).arguments).toEqual({ addApiKey: [{ description: 'x', secretKey: '[redacted]' }] });
  expect(JSON.parse(lines[1]).result).toEqual(JSON.parse(answer));
  expect(lines.join('\n')).not.toContain('not-this');
});

it('cuts text that is not JSON to its start, with no part of the secret key, even across the cut', async () => {
  for (const at of [1990, 1995, 2000 - SECRET.length + 3]) {
    const answer = `${'x'.repeat(at)}${SECRET}${'y'.repeat(5000)}`;
    const lines = await linesFor('{"detach":[{}]}', answer);
    const outcome = lines[lines.length - 1];
    expect(JSON.parse(outcome).result.length).toBeLessThan(2100);
    expect({ at, pieces: piecesOfSecret(readFileSync(journalFile(URL_ROOT, 'LINESKEY'), 'utf8')) }).toEqual({ at, pieces: [] });
  }
});
