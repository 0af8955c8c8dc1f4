import type { RowSink } from '../core/model/rows.js';
import { DAY_MS, toIsoDate } from '../core/time.js';
import { BY_ID, productRows } from './catalog.js';
import { assign } from '../core/experiments/assign.js';
import type { SimOptions } from './params.js';
import { Rng, seedOf } from '../core/rng.js';
import { scenarioByName, withoutChange, type Scenario } from './scenarios.js';
import { simulateSession, type SessionOutcome, type Visitor } from './shopper.js';
import {
  type ArmTruth,
  effect,
  type ExperimentTruth,
  experimentTruth,
  TallyByDevice,
  type Metrics,
} from './truth.js';
import { World } from './world.js';

export interface SimResult {
  truth: Truth;
  rows: {
    sessions: number;
    events: number;
    orders: number;
    orderLines: number;
    customers: number;
    products: number;
  };
}

export interface Truth {
  generator: string;
  options: SimOptions;
  scenario: {
    name: string;
    description: string;
    change: Scenario['change'];
    changeDay: number | null;
    changeDate: string | null;
    effectWindow: { from: string; to: string } | null;
  };
  parameters: { firstDay: unknown; lastDay: unknown };
  realized: { overall: Metrics; before: Metrics | null; after: Metrics | null };
  /**
   * The same seed with the change never made, over the effect window: realized − counterfactual is the
   * effect.
   */
  counterfactual: Metrics | null;
  effect: ReturnType<typeof effect> | null;
  /**
   * The same run replayed under each free-shipping threshold; the best is the one with most profit per
   * session.
   */
  thresholds: {
    grid: {
      thresholdMinor: number;
      cvr: number;
      aovMinor: number;
      rpsMinor: number;
      profitPerSessionMinor: number;
    }[];
    bestMinor: number;
  } | null;
  /**
   * The threshold experiment's truth: every treated (non-holdout) human session replayed under each variant's
   * threshold, same shoppers; `effect` is each variant against the first (the control).
   */
  experiment: ExperimentTruth<ArmTruth & { thresholdMinor: number; profitPerSessionMinor: number }> | null;
}

/** Days in the effect window of a scenario; a campaign ends, a permanent change runs to the last day. */
function effectWindow(s: Scenario, change: number, days: number): [number, number] {
  return s.name === 'coupon-campaign' ? [change, Math.min(days, change + 14)] : [change, days];
}

/**
 * Runs the store for opts.days days. Every session draws from its own seeded stream, so the counterfactual
 * run (the change never made) meets the same shoppers and differs only by the change.
 */
export function simulate(opts: SimOptions, sink: RowSink, onDay?: (day: number) => void): SimResult {
  const scenario = scenarioByName(opts.scenario);
  const changeDay = scenario.change ? (opts.changeDay ?? Math.floor(opts.days / 2)) : null;
  const win = changeDay != null ? effectWindow(scenario, changeDay, opts.days) : null;
  const world = new World(opts.sessionsPerDay, opts.idPrefix);
  const overall = new TallyByDevice();
  const before = new TallyByDevice();
  const after = new TallyByDevice();
  const rows = { sessions: 0, events: 0, orders: 0, orderLines: 0, customers: 0, products: 0 };
  let atChange: World | null = null;
  // Who visits is recorded once, and every replay (the counterfactual, each threshold of the grid) meets the
  // same visitors: otherwise an order won or lost changes who comes back later, and that reshuffling, not the
  // change, would dominate the replay's difference.
  const visitors = new Map<string, Visitor>();
  // Only a run that is replayed keeps them (a million sessions' visitors held to the end cost the GC dearly).
  const replayed = win != null || !!opts.thresholdGrid?.length || !!opts.experiment;
  for (let day = 0; day < opts.days; day++) {
    if (day === changeDay) atChange = world.clone();
    runDay(opts, scenario, changeDay ?? opts.days, day, world, replayed ? { record: visitors } : {}, (o) => {
      overall.add(o);
      if (changeDay != null && day < changeDay) before.add(o);
      if (win && day >= win[0] && day < win[1]) after.add(o);
      writeOutcome(sink, o, rows);
    });
    onDay?.(day);
  }
  let counterfactual: Metrics | null = null;
  if (win && atChange && changeDay != null) {
    const cf = new TallyByDevice();
    const cfScenario = withoutChange(scenario);
    for (let day = changeDay; day < win[1]; day++) {
      runDay(
        opts,
        cfScenario,
        changeDay,
        day,
        atChange,
        { replay: visitors },
        (o) => day >= win[0] && cf.add(o),
      );
    }
    counterfactual = cf.metrics();
  }
  // Every session replayed under one threshold (the same shoppers, no experiment): a threshold's truth.
  const replayAt = (T: number, keep: (o: SessionOutcome) => boolean = () => true): Metrics => {
    const tally = new TallyByDevice();
    const fixed: Scenario = {
      ...scenario,
      paramsFor: (d, c) => ({ ...scenario.paramsFor(d, c), freeShippingThresholdMinor: T }),
    };
    const w = new World(opts.sessionsPerDay, opts.idPrefix);
    const plain = { ...opts, experiment: undefined };
    for (let day = 0; day < opts.days; day++)
      runDay(plain, fixed, changeDay ?? opts.days, day, w, { replay: visitors }, (o) => {
        if (keep(o)) tally.add(o);
      });
    return tally.metrics();
  };
  let thresholds: Truth['thresholds'] = null;
  if (opts.thresholdGrid?.length) {
    const grid = opts.thresholdGrid.map((T) => {
      const m = replayAt(T);
      return {
        thresholdMinor: T,
        cvr: m.cvr,
        aovMinor: m.aovMinor,
        rpsMinor: m.rpsMinor,
        profitPerSessionMinor: m.profitPerSessionMinor,
      };
    });
    const best = grid.reduce((b, g) => (g.profitPerSessionMinor > b.profitPerSessionMinor ? g : b));
    thresholds = { grid, bestMinor: best.thresholdMinor };
  }
  let experiment: Truth['experiment'] = null;
  if (opts.experiment) {
    const e = opts.experiment;
    // The experiment's population: treated sessions (the global holdout is in no experiment).
    experiment = experimentTruth(
      e.id,
      e.variants.map((v) => {
        const m = replayAt(v.thresholdMinor, (o) => !o.holdout);
        return {
          id: v.id,
          thresholdMinor: v.thresholdMinor,
          sessions: m.humanSessions,
          cvr: m.cvr,
          aovMinor: m.aovMinor,
          rpsMinor: m.rpsMinor,
          profitPerSessionMinor: m.profitPerSessionMinor,
        };
      }),
    );
  }
  const products = productRows(opts.currency, (p) => new Rng(seedOf(opts.seed, 'stock', p.id)).int(0, 400));
  if (scenario.name === 'new-bundle') {
    const b = scenario.paramsFor(opts.days, 0).bundle!;
    const items = b.items.map((id) => BY_ID.get(id)!);
    const sum = (k: 'price' | 'cost') => items.reduce((s, p) => s + p[k], 0);
    products.push({
      product_id: b.id,
      sku: b.id.toUpperCase(),
      title: b.title,
      category: 'skincare/sets',
      family: null,
      price: Math.round(sum('price') * (1 - b.percentOff / 100)),
      cost: sum('cost'),
      currency: opts.currency,
      stock: 200,
    });
  }
  for (const p of products) sink.write('products', p);
  for (const c of world.rows()) sink.write('customers', c);
  rows.products = products.length;
  rows.customers = world.customers.length;
  const date = (d: number) => toIsoDate(opts.startMs + d * DAY_MS);
  const afterM = win ? after.metrics() : null;
  return {
    rows,
    truth: {
      generator: 'levers simulate',
      options: opts,
      scenario: {
        name: scenario.name,
        description: scenario.description,
        change: scenario.change,
        changeDay,
        changeDate: changeDay != null ? date(changeDay) : null,
        effectWindow: win ? { from: date(win[0]), to: date(win[1] - 1) } : null,
      },
      parameters: {
        firstDay: scenario.paramsFor(0, changeDay ?? opts.days),
        lastDay: scenario.paramsFor(opts.days - 1, changeDay ?? opts.days),
      },
      realized: {
        overall: overall.metrics(),
        before: changeDay != null ? before.metrics() : null,
        after: afterM,
      },
      counterfactual,
      effect: afterM && counterfactual ? effect(afterM, counterfactual) : null,
      thresholds,
      experiment,
    },
  };
}

/**
 * Every session of a run as the shopper model produced it, in order, for driving a live server (levers
 * replay).
 */
export function forEachSession(opts: SimOptions, fn: (o: SessionOutcome, day: number) => void): void {
  const scenario = scenarioByName(opts.scenario);
  const world = new World(opts.sessionsPerDay, opts.idPrefix);
  for (let day = 0; day < opts.days; day++)
    runDay(opts, scenario, opts.days, day, world, {}, (o) => fn(o, day));
}

/**
 * Every session of a run under each of several free-shipping thresholds, the same shoppers meeting each (the
 * visitors of the first threshold's run are replayed under the others, as the truth's replays do): fn gets the
 * threshold's index, the session's outcome and its day. For benches that need each session under every arm
 * (a bandit's reward whichever arm it picks) without simulating a store per policy.
 */
export function forEachSessionAt(
  opts: SimOptions,
  thresholds: readonly number[],
  fn: (arm: number, o: SessionOutcome, day: number) => void,
): void {
  const scenario = scenarioByName(opts.scenario);
  const visitors = new Map<string, Visitor>();
  const plain = { ...opts, experiment: undefined };
  thresholds.forEach((T, k) => {
    const fixed: Scenario = {
      ...scenario,
      paramsFor: (d, c) => ({ ...scenario.paramsFor(d, c), freeShippingThresholdMinor: T }),
    };
    const w = new World(opts.sessionsPerDay, opts.idPrefix);
    const who = k === 0 ? { record: visitors } : { replay: visitors };
    for (let day = 0; day < opts.days; day++)
      runDay(plain, fixed, opts.days, day, w, who, (o) => fn(k, o, day));
  });
}

function runDay(
  opts: SimOptions,
  scenario: Scenario,
  changeDay: number,
  day: number,
  world: World,
  visitors: { record?: Map<string, Visitor>; replay?: Map<string, Visitor> },
  emit: (o: SessionOutcome) => void,
): void {
  const scheduled = scenario.paramsFor(day, changeDay);
  const params = {
    ...scheduled,
    ...(opts.organic ? { offersEnabled: false } : {}),
    ...(opts.topUpFactor != null ? { topUpFactor: opts.topUpFactor } : {}),
  };
  const dayRng = new Rng(seedOf(opts.seed, 'day', day));
  const weekly = 1 + 0.1 * Math.sin((2 * Math.PI * day) / 7);
  const n = Math.max(1, Math.round(opts.sessionsPerDay * weekly * (1 + 0.05 * dayRng.normal())));
  const dayStartMs = opts.startMs + day * DAY_MS;
  let burstStart = 0;
  let burstLeft = 0;
  for (let i = 0; i < n; i++) {
    const id = `s${opts.idPrefix ?? ''}${day}-${i}`;
    const rng = new Rng(seedOf(opts.seed, id));
    const bot = rng.chance(params.botShare);
    if (bot && burstLeft-- <= 0) {
      // Bots arrive in zero-duration bursts of sessions that share a start second.
      burstStart = dayStartMs + rng.int(0, 86_399) * 1000;
      burstLeft = rng.int(0, 6);
    }
    const visitor = bot
      ? { customerId: null, returning: false }
      : (visitors.replay?.get(id) ??
        withAppetite(world.visitor(new Rng(seedOf(opts.seed, 'visitor', id))), opts, id));
    visitors.record?.set(id, visitor);
    const variant = bot ? null : variantOf(opts.experiment, id);
    const o = simulateSession(rng, {
      id,
      dayStartMs,
      params: variant ? { ...params, freeShippingThresholdMinor: variant.thresholdMinor } : params,
      visitor,
      currency: opts.currency,
      bot,
      burstStartMs: burstStart,
      intent: opts.intent,
    });
    // As levers serve stamps it: the global holdout is in no experiment.
    if (!bot && !o.holdout && params.offersEnabled) {
      const stamps = variant ? [`${opts.experiment!.id}=${variant.id}`] : [];
      for (const e of opts.inertExperiments ?? [])
        stamps.push(`${e.id}=${variantOf(e, e.unit === 'visitor' ? (visitor.customerId ?? id) : id)!.id}`);
      if (stamps.length) o.session.experiments = stamps.join(';');
    }
    if (o.order) {
      const cid = o.order.customer_id ?? world.newCustomer(o.order.placed_at, visitor.appetite);
      o.order.customer_id = cid;
      o.session.customer_id = cid;
      if (o.order.status !== 'cancelled')
        world.recordOrder(cid, (o.order.gross_merchandise ?? 0) - o.order.discount - o.order.refunded);
    }
    emit(o);
  }
}

function writeOutcome(sink: RowSink, o: SessionOutcome, rows: SimResult['rows']): void {
  sink.write('sessions', o.session);
  for (const e of o.events) sink.write('events', e);
  rows.sessions++;
  rows.events += o.events.length;
  if (o.order) {
    sink.write('orders', o.order);
    for (const l of o.lines) sink.write('order_lines', l);
    rows.orders++;
    rows.orderLines += o.lines.length;
  }
}

/** The session's variant by the same hash levers serve uses (unit: the session); null without an experiment. */
function variantOf<V extends { id: string; weight: number }>(
  e: { id: string; variants: V[] } | undefined,
  sessionId: string,
): V | null {
  if (!e) return null;
  const a = assign({ experiment: e.id, unit: sessionId, holdoutShare: 0, variants: e.variants });
  return e.variants.find((v) => v.id === a.variant) ?? null;
}

/**
 * A new visitor's lifelong appetite (opts.appetiteSpread), from its own random stream so that a store simulated
 * without it is the same store as before; a returning customer keeps the one they had.
 */
function withAppetite(v: Visitor, opts: SimOptions, id: string): Visitor {
  const sigma = opts.appetiteSpread ?? 0;
  if (sigma <= 0 || v.returning) return v;
  const z = new Rng(seedOf(opts.seed, 'appetite', id)).normal();
  return { ...v, appetite: Math.exp(sigma * z - (sigma * sigma) / 2) };
}
