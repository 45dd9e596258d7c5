/**
 * The command registry is the one list of commands: `dcm --help`, the bash and zsh completion
 * scripts and dispatch all list the same top-level commands, each command's --help shows exactly
 * its entry's flags, every command module under lib/cli/commands/ has an entry, and the installed
 * executables are the registry's tools (`npm run bins` writes them).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dispatchTool } from '../../../lib/cli/bin.js';
import { allToolNames, ALIASES } from '../../../lib/cli/aliases.js';
import { cliResources } from '../../../lib/cli/catalog.js';
import { loadResources } from '../../../lib/cli/load-resources.js';
import { COMMANDS, RAW_TOOLS, commandNames, findCommand } from '../../../lib/cli/registry.js';
import { runProcess } from '../../support/run-process.js';
import { fakeIO } from './fake-io.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

async function dcm(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = fakeIO({ env: {} });
  const code = await dispatchTool('dcm', argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** The long flags of the option lines of a --help text. */
function helpFlags(text: string): string[] {
  const options = text.slice(text.indexOf('\nOptions:\n'));
  return [...options.matchAll(/^\s+(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
}

/** The words of the first `compgen -W "…"` of a completion script: what follows `dcm `. */
function topWords(script: string): string[] {
  const match = /compgen -W "([^"]*)"/.exec(script);
  if (!match) throw new Error('no word list in the completion script');
  return match[1].split(' ');
}

/** Runs bash completion on a command line (the last word is completed) and returns the candidates. */
async function complete(script: string, words: string[]): Promise<string[]> {
  const file = join(dir, 'dcm.bash');
  writeFileSync(file, script);
  const line = words.map((w) => `'${w}'`).join(' ');
  const r = await runProcess('bash', ['--norc', '--noprofile', '-c', `source "$1"; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _dcm; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', file], { cwd: dir });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout.split('\n').filter(Boolean);
}

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixcoatl-completion-'));
  await loadResources({ stderr: { write: () => true } });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the command registry', () => {
  it('holds apply, log and every other command once, none named like a resource', () => {
    const names = commandNames();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['apply', 'log', 'sim', 'configure', 'console', 'completion', 'check', 'api-versions', 'resources']));
    const resources = new Set(cliResources().map((r) => r.command));
    expect(names.filter((name) => resources.has(name))).toEqual([]);
  });

  it('dcm --help lists exactly the registry commands', async () => {
    const { code, stdout } = await dcm(['--help']);
    expect(code).toBe(0);
    const section = stdout.slice(stdout.indexOf('Other commands:\n'), stdout.indexOf('\n\n', stdout.indexOf('Other commands:\n')));
    const listed = [...section.matchAll(/^ {2}dcm ([a-z][\w-]*)/gm)].map((m) => m[1]);
    expect(listed).toEqual(commandNames());
    for (const entry of COMMANDS) expect(section).toContain(entry.summary);
  });

  it('bash completion offers exactly the registry commands, help and the resources after dcm', async () => {
    const { code, stdout } = await dcm(['completion']);
    expect(code).toBe(0);
    const resources = cliResources().map((r) => r.command);
    const commands = topWords(stdout).filter((word) => !resources.includes(word) && !word.startsWith('-') && word !== 'help');
    expect(commands).toEqual(commandNames());
    const offered = await complete(stdout, ['dcm', '']);
    expect(offered).toEqual(expect.arrayContaining([...commandNames(), 'help', ...resources]));
    expect(await complete(stdout, ['dcm', 'ap'])).toEqual(expect.arrayContaining(['apply', 'api-versions']));
  });

  it.each(COMMANDS.map((entry) => [entry.name]))('dcm %s: dispatched to its module, whose --help shows the entry\'s flags, all of them completed', async (name) => {
    const entry = findCommand(name)!;
    const help = await dcm([name, '--help']);
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(new RegExp(`^Usage: dcm ${name}\\b`));
    expect(helpFlags(help.stdout).sort()).toEqual(Object.keys(entry.flags).sort());
    const script = (await dcm(['completion'])).stdout;
    const completed = await complete(script, ['dcm', name, '']);
    expect(completed.sort()).toEqual([...(entry.words ?? []), ...Object.keys(entry.flags).map((flag) => `--${flag}`)].sort());
  });

  it('zsh completion runs the same script through bashcompinit', async () => {
    const bash = await dcm(['completion', 'bash']);
    const zsh = await dcm(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(zsh.stdout.endsWith(bash.stdout)).toBe(true);
    const fish = await dcm(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('bash and zsh are supported, got "fish"');
  });

  it('a word that is neither a command nor a resource is refused, with the nearest command', async () => {
    const r = await dcm(['aply']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command or resource "aply" (did you mean apply?)');
  });

  it('every module under lib/cli/commands/ that exports run() is a registry entry', async () => {
    const dir = join(ROOT, 'lib', 'cli', 'commands');
    const withRun: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
      if (typeof module.run === 'function') withRun.push(file.replace(/\.ts$/, ''));
    }
    expect(withRun.sort()).toEqual(commandNames().sort());
  });
});

describe('the executables', () => {
  it('package.json "bin" and bin/ hold exactly dcm, the raw tools and the aliases, each a thin runTool file', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const tools = allToolNames();
    expect(tools).toEqual(['dcm', ...Object.keys(RAW_TOOLS), ...Object.keys(ALIASES)].sort());
    expect(Object.keys(pkg.bin).sort()).toEqual(tools);
    expect(readdirSync(join(ROOT, 'bin')).sort()).toEqual(tools.map((tool) => `${tool}.ts`).sort());
    for (const tool of tools) {
      expect(pkg.bin[tool]).toBe(`./dist/bin/${tool}.js`);
      expect(readFileSync(join(ROOT, 'bin', `${tool}.ts`), 'utf8')).toBe(`#!/usr/bin/env node\nimport { runTool } from '../lib/cli/bin.js';\n\nawait runTool('${tool}');\n`);
    }
  });

  it('a raw tool name runs the raw tool', async () => {
    for (const tool of Object.keys(RAW_TOOLS)) {
      const io = fakeIO({ env: {} });
      expect(await dispatchTool(tool, ['--help'], io)).toBe(0);
      expect(io.stdout.text).toMatch(new RegExp(`^Usage: ${tool} PATH`));
    }
  });
});
