/** The dashboard's session cookie: its name, and the Set-Cookie lines that set and clear it. */
export const SESSION_COOKIE = 'levers_dashboard';

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/dashboard (the API and
 * the shop never see it), Secure when the request came over TLS (directly, or through a trusted proxy).
 */
export function sessionCookie(id: string, o: { maxAgeS: number; secure: boolean }): string {
  return (
    `${SESSION_COOKIE}=${id}; Path=/dashboard; Max-Age=${Math.max(0, Math.floor(o.maxAgeS))}; HttpOnly; ` +
    `SameSite=Strict${o.secure ? '; Secure' : ''}`
  );
}

export function clearedCookie(secure: boolean): string {
  return sessionCookie('', { maxAgeS: 0, secure });
}

/** A cookie's raw value from a Cookie header; null when absent (the first of several with one name wins). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}
