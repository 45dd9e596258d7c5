// A stand-in for a password manager's command line: appends a line to the file named first (so a
// spec can count the runs), then prints the secret held in the file named second, or exits with
// the status named third after printing the secret on both streams (which must never be shown).
import { appendFileSync, readFileSync } from 'node:fs';

const [counter, secretFile, status] = process.argv.slice(2);
appendFileSync(counter, 'run\n');
const secret = readFileSync(secretFile, 'utf8').trim();
if (status !== undefined) {
  process.stdout.write(`${secret}\n`);
  process.stderr.write(`could not unlock ${secret}\n`);
  process.exit(Number(status));
}
process.stdout.write(`  ${secret}\n`);
