/**
 * Rewrites what the settings schema documents: the settings table of README.md and .env.example.
 * Run `npm run settings-docs` after adding or changing a setting in lib/config/schema.ts
 * (spec/docs/settings.spec.ts fails until the two files match the schema).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEnvExample, renderSettingsTable, SETTINGS_TABLE_HEADER } from '../dist/lib/config/settings-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = join(root, 'README.md');
const lines = readFileSync(readme, 'utf8').split('\n');
const start = lines.indexOf(SETTINGS_TABLE_HEADER);
if (start === -1) throw new Error(`README.md has no settings table (a line "${SETTINGS_TABLE_HEADER}")`);
let end = start;
while (end < lines.length && lines[end].startsWith('|')) end += 1;
lines.splice(start, end - start, ...renderSettingsTable().trimEnd().split('\n'));
writeFileSync(readme, lines.join('\n'));
writeFileSync(join(root, '.env.example'), renderEnvExample());
process.stdout.write('README.md settings table and .env.example rewritten from lib/config/schema.ts\n');
