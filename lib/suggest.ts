/**
 * "Did you mean …?": the nearest of a set of names to a misspelt one. Used wherever a name typed by
 * a person is refused (list filters, find queries, command-line flags and resource words).
 */

/**
 * The candidate nearest to `wrong`: case-insensitive edit distance, with a prefix match counting
 * as close. Nothing when even the best is too far to be a plausible typo.
 */
export function closest(wrong: string, candidates: Iterable<string>): string | undefined {
  const target = wrong.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    let score = distance(target, lower);
    // A prefix is close, but a real one- or two-letter typo of another name is closer.
    if (target.length >= 3 && (lower.startsWith(target) || target.startsWith(lower))) score = Math.min(score, 1.5);
    if (score < bestScore || (score === bestScore && best !== undefined && candidate.length < best.length)) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(target.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}

/** Levenshtein distance with transpositions counted as one edit. */
export function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate nearest to `wrong` however far it is (case-insensitive edit distance); `undefined` only without candidates. */
export function nearest(wrong: string, candidates: Iterable<string>): string | undefined {
  const target = wrong.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of new Set(candidates)) {
    const score = distance(target, candidate.toLowerCase());
    if (score < bestScore || (score === bestScore && best !== undefined && candidate.length < best.length)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
