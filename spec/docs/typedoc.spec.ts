/**
 * The API reference: TypeDoc over the package's entry points (typedoc.json) with warnings as
 * errors, so every exported class, function, type, method and accessor keeps a doc comment and
 * every `{@link}` resolves. Nothing is written (`--emit none`); `npm run docs` writes docs/api/.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

it('generates the API reference without a single warning', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none', '--logLevel', 'Warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const output = `${r.stdout}${r.stderr}`;
  expect(output.split('\n').filter((line) => /warning|error/i.test(line))).toEqual([]);
  expect(r.status).toBe(0);
}, 120_000);
