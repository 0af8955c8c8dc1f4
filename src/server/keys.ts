import { createHash, timingSafeEqual } from 'node:crypto';

export type Scope = 'publishable' | 'secret';

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * The configured keys as digests, compared in constant time: every configured key is compared, with no early
 * exit, so a response time says nothing of how much of a guessed key was right.
 */
export class KeyRing {
  private readonly keys: { d: Buffer; scope: Scope }[];

  constructor(publishable: readonly string[], secret: readonly string[]) {
    this.keys = [
      ...publishable.map((k) => ({ d: digest(k), scope: 'publishable' as const })),
      ...secret.map((k) => ({ d: digest(k), scope: 'secret' as const })),
    ];
  }

  scopeOf(key: string | undefined): Scope | null {
    if (!key) return null;
    const d = digest(key);
    let found: Scope | null = null;
    for (const k of this.keys) if (timingSafeEqual(k.d, d)) found = found === 'secret' ? found : k.scope;
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
