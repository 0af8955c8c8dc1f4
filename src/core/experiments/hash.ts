const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a's state after the UTF-16 code units of `text`, from state h. */
function fnvMix(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h;
}

/**
 * 32-bit FNV-1a over the UTF-16 code units of a string (the same in every implementation, browser included).
 */
export function fnv1a32(text: string): number {
  return fnvMix(FNV_OFFSET, text) >>> 0;
}

/** The decimal digits of a 32-bit unsigned integer, most significant first (a buffer reused by bucketOf). */
const digits = new Uint8Array(10);

/**
 * A unit's position in [0, 1) for one experiment, deterministic across processes and languages: FNV-1a of
 * FNV-1a, as GrowthBook's hashing v2 does, because one pass of FNV-1a leaves sequential ids poorly spread.
 * The same as fnv1a32(String(fnv1a32(`${experiment}:${unit}`))), hashed in place: no joined string and no
 * decimal string are made (it runs on every decide request).
 */
export function bucketOf(experiment: string, unit: string): number {
  let first = fnvMix(fnvMix(fnvMix(FNV_OFFSET, experiment), ':'), unit) >>> 0;
  // The first hash's decimal digits are the second pass's input (0x30 is '0').
  let n = 0;
  do {
    digits[n++] = first % 10;
    first = Math.floor(first / 10);
  } while (first > 0);
  let h = FNV_OFFSET;
  while (n > 0) {
    h ^= 0x30 + digits[--n]!;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return ((h >>> 0) % 10_000) / 10_000;
}
