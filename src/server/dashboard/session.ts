import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A signed-in operator: an opaque id (the cookie), the CSRF token tied to it, and when it ends. */
export interface DashboardSession {
  id: string;
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Where sessions live. Under a cluster the primary holds them and the workers ask it (a session made on one
 * worker is known to all, and signing out ends it everywhere); a single process holds its own.
 */
export interface SessionStore {
  create(ttlMs: number): Promise<DashboardSession>;
  /** The live session of this id, or null when unknown, expired or malformed. */
  get(id: string | null | undefined): Promise<DashboardSession | null>;
  delete(id: string | null | undefined): Promise<void>;
}

/** 32 random bytes, base64url: 43 characters that say nothing of who or when. */
const ID = /^[A-Za-z0-9_-]{43}$/;
const token = (random: (n: number) => Buffer) => random(32).toString('base64url');
/** Ids are looked up by their digest, so a lookup's timing says nothing of how close a guess was. */
const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

/** Sessions in this process's memory: lost on restart (everyone signs in again), at most `max` at a time. */
export class MemorySessions implements SessionStore {
  private readonly byDigest = new Map<string, DashboardSession>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly random: (n: number) => Buffer = randomBytes,
    private readonly max = 1000,
  ) {}

  async create(ttlMs: number): Promise<DashboardSession> {
    return this.createNow(ttlMs);
  }

  createNow(ttlMs: number): DashboardSession {
    const t = this.now();
    for (const [k, s] of this.byDigest) if (s.expiresAt <= t) this.byDigest.delete(k);
    // The oldest sign-in goes first when the table is full (insertion order is creation order).
    while (this.byDigest.size >= this.max) this.byDigest.delete(this.byDigest.keys().next().value!);
    const s = { id: token(this.random), csrf: token(this.random), createdAt: t, expiresAt: t + ttlMs };
    this.byDigest.set(digest(s.id), s);
    return s;
  }

  async get(id: string | null | undefined): Promise<DashboardSession | null> {
    return this.getNow(id);
  }

  getNow(id: string | null | undefined): DashboardSession | null {
    if (!id || !ID.test(id)) return null;
    const k = digest(id);
    const s = this.byDigest.get(k);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.byDigest.delete(k);
      return null;
    }
    return s;
  }

  async delete(id: string | null | undefined): Promise<void> {
    this.deleteNow(id);
  }

  deleteNow(id: string | null | undefined): void {
    if (id && ID.test(id)) this.byDigest.delete(digest(id));
  }

  get size(): number {
    return this.byDigest.size;
  }
}

/** Two tokens compared in constant time (digests of equal length, whatever was presented). */
export function sameToken(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || !presented) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
