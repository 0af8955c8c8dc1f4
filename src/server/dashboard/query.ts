import { zodProblem } from '../../core/errors.js';
import { type ReportOptions, ReportOptionsSchema } from '../../app/report-options.js';

/** Parameters of a page that are not report options. */
const PAGE_PARAMS = new Set(['experiment', 'sequential', 'mined']);

export type DashboardQuery =
  | {
      ok: true;
      options: ReportOptions;
      params: Record<string, string>;
      raw: Record<string, string>;
      query: string;
    }
  | { ok: false; problem: string; raw: Record<string, string>; query: string };

/**
 * A page's query string: the report's options, parsed by the report's own schema (the one the CLI's flags and
 * GET /v1/report go through), and the page's parameters. An empty form field means "not given".
 */
export function dashboardQuery(q: unknown): DashboardQuery {
  const raw: Record<string, string> = {};
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries((q ?? {}) as Record<string, unknown>)) {
    const s = Array.isArray(v) ? String(v[0] ?? '') : String(v ?? '');
    if (!s.trim()) continue;
    if (PAGE_PARAMS.has(k)) params[k] = s;
    else raw[k] = s;
  }
  const query = Object.keys(raw).length ? `?${new URLSearchParams(raw)}` : '';
  const r = ReportOptionsSchema.safeParse(raw);
  if (!r.success) {
    const { path, problem } = zodProblem(r.error, 'parameter');
    return { ok: false, problem: `${path ? `${path}: ` : ''}${problem}`, raw, query };
  }
  return { ok: true, options: r.data, params, raw, query };
}

/** Where to go after signing in: a dashboard page of this server, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/dashboard\/[a-z-]+(\?[^\s]*)?$/.test(next) && !next.includes('//')
    ? next
    : '/dashboard/overview';
}
