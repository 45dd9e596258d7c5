/**
 * The fault suite's figures, in one place. The emulator's fault injection draws from a seeded
 * generator, once per request in the order requests arrive, and each run's outcome depends only on
 * that sequence of draws (a read ends at its first success, a launch sends one POST), so these
 * counts are the same on every run. Each reliability spec asserts its measured counts equal these;
 * the README's "Failure behaviour" section quotes them as {@link faultSuiteText} renders them, and
 * the documentation spec (spec/docs/figures.spec.ts) fails when the README says anything else.
 *
 * When a change to the suite changes a count, its spec fails naming the new value: update it here,
 * and paste the new text from `faultSuiteText()` into the README.
 */
import { QUICK_RETRY, twentyPercentFaults } from './support.js';

export const FAULT_FIGURES = {
  /** reads.spec.ts: async single-object reads, 8 in flight. */
  reads: { count: 200, attempts: 242, faults: { 'status:500': 10, 'status:503': 10, 'status:429': 10, reset: 12 } },
  /** sync.spec.ts: lazy synchronous reads, one at a time. */
  syncReads: { count: 100, attempts: 131 },
  /** launches.spec.ts: launches per phase; the emulator's seeded server count before the first. */
  launches: { count: 100, initialServers: 13, failures: 23 },
} as const;

/** `a×500, b×503, c×429, d resets`, from fault labels to counts. */
function faultList(faults: Readonly<Record<string, number>>): string {
  return [
    `${faults['status:500'] ?? 0}×500`,
    `${faults['status:503'] ?? 0}×503`,
    `${faults['status:429'] ?? 0}×429`,
    `${faults.reset ?? 0} resets`,
  ].join(', ');
}

/** The fault rate of the suite's rules, as a whole percentage, and the share of each of the four. */
function rates(): { total: number; each: number } {
  const rules = twentyPercentFaults();
  let survive = 1;
  for (const rule of rules) survive *= 1 - (rule.rate ?? 1);
  return { total: Math.round((1 - survive) * 100), each: Math.round((1 - survive) * 100 / rules.length) };
}

/**
 * The README's paragraph and table of fault-suite results, rendered from {@link FAULT_FIGURES} and
 * the suite's own settings (fault rules, retry policy).
 */
export function faultSuiteText(): string {
  const { reads, syncReads, launches } = FAULT_FIGURES;
  const { total, each } = rates();
  const launched = launches.count - launches.failures;
  return [
    `Measured by the project's fault suite against the emulator's seeded fault injection (${total}% of`,
    `requests fail: ${each}% each of \`500\`, \`503\`, \`429\` and connection reset; the suite uses \`retry.limit\``,
    `${QUICK_RETRY.limit} and ${QUICK_RETRY.baseDelayMs}–${QUICK_RETRY.maxDelayMs} ms pauses). The faults are seeded, so every count is the same on each run`,
    'and the suite checks it:',
    '',
    '| scenario | result |',
    '|---|---|',
    `| ${reads.count} async reads | ${reads.count}/${reads.count} succeed, ${reads.attempts} attempts (${reads.attempts - reads.count} retries: ${faultList(reads.faults)}) |`,
    `| ${syncReads.count} synchronous reads | ${syncReads.count}/${syncReads.count} succeed, ${syncReads.attempts} attempts |`,
    `| ${launches.count} launches, faults before the server applies them | ${launched} launched, ${launched} distinct ids, ${launches.failures} typed failures (\`RateLimitError\`, \`NetworkError\`, \`ServerError\`), exactly ${launches.count} POSTs (none retried), emulator servers ${launches.initialServers} → ${launches.initialServers + launched} = initial + successes: **0 duplicates** |`,
    `| ${launches.count} launches, faults after the server applied them (response lost) | ${launches.count} POSTs → ${launches.count} servers, **0 duplicates**; the ${launches.failures} lost answers are typed errors (the caller cannot know those succeeded, and nothing is re-sent) |`,
    '| secret scan of every output channel (debug logger, `lastRequest`, `pprint`, errors, `DCM_DEBUG`, a synchronous child process, `dcm-get`) | every signature sent and the secret key: **0** occurrences |',
  ].join('\n');
}
