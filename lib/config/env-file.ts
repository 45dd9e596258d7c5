/**
 * Reader for `KEY=VALUE` files: the working directory's `.env` and the profile files under
 * `~/.mixcoatl/`. More forgiving than the original (REFERENCE §1.5, §7.2): blank lines, `#`
 * comments, an `export ` prefix and quoted values are accepted. Files are only read, never
 * created or prompted for.
 */
import { readFileSync } from 'node:fs';

export function parseEnvText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out[key] = value;
  }
  return out;
}

/** Reads a file of `KEY=VALUE` lines; a missing file gives `undefined`. */
export function readEnvFile(path: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
  return parseEnvText(text);
}
