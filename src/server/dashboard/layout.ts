import { esc } from '../../render/html.js';
import type { ChartSpec } from '../../render/report-charts.js';
import { CSRF_FIELD } from './csrf.js';

/** The pages, in the menu's order: each answers one question. */
export const PAGES = [
  { id: 'overview', title: 'Overview', question: 'Is revenue per session moving, and which lever moved it?' },
  { id: 'segments', title: 'Segments', question: 'Did segments change, or only the mix of traffic?' },
  { id: 'offers', title: 'Offers', question: 'Are offers accepted, and do they earn more than the holdout?' },
  { id: 'experiments', title: 'Experiments', question: 'Which variant wins, and can we tell yet?' },
  { id: 'customers', title: 'Customers', question: 'Do customers come back, and what are they worth?' },
  {
    id: 'recommendations',
    title: 'Recommendations',
    question: 'What does the model suggest, and does it beat popularity?',
  },
  { id: 'live', title: 'Live', question: 'What is the server doing right now?' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

export interface Assets {
  css: string;
  script: string;
  echarts: string;
}

export interface Shell {
  page: PageId;
  /** The line under the question: the window, currency and basis the page reads. */
  subtitle: string;
  /** The report options as a query string ("" or "?from=…"), carried by every menu link: pages bookmark. */
  query: string;
  csrf: string;
  body: string;
  charts: ChartSpec[];
  assets: Assets;
  /** A URL the page's script polls (the Live page). */
  live?: string;
}

const head = (title: string, a: Assets) =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Levers dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${esc(a.css)}">
</head>`;

/** A dashboard page: the menu, the question it answers, its content, and its charts' data for the script. */
export function dashboardHtml(s: Shell): string {
  const p = PAGES.find((x) => x.id === s.page)!;
  const data = JSON.stringify(s.charts.filter((c) => c.option)).replace(/</g, '\\u003c');
  const nav = PAGES.map(
    (x) =>
      `<li><a href="/dashboard/${x.id}${esc(s.query)}"${x.id === s.page ? ' aria-current="page"' : ''}>${esc(x.title)}</a></li>`,
  ).join('');
  return `${head(p.title, s.assets)}
<body${s.live ? ` data-live="${esc(s.live)}"` : ''}>
<header><a class="brand" href="/dashboard/overview${esc(s.query)}">Levers</a>
<nav aria-label="Dashboard pages"><ul>${nav}</ul></nav>
<form method="post" action="/dashboard/sign-out"><input type="hidden" name="${CSRF_FIELD}" value="${esc(s.csrf)}"><button type="submit">Sign out</button></form>
</header>
<main>
<h1>${esc(p.title)}</h1>
<p class="question">${esc(p.question)}</p>
<p class="muted">${esc(s.subtitle)}</p>
${s.body}
</main>
<script type="application/json" id="dashboard-charts">${data}</script>
<script src="${esc(s.assets.echarts)}"></script>
<script src="${esc(s.assets.script)}"></script>
</body></html>
`;
}

/** The sign-in form: a secret key, exchanged for a session cookie. */
export function signInHtml(a: Assets, problem: string | null, next: string, signedOut = false): string {
  return `${head('Sign in', a)}
<body class="sign-in">
<main>
<h1>Levers dashboard</h1>
<p>Sign in with one of the server's secret keys (<code>secretKeys</code> in its configuration). A publishable
key cannot open the dashboard.</p>
${signedOut ? '<p class="done" role="status">Signed out.</p>' : ''}
${problem ? `<p class="problem" role="alert">${esc(problem)}</p>` : ''}
<form method="post" action="/dashboard/sign-in">
<input type="hidden" name="next" value="${esc(next)}">
<label for="key">Secret key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main>
</body></html>
`;
}

/**
 * The report options form (GET, so the result is a URL to bookmark), with the values in force. The experiment
 * page takes the window only, and whether to read always-valid (sequential) intervals.
 */
export function optionsForm(
  page: PageId,
  o: Record<string, string>,
  params: Record<string, string>,
  periods: readonly string[],
): string {
  const field = (name: string, label: string, type = 'text', hint = '') =>
    `<label>${esc(label)} <input name="${name}" type="${type}" value="${esc(o[name] ?? '')}"${hint ? ` placeholder="${esc(hint)}"` : ''}></label>`;
  const select = (name: string, label: string, options: readonly string[], value: string) =>
    `<label>${esc(label)} <select name="${name}">${options
      .map((p) => `<option${value === p ? ' selected' : ''}>${esc(p)}</option>`)
      .join('')}</select></label>`;
  const window = `${field('from', 'from', 'date')} ${field('to', 'to', 'date')}`;
  const rest =
    page === 'experiments'
      ? select('sequential', 'always-valid intervals', ['false', 'true'], params.sequential ?? 'false')
      : `${select('period', 'period', periods, o.period ?? 'week')}
${field('compare', 'compare with', 'text', 'previous, year or DATE..DATE')} ${field('segment', 'segments', 'text', 'device,channel')}`;
  return `<form class="options" method="get" action="/dashboard/${page}" aria-label="Report options">
${page === 'experiments' && params.experiment ? `<input type="hidden" name="experiment" value="${esc(params.experiment)}">` : ''}
${window} ${rest}
<button type="submit">Apply</button></form>`;
}
