import type { FastifyReply } from 'fastify';

/**
 * The Content-Security-Policy of every dashboard response: scripts and styles from this server only (no inline
 * script; the charts' data travels as a JSON script element, which does not run). ECharts writes inline style
 * attributes into its tooltips, so style attributes are allowed; style elements are not. No framing, no
 * plugin, forms post back here only.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Security headers, set in one place for every dashboard response (pages, assets, JSON, errors). Set here
 * rather than by @fastify/helmet: the dashboard needs this handful on its own routes only (the storefront's
 * routes have other rules, e.g. the widget is loaded cross-origin), and ten fixed lines are easier to read and
 * test than a plugin's defaults. Referrer-Policy is same-origin, not no-referrer: with no-referrer a browser
 * sends `Origin: null` on the dashboard's own form posts, which the cross-site check must refuse.
 */
export function setSecurityHeaders(reply: FastifyReply, secure: boolean): void {
  reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin')
    .header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (secure) reply.header('strict-transport-security', 'max-age=31536000');
}
