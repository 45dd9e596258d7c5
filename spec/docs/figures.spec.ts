/**
 * Figures the README quotes cannot rot. The fault suite's results are quoted as
 * spec/reliability/figures.ts renders them from the counts the suite asserts on every run (its
 * seeded faults make them fixed), so a README that says anything else fails here, and a suite
 * that measures anything else fails there. Derived figures (the chance of a read failing with the
 * default retries) are computed from the defaults; the Performance figures are a dated
 * measurement of `npm run bench` and say so.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../../lib/config/defaults.js';
import { FAULT_FIGURES, faultSuiteText } from '../reliability/figures.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The README's text from the line starting with `first` to the end of the table that follows. */
function quoted(first: string): string {
  const lines = README.split('\n');
  const start = lines.findIndex((line) => line.startsWith(first));
  expect(start).toBeGreaterThan(-1);
  let end = start;
  while (end < lines.length && !lines[end].startsWith('|')) end++;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return lines.slice(start, end).join('\n');
}

describe('README figures', () => {
  it('quotes the fault suite exactly as its figures are (spec/reliability/figures.ts: faultSuiteText())', () => {
    expect(quoted("Measured by the project's fault suite")).toBe(faultSuiteText());
    expect(README.split("Measured by the project's fault suite")).toHaveLength(2);
  });

  it('renders every suite figure into that text', () => {
    const text = faultSuiteText();
    const { reads, syncReads, launches } = FAULT_FIGURES;
    for (const figure of [reads.count, reads.attempts, syncReads.count, syncReads.attempts, launches.count, launches.failures, launches.initialServers, launches.initialServers + launches.count - launches.failures]) {
      expect(text).toMatch(new RegExp(`(^|[^\\d])${figure}([^\\d]|$)`));
    }
  });

  it('derives the chance of a failed read from the default retry limit', () => {
    const attempts = DEFAULTS.retry.limit + 1;
    const superscript = String(attempts).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    expect(README).toContain(`With the default \`retry.limit\` of ${DEFAULTS.retry.limit}, a read fails only when ${words[attempts]} attempts in a row hit a fault:`);
    expect(README).toContain(`0.2${superscript} ≈ ${Number((0.2 ** attempts * 100).toPrecision(2))}% of reads`);
  });

  it('states the Performance figures as a dated measurement of npm run bench', () => {
    expect(README).toMatch(/What that means in figures, measured on \d{4}-\d{2}-\d{2} on [^\n]+\n\(Node \d+; `npm run bench` reproduces them/);
  });

  it('quotes no duration of the demo or the tests', () => {
    expect(README).not.toMatch(/≈ ?\d+ ?(s|ms|min)\b/);
  });
});
