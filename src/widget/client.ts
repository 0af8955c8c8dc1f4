import type { CartLine, Context, Decision } from './types.js';

/**
 * POST /v1/decide, or null when it fails or takes longer than timeoutMs: a slow or down API shows nothing
 * rather than a broken box, and the page never waits for it.
 */
export async function fetchDecision(
  api: string,
  key: string,
  body: Context & { sessionId: string; cart: CartLine[]; device?: string },
  timeoutMs: number,
): Promise<Decision | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const r = await fetch(`${api}/v1/decide`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: abort.signal,
    });
    if (!r.ok) {
      console.warn(`levers: decide failed (${r.status}): ${await r.text()}`);
      return null;
    }
    return (await r.json()) as Decision;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
