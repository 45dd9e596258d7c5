/**
 * Writes the executables from the tool list of lib/cli (dcm, the raw tools of the registry and the
 * original tool names of lib/cli/aliases.ts): one thin bin/<tool>.ts each, and package.json "bin".
 * Run `npm run bins` after adding a tool; spec/lib/cli/registry.spec.ts fails until they match.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allToolNames } from '../dist/lib/cli/aliases.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = allToolNames();
const binDir = join(root, 'bin');
for (const file of readdirSync(binDir)) {
  if (file.endsWith('.ts') && !tools.includes(file.slice(0, -3))) rmSync(join(binDir, file));
}
for (const tool of tools) {
  writeFileSync(join(binDir, `${tool}.ts`), `#!/usr/bin/env node\nimport { runTool } from '../lib/cli/bin.js';\n\nawait runTool('${tool}');\n`);
}
const pkgPath = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
pkg.bin = Object.fromEntries(tools.map((tool) => [tool, `./dist/bin/${tool}.js`]));
writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
process.stdout.write(`${tools.length} executables written to bin/ and package.json "bin"\n`);
