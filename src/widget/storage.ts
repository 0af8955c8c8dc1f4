/**
 * localStorage that never throws: private modes, full quotas and disabled storage fall back to memory for this
 * page, so the widget degrades (no retry across pages) instead of breaking the store's page.
 */
const memory = new Map<string, string>();

export function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key) ?? memory.get(key);
    return raw == null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  const raw = JSON.stringify(value);
  memory.set(key, raw);
  try {
    localStorage.setItem(key, raw);
  } catch {
    // Memory holds it for this page.
  }
}
