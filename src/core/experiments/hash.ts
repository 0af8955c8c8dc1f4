/**
 * 32-bit FNV-1a over the UTF-16 code units of a string (the same in every implementation, browser included).
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A unit's position in [0, 1) for one experiment, deterministic across processes and languages: FNV-1a of
 * FNV-1a, as GrowthBook's hashing v2 does, because one pass of FNV-1a leaves sequential ids poorly spread.
 */
export function bucketOf(experiment: string, unit: string): number {
  return (fnv1a32(String(fnv1a32(`${experiment}:${unit}`))) % 10_000) / 10_000;
}
