/**
 * The documentation the settings schema (./schema.ts) generates: the README's settings table and
 * `.env.example`. A spec checks both files against it; `npm run settings-docs` rewrites them.
 */
import { SETTINGS, type Setting } from './schema.js';

/** The header of the README's settings table, by which it is found. */
export const SETTINGS_TABLE_HEADER = "| variable (alias) | `configure()` key | meaning | default |";

/** The scopes the README's settings table shows: `configure()` and the command line's own. */
function tableSettings(): Setting[] {
  return SETTINGS.filter((s) => s.scope === 'configure' || s.scope === 'cli');
}

function envCell(entry: Setting): string {
  const [name, ...aliases] = entry.env;
  if (name === undefined) return '—';
  return `\`${name}\`${aliases.length ? ` (${aliases.map((alias) => `\`${alias}\``).join(', ')})` : ''}`;
}

/** The README's settings table (Markdown, one line per setting, ending in a newline). */
export function renderSettingsTable(): string {
  const rows = tableSettings().map((entry) => {
    const key = entry.scope === 'cli' ? '— (command line only)' : `\`${entry.key}\``;
    return `| ${envCell(entry)} | ${key} | ${entry.doc} | ${entry.defaultText} |`;
  });
  return [SETTINGS_TABLE_HEADER, '|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** `text` without Markdown code marks. */
function plain(text: string): string {
  return text.replace(/`/g, '');
}

/** `# ` comment lines of at most `width` characters. */
function comment(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** One setting in `.env.example`: what it does, then its variable (the `ES_*` alias where there is one). */
function envLines(entry: Setting): string[] {
  const name = entry.env[entry.env.length - 1];
  const what = `${plain(entry.doc)}; ${entry.required ? 'required' : `default: ${plain(entry.defaultText)}`}.`;
  return [...comment(what), `${entry.required ? '' : '# '}${name}=${entry.example ?? ''}`];
}

const ENV_EXAMPLE_HEAD = [
  '# mixcoatl settings. Copy to .env (read from the working directory) or export them.',
  '# For each pair the DCM_* name wins over its ES_* alias. Precedence, highest first:',
  '# configure({...}) > DCM_* > ES_* > ./.env > ~/.mixcoatl profile > defaults.',
  '# The access key and the secret key come from one place, both from here or both from elsewhere.',
  '# An endpoint set here with this file\'s own keys gets no warning; set here for keys from the',
  '# environment or a profile, it is named on stderr (requests signed with them would go there).',
  '# Generated from the settings schema (lib/config/schema.ts) by `npm run settings-docs`.',
];

/** The text of `.env.example`: every setting that has an environment variable. */
export function renderEnvExample(): string {
  const withEnv = SETTINGS.filter((s) => s.env.length > 0);
  const sections: Array<[heading: string | undefined, entries: Setting[]]> = [
    [undefined, withEnv.filter((s) => s.scope === 'configure' && s.required)],
    [undefined, withEnv.filter((s) => s.scope === 'configure' && !s.required)],
    ['The journal of requests (configureJournal() in a program):', withEnv.filter((s) => s.scope === 'journal')],
    ['Command line only:', withEnv.filter((s) => s.scope === 'cli')],
  ];
  const out = [...ENV_EXAMPLE_HEAD];
  for (const [heading, entries] of sections) {
    if (entries.length === 0) continue;
    out.push('');
    if (heading) out.push(`# ${heading}`);
    for (const entry of entries) out.push(...envLines(entry));
  }
  return `${out.join('\n')}\n`;
}
