import { load, save } from './storage.js';

/** A session ends after 30 idle minutes, the usual web-analytics definition (and the simulator's). */
const IDLE_MS = 30 * 60_000;
const KEY = 'levers:session';

export function randomId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** This browser's session id, renewed after 30 idle minutes; touched on every call. */
export function sessionId(now = Date.now()): string {
  const s = load<{ id: string; at: number } | null>(KEY, null);
  const id = s && now - s.at < IDLE_MS ? s.id : randomId();
  save(KEY, { id, at: now });
  return id;
}

/** The device class the report splits by, from the viewport and pointer rather than the user agent. */
export function device(): 'mobile' | 'tablet' | 'desktop' {
  const coarse = matchMedia('(pointer: coarse)').matches;
  if (!coarse) return 'desktop';
  return innerWidth < 768 ? 'mobile' : 'tablet';
}
