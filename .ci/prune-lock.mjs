#!/usr/bin/env node
// The registry this project installs from serves only the platform bindings that exist for
// Linux, so npm records the other platforms' optional bindings in a package's
// `optionalDependencies` without recording the packages themselves, and `npm ci` then refuses
// the lock file as out of sync. This drops optional dependencies that have no lock entry.
// Run after every `npm install` that changes package-lock.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
let removed = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  const optional = entry.optionalDependencies;
  if (!optional) continue;
  for (const name of Object.keys(optional)) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) {
      delete optional[name];
      removed += 1;
    }
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`prune-lock: removed ${removed} optional dependencies without a lock entry`);
