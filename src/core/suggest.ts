/**
 * "Did you mean …?" for a word typed by hand (a command, an option, a format, a scenario): the known words a few
 * edits away, the nearest only. Leading dashes are not counted, so `--frob` finds `--from`.
 */
export function didYouMean(word: string, known: readonly string[]): string {
  const bare = (s: string) => s.replace(/^-+/, '');
  const w = bare(word);
  let best = 4;
  let similar: string[] = [];
  for (const k of new Set(known)) {
    const b = bare(k);
    if (b.length <= 1) continue;
    const d = editDistance(w, b);
    const length = Math.max(w.length, b.length);
    // Less than 40% of the longer word kept is not a typo but another word.
    if ((length - d) / length <= 0.4 || d > 3) continue;
    if (d < best) {
      best = d;
      similar = [k];
    } else if (d === best) similar.push(k);
  }
  similar.sort();
  if (similar.length === 0) return '';
  return similar.length === 1
    ? ` (did you mean ${similar[0]}?)`
    : ` (did you mean one of ${similar.join(', ')}?)`;
}

/** Optimal string alignment distance: edits, with a swap of two neighbours counting as one. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const up = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
