// "Did you mean …?": the closest known name by edit distance, for unknown tables and providers.

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest candidate, or a few of them joined with "or", when any is reasonably close. */
export function closest(name: string, candidates: string[], max = 3): string | undefined {
  const target = name.toLowerCase();
  const scored = candidates
    .map((c) => {
      const lc = c.toLowerCase();
      // a shared last part (same resource name in another service) counts as close too
      const tail = lc.split('.').pop() === target.split('.').pop() ? 0 : 1;
      return { c, d: editDistance(target, lc) + tail };
    })
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  const limit = Math.max(3, Math.floor(target.length / 3));
  // only the closest (and names just as close): a list of near-misses is no help
  const top = scored[0]?.d ?? Infinity;
  const best = scored.filter((s) => s.d <= limit && s.d === top).slice(0, max);
  return best.length ? best.map((s) => s.c).join(' or ') : undefined;
}
