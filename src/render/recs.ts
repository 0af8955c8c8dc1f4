import type { EvalRun } from '../app/eval-recs.js';
import type { MineResult } from '../app/mine.js';
import type { RecResult } from '../core/recs/recommend.js';
import { int, money, table } from './format.js';

export function mineSummary(r: MineResult) {
  const m = r.model;
  return {
    version: m.version,
    file: r.file,
    repeatCustomers: r.repeatCustomers,
    baskets: m.baskets,
    items: m.items.length,
    pairs: m.neighbours.reduce((a, l) => a + l.length, 0),
    rules: m.rules.length,
    bundles: m.bundles.length,
    seconds: Number(r.seconds.toFixed(2)),
  };
}

export function renderMine(r: MineResult): string {
  const m = r.model;
  const s = mineSummary(r);
  const name = (id: string) => m.items.find((x) => x.id === id)?.title ?? id;
  return [
    `model v${m.version} → ${r.file}  (${r.seconds.toFixed(1)} s)`,
    table([
      ['baskets', int(m.baskets)],
      ['items', int(m.items.length)],
      ['neighbour pairs kept', int(s.pairs)],
      ['rules', int(m.rules.length)],
      ['bundle candidates', int(m.bundles.length)],
      ...(r.repeatCustomers != null
        ? [['repeat customers (habits)', int(r.repeatCustomers)] as [string, string]]
        : []),
    ]),
    'top rules by lift:',
    ...m.rules
      .slice(0, 5)
      .map(
        (x) =>
          `  {${x.antecedent.map(name).join(', ')}} → ${name(x.consequent)}  ` +
          `support ${x.support.toFixed(4)}, confidence ${x.confidence.toFixed(3)}, lift ${x.lift.toFixed(2)}`,
      ),
    'top bundles:',
    ...m.bundles
      .slice(0, 5)
      .map((b) => `  ${b.items.map(name).join(' + ')}  (${int(b.count)} orders, lift ${b.lift.toFixed(2)})`),
  ].join('\n');
}

export function renderRecommendations(r: RecResult & { currency: string }): string {
  const m = (v: number | null) => (v == null ? '?' : money(v, r.currency));
  return [
    ...r.notes.map((n) => `note: ${n}`),
    ...r.items.map(
      (it, i) =>
        `${String(i + 1).padStart(2)}. ${it.kind.padEnd(13)} ` +
        `${(it.title ?? it.id).slice(0, 34).padEnd(34)} ${m(it.priceMinor).padStart(10)}  ` +
        `EV ${m(it.expectedValueMinor).padStart(9)}  ${it.reason}`,
    ),
  ].join('\n');
}

const NAMES = { shrunk: 'levers (cart-aware, shrunk)', lift: 'plain lift', popular: 'popularity' } as const;

export function renderEval(r: EvalRun): string {
  const pct = (x: number | null) => (x == null ? '   n/a' : `${(x * 100).toFixed(1)}%`.padStart(6));
  return [
    `train ${int(r.trainBaskets)} baskets, test ${int(r.testBaskets)} (${int(r.results[0]!.baskets)} with ` +
      `2+ known items), k = ${r.k}`,
    `  ${'ranking'.padEnd(26)} ${'hit@k'.padStart(6)} ${'recall@k'.padStart(8)} ${'MRR'.padStart(6)} ` +
      `${'coverage'.padStart(8)} ${'rev-hit'.padStart(7)}`,
    ...r.results.map(
      (x) =>
        `  ${NAMES[x.ranking as keyof typeof NAMES].padEnd(26)} ${pct(x.hitAtK)} ` +
        `${pct(x.recallAtK).padStart(8)} ` +
        `${x.mrr.toFixed(3).padStart(6)} ${pct(x.coverage).padStart(8)} ` +
        `${pct(x.revenueWeightedHit).padStart(7)}`,
    ),
  ].join('\n');
}
