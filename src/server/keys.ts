export type Scope = 'publishable' | 'secret';

/**
 * Whether a presented key is a configured one, in time that depends only on the presented key's length (which
 * its sender knows): every code unit is compared, with no early exit, so a response time says nothing of how
 * much of a guessed key was right. (A SHA-256 digest per request did the same at several microseconds, a tenth
 * of a cached decision; this loop costs well under one.)
 */
function sameKey(presented: string, configured: string): boolean {
  let diff = presented.length ^ configured.length;
  // Past the configured key's end charCodeAt gives NaN, which | and ^ read as 0: the length differs already.
  for (let i = 0; i < presented.length; i++) diff |= presented.charCodeAt(i) ^ configured.charCodeAt(i);
  return diff === 0;
}

/** The configured keys, every one compared against a presented key (no early exit). */
export class KeyRing {
  private readonly keys: { key: string; scope: Scope }[];

  constructor(publishable: readonly string[], secret: readonly string[]) {
    this.keys = [
      ...publishable.map((key) => ({ key, scope: 'publishable' as const })),
      ...secret.map((key) => ({ key, scope: 'secret' as const })),
    ];
  }

  scopeOf(key: string | undefined): Scope | null {
    if (!key) return null;
    let found: Scope | null = null;
    for (const k of this.keys) if (sameKey(key, k.key)) found = found === 'secret' ? found : k.scope;
    return found;
  }
}

/** "Authorization: Bearer <key>" (the scheme in any case, as RFC 7235 says), else the X-Levers-Key header. */
export function presentedKey(
  authorization: string | undefined,
  header: string | string[] | undefined,
): string | undefined {
  const m = authorization ? /^bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (m) return m[1];
  return typeof header === 'string' && header ? header : undefined;
}
