// Drives `dcm console` the way a person would, one line at a time, and checks what each line prints.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The `dcm` executable of the installed package (or of this repository, after `npm run build`).
const pkgJson = fileURLToPath(import.meta.resolve('mixcoatl/package.json'));
const dcm = join(dirname(pkgJson), JSON.parse(readFileSync(pkgJson, 'utf8')).bin.dcm);

/** What a person types, and what the console must answer. @type {Array<[string, RegExp]>} */
const session = [
  ['const server = new Server(331810)', /^$/],
  ['server', /Server <331810> \(not loaded\)/], // echoing never fetches
  ['server.name', /'Sample-Tier-independent-node-0'/], // the first read loads, synchronously
  ['server.lastRequest.statusCode', /200/],
  ['const regions = await Region.all()', /^$/], // top-level await
  ['regions.map((r) => r.name).slice(0, 2)', /\[ '.+', '.+' \]/],
  ['try { new Server(999999999).name } catch (e) { `${e.name} ${e.statusCode}` }', /'NotFoundError 404'/],
];

const child = spawn(process.execPath, [dcm, 'console', '--quiet'], {
  env: { ...process.env, DCM_CONSOLE_HISTORY: '' }, // keep no history file
  stdio: ['pipe', 'pipe', 'inherit'],
});
let buffer = '';
/** @type {((text: string) => void) | undefined} */
let waiting;
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  buffer += chunk;
  if (waiting && buffer.endsWith('dcm> ')) {
    const text = buffer.slice(0, -'dcm> '.length);
    buffer = '';
    waiting(text);
  }
});
/** @returns {Promise<string>} the console's answer, once it prompts again */
const prompt = () => new Promise((resolve) => (waiting = resolve));

await prompt();
let failures = 0;
for (const [line, expected] of session) {
  const answer = prompt();
  child.stdin.write(`${line}\n`);
  const text = (await answer).trim();
  const ok = expected.test(text);
  if (!ok) failures += 1;
  console.log(`dcm> ${line}\n${text ? `${text}\n` : ''}${ok ? '' : `!! expected ${expected}\n`}`);
}
child.stdin.end('.exit\n');
await new Promise((resolve) => child.on('close', resolve));
console.log(failures === 0 ? 'session as expected' : `${failures} answers differed`);
process.exitCode = failures === 0 ? 0 : 1;
