/**
 * The settings schema (lib/config/schema.ts) is the one list of settings: the README's settings
 * table and `.env.example` are what it generates (`npm run settings-docs` rewrites them), the
 * journal's table names its settings, the three configure functions refuse a key it does not
 * have (naming the nearest), the resolver reads each variable it lists, and the CLI redacts the
 * value of every variable it marks secret.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { configure, resetConfiguration, resolveEndpoint, resolveSettings } from '../../lib/config/resolve.js';
import { DEFAULTS } from '../../lib/config/defaults.js';
import { SETTINGS, settingsOf, type Setting } from '../../lib/config/schema.js';
import { renderEnvExample, renderSettingsTable, SETTINGS_TABLE_HEADER } from '../../lib/config/settings-docs.js';
import { parseEnvText } from '../../lib/config/env-file.js';
import { configureJobs, jobDefaults } from '../../lib/orm/waiters.js';
import { configureJournal, journalSettings, resetJournal } from '../../lib/journal/journal.js';
import { redact } from '../../lib/cli/redact.js';
import { REDACTED_MARK as REDACTED } from '../../lib/redaction.js';
import { ConfigError, ValidationError } from '../../lib/errors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');

/** The lines of the Markdown table that starts with `header`. */
function table(header: string): string[] {
  const start = readme.indexOf(header);
  expect({ header, found: start !== -1 }).toEqual({ header, found: true });
  let end = start;
  while (end < readme.length && readme[end].startsWith('|')) end += 1;
  return readme.slice(start, end);
}

/** The cells of a table row, trimmed. */
function cells(row: string): string[] {
  return row.split('|').slice(1, -1).map((cell) => cell.trim());
}

/** No file, no profile: only what a spec passes counts. */
const noFiles = { HOME: '/nonexistent-home' };

afterEach(() => {
  resetConfiguration();
  resetJournal();
  configureJobs();
});

describe('the settings schema documents itself', () => {
  it('the README settings table is the one the schema renders (npm run settings-docs rewrites it)', () => {
    expect(table(SETTINGS_TABLE_HEADER).join('\n') + '\n').toBe(renderSettingsTable());
  });

  it('every configure() and command-line setting has its row, and no row names another', () => {
    const keys = table(SETTINGS_TABLE_HEADER).slice(2).map((row) => cells(row)[1]);
    expect(keys.filter((key) => key.startsWith('`')).map((key) => key.slice(1, -1))).toEqual(settingsOf('configure').map((s) => s.key));
    const variables = table(SETTINGS_TABLE_HEADER).slice(2).flatMap((row) => [...cells(row)[0].matchAll(/`(\w+)`/g)].map((m) => m[1]));
    expect(variables).toEqual([...settingsOf('configure'), ...settingsOf('cli')].flatMap((s) => s.env));
  });

  it('.env.example is the one the schema renders, and reads back to the example values', () => {
    const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
    expect(text).toBe(renderEnvExample());
    const read = parseEnvText(text);
    for (const entry of SETTINGS.filter((s) => s.required)) expect(read[entry.env.at(-1)!]).toBe(entry.example);
    const commented = parseEnvText(text.replace(/^# ([A-Z_]+=)/gm, '$1'));
    for (const entry of SETTINGS.filter((s) => s.env.length > 0)) expect({ variable: entry.env.at(-1), listed: Object.hasOwn(commented, entry.env.at(-1)!) }).toEqual({ variable: entry.env.at(-1), listed: true });
  });

  it("the journal's table names each journal setting, its variable and its default", () => {
    const rows = table('| Setting | `configureJournal({ … })` | Environment | Default |').slice(2).map(cells);
    expect(rows.map((row) => row[1])).toEqual(settingsOf('journal').map((s) => `\`${s.key}\``));
    for (const [entry, row] of settingsOf('journal').map((s, i) => [s, rows[i]] as const)) {
      expect(row[2]).toMatch(new RegExp(`^\`${entry.env[0]}\\b`));
      expect(row[3]).toBe(entry.defaultText);
    }
  });

  it('the defaults the request pipeline uses are the schema\'s', () => {
    const flat: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(DEFAULTS)) {
      if (value !== null && typeof value === 'object') for (const [member, v] of Object.entries(value)) flat[`${key}.${member}`] = v;
      else flat[key] = value;
    }
    for (const entry of settingsOf('configure').filter((s) => s.default !== undefined && s.key !== 'debug')) expect([entry.key, flat[entry.key]]).toEqual([entry.key, entry.default]);
    expect(jobDefaults()).toEqual({ intervalMs: 5_000, timeoutMs: 30 * 60_000 });
    expect(jobDefaults()).toEqual(Object.fromEntries(settingsOf('jobs').map((s) => [s.key, s.default])));
  });
});

describe('the schema validates what the configure functions are given', () => {
  it('configure() refuses an unknown key, naming it and the nearest known one', () => {
    expect(() => configure({ timout: { request: 5 } } as never)).toThrow(ConfigError);
    expect(() => configure({ timout: { request: 5 } } as never)).toThrow(/^unknown configuration option timout \(did you mean timeout\?\); known: accessKey, /);
    expect(() => configure({ timeout: { requests: 5 } } as never)).toThrow(/^unknown timeout option requests \(did you mean request\?\); known: request, connect, response, total$/);
    expect(() => configure({ lazy: 'sometimes' } as never)).toThrow(/^lazy must be 'sync' or 'async', got "sometimes"$/);
    expect(() => configure({ retry: { limit: -1 } })).toThrow(/^retry\.limit must be a number ≥ 0, got -1$/);
    expect(() => configure({ syncTimeoutMs: 0 })).toThrow(/^syncTimeoutMs must be a number of milliseconds ≥ 1, got 0$/);
  });

  it('configureJobs() and configureJournal() refuse unknown keys the same way', () => {
    expect(() => configureJobs({ intervalMS: 10 } as never)).toThrow(ValidationError);
    expect(() => configureJobs({ intervalMS: 10 } as never)).toThrow(/^unknown configureJobs\(\) option intervalMS \(did you mean intervalMs\?\); known: intervalMs, timeoutMs$/);
    expect(() => configureJobs({ intervalMs: -1 })).toThrow(/^intervalMs must be a number of milliseconds ≥ 0, got -1$/);
    configureJobs({ timeoutMs: Infinity });
    expect(jobDefaults().timeoutMs).toBe(Infinity);
    expect(() => configureJournal({ retention: 3 } as never)).toThrow(/^unknown configureJournal\(\) option retention \(did you mean retentionDays\?\); known: enabled, dir, reads, retentionDays$/);
    expect(() => configureJournal({ retentionDays: 0 })).toThrow(/^retentionDays must be a positive number of days, got 0$/);
  });
});

describe('the schema drives resolution', () => {
  /** A text each environment-read setting accepts, and the value it reads as. */
  const samples: Record<string, [string, unknown]> = {
    lazy: ['async', 'async'],
    details: ['extended', 'extended'],
    'timeout.request': ['4321', 4321],
    'retry.limit': ['0', 0],
  };

  it.each(Object.entries(samples))('%s is read from each of its variables', (key, [text, value]) => {
    const entry = settingsOf('configure').find((s) => s.key === key) as Setting;
    const [group, member] = key.split('.');
    for (const name of entry.env) {
      const settings = resolveSettings({ ...noFiles, [name]: text }) as unknown as Record<string, unknown>;
      expect([name, member === undefined ? settings[group] : (settings[group] as Record<string, unknown>)[member]]).toEqual([name, value]);
    }
  });

  it('an environment text the setting does not take is refused naming the variable; 0 is no retry but no timeout', () => {
    expect(() => resolveSettings({ ...noFiles, DCM_TIMEOUT: '0' })).toThrow(/^DCM_TIMEOUT must be a number of milliseconds ≥ 1, got "0"$/);
    expect(() => resolveSettings({ ...noFiles, DCM_RETRIES: '1.5' })).toThrow(/^DCM_RETRIES must be a number ≥ 0, got "1\.5"$/);
    expect(() => resolveSettings({ ...noFiles, DCM_DETAILS: 'full' })).toThrow(/^DCM_DETAILS must be 'basic' or 'extended', got "full"$/);
    expect(resolveSettings({ ...noFiles, DCM_RETRIES: '0' }).retry.limit).toBe(0);
  });

  it('the endpoint and its keys come from the variables the schema lists, DCM_* before ES_*', () => {
    const env = { ...noFiles, ES_ACCESS_KEY: 'es', ES_SECRET_KEY: 'es-secret', ES_ENDPOINT: 'https://es.example.com/api/enstratus/2015-05-25', DCM_ENDPOINT: 'https://dcm.example.com/api/enstratus/2015-05-25', ES_SSL_VERIFY: 'false' };
    const endpoint = resolveEndpoint(undefined, env);
    expect([endpoint.accessKey, endpoint.url, endpoint.sslVerify]).toEqual(['es', 'https://dcm.example.com/api/enstratus/2015-05-25', false]);
    expect(() => resolveEndpoint(undefined, noFiles)).toThrow(/^missing DCM_ACCESS_KEY \(or ES_ACCESS_KEY\) and DCM_SECRET_KEY \(or ES_SECRET_KEY\), and DCM_ENDPOINT \(or ES_ENDPOINT\)/);
  });

  it('the journal reads its variables through the schema; text it cannot read leaves the default', () => {
    const env = { HOME: '/home/someone', MIXCOATL_JOURNAL: 'OFF', MIXCOATL_JOURNAL_DIR: '/var/journal', MIXCOATL_JOURNAL_READS: 'yes', MIXCOATL_JOURNAL_RETENTION_DAYS: '7' };
    expect(journalSettings(env)).toMatchObject({ enabled: false, dir: '/var/journal', retentionDays: 7 });
    expect(journalSettings({ HOME: '/home/someone', MIXCOATL_JOURNAL_RETENTION_DAYS: 'soon' })).toEqual({ enabled: true, dir: '/home/someone/.mixcoatl/journal', reads: false, retentionDays: 30 });
  });
});

describe('secret settings are redacted', () => {
  it('the value of every variable of a secret setting, and whatever follows its name', () => {
    const secrets = SETTINGS.filter((s) => s.secret);
    expect(secrets.map((s) => s.key)).toEqual(['secretKey', 'proxy']);
    for (const name of secrets.flatMap((s) => s.env)) {
      expect(redact(`failed with q9Zx-secret-value in it`, { [name]: 'q9Zx-secret-value' })).toBe(`failed with ${REDACTED} in it`);
      expect(redact(`${name}=another-one`, {})).toBe(`${name}=${REDACTED}`);
    }
  });
});
