import { currencyExponent, minorToDecimal } from '../../../core/money.js';
import type { ProfitBasis, RewardSums, Window } from '../../port.js';
import type { SqlConn } from '../conn.js';
import { EXACT, EXACT6, inDays, isSoldProductLine, variantOf } from '../definitions.js';

/**
 * A bandit's rewards per variant of an offer experiment, over the window's human sessions (the units of
 * aggregates()): Σ and Σ² of each session's net revenue (merchandise after discounts and refunds) and of its
 * profit: net revenue − cost of goods (product cost × quantity where the product has a cost, else the line's
 * value × (1 − the assumed margin); none for a fully refunded order, whose goods came back) + shipping charged − what shipping costs the store per order (when the
 * configuration says). Also how much of the sold merchandise had a known cost, so the caller can say what the
 * profit rests on. In minor units.
 */
export async function experimentRewards(
  db: SqlConn,
  currency: string,
  w: Window,
  experiment: string,
  basis: ProfitBasis,
): Promise<RewardSums[]> {
  const exp = currencyExponent(currency);
  const rows = await db.all<{
    sg: string | null;
    n: number;
    sr: string;
    srr: string;
    sp: string;
    spp: string;
    sold: string;
    costed: string;
  }>(
    `WITH ${sessionProfitCtes(1)},
      u AS (
        SELECT ${variantOf(db.dialect, 'x.experiments', '$7')} AS sg,
          coalesce(per.r, 0) AS r, coalesce(per.p, 0) AS p, coalesce(per.sold, 0) AS sold,
          coalesce(per.costed, 0) AS costed
        FROM rf_sessions x LEFT JOIN per USING (session_id)
        WHERE NOT (x.bot_agent OR x.bot_behaviour) AND ${inDays('x.started_at', '$5', '$6')})
    SELECT sg, count(*)::INTEGER AS n, sum(r)::VARCHAR AS sr, sum(r * r)::VARCHAR AS srr, sum(p)::VARCHAR AS sp,
      sum(p * p)::VARCHAR AS spp, sum(sold)::VARCHAR AS sold, sum(costed)::VARCHAR AS costed
    FROM u WHERE sg IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [...sessionProfitParams(currency, basis), w.from, w.to, experiment],
  );
  // The sums are exact decimal text in major units from SQL (see EXACT); rewards are in minor units.
  const k = 10 ** exp;
  return rows.map((r) => ({
    segment: r.sg ?? 'unknown',
    n: r.n,
    revenue: { sx: Number(r.sr) * k, sxx: Number(r.srr) * k * k },
    profit: { sx: Number(r.sp) * k, sxx: Number(r.spp) * k * k },
    soldMinor: Math.round(Number(r.sold) * k),
    costedMinor: Math.round(Number(r.costed) * k),
  }));
}

/**
 * Each human session's net revenue r and profit p, and its sold merchandise and the part with a known cost, as the
 * CTEs lines, o and per(session_id, r, p, sold, costed), for experimentRewards() and experimentUnits() to share.
 * Parameters: currency, the assumed margin, whether shipping counts, and what shipping costs per order (numbered
 * from `first`: $first is the currency).
 */
export function sessionProfitCtes(first: number): string {
  const [cur, margin, ship, shipCost] = [0, 1, 2, 3].map((i) => `$${first + i}`);
  // Exact decimals throughout (the margin too, bound as decimal text): profit sums are then the same in every
  // engine, whatever order it adds in.
  return `lines AS (
        SELECT l.order_id, sum(l.quantity * l.unit_price) AS sold,
          coalesce(sum(l.quantity * l.unit_price) FILTER (WHERE p.cost IS NOT NULL), 0) AS costed,
          coalesce(sum(l.quantity * p.cost) FILTER (WHERE p.cost IS NOT NULL), 0) AS cost_known,
          coalesce(sum(l.quantity * l.unit_price) FILTER (WHERE p.cost IS NULL), 0) AS uncosted
        FROM order_lines l LEFT JOIN products p USING (product_id)
        WHERE ${isSoldProductLine('l')} GROUP BY 1),
      o AS (
        SELECT o.unit_session AS session_id, coalesce(o.gross, 0) - o.discount - o.refunded AS r,
          CASE WHEN x.status = 'refunded' THEN 0
            ELSE coalesce(l.cost_known, 0) + coalesce(l.uncosted, 0) * (1 - ${margin}::VARCHAR::DECIMAL(18, 6)) END
            AS cogs,
          CASE WHEN ${ship}::BOOLEAN THEN coalesce(o.shipping, 0) - ${shipCost}::VARCHAR::DECIMAL(18, 3) ELSE 0 END
            AS ship,
          coalesce(l.sold, 0) AS sold, coalesce(l.costed, 0) AS costed
        FROM rf_orders o LEFT JOIN lines l USING (order_id) JOIN orders x USING (order_id)
        WHERE o.currency = ${cur} AND o.kind = 'sale' AND o.human_session),
      per AS (SELECT session_id, ${EXACT('sum(r)')} AS r, ${EXACT6('sum(r - cogs + ship)')} AS p,
          ${EXACT('sum(sold)')} AS sold, ${EXACT('sum(costed)')} AS costed
        FROM o GROUP BY 1)`;
}

/** The bound parameters of sessionProfitCtes(), in its order. */
export function sessionProfitParams(currency: string, basis: ProfitBasis): (string | number | boolean)[] {
  return [
    currency,
    // As decimal text: a float margin would make profit a float sum (see sessionProfitCtes).
    basis.assumedMargin.toFixed(6),
    basis.shippingCostMinor != null,
    minorToDecimal(basis.shippingCostMinor ?? 0, currencyExponent(currency)),
  ];
}
