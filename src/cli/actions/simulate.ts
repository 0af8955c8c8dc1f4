import type { Command } from '../command.js';
import { z } from 'zod';
import { simulate } from '../../app/simulate.js';
import { LeversError } from '../../core/errors.js';
import { parseMoney } from '../../core/money.js';
import { parseTimestamp } from '../../core/time.js';
import { renderSimulation } from '../../render/simulate.js';
import type { SimExperiment } from '../../sim/params.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { progressBar } from '../progress.js';
import { storeOf } from '../store-option.js';

const Options = z.object({
  seed: z.coerce.number().int('must be a whole number'),
  days: z.coerce.number().int().min(1, 'must be at least 1').max(3660),
  sessionsPerDay: z.coerce.number().int().min(1, 'must be at least 1').max(10_000_000),
  scenario: z.string(),
  changeDay: z.coerce.number().int().min(1).optional(),
  start: z.string(),
  out: z.string().optional(),
  replace: z.boolean().optional(),
  truthThresholds: z
    .string()
    .regex(/^[\d.]+:[\d.]+:[\d.]+$/, 'is FROM:TO:STEP in currency units, e.g. 30:100:5')
    .optional(),
  topUpFactor: z.coerce.number().min(0).max(3).optional(),
  appetiteSpread: z.coerce.number().min(0).max(3).optional(),
  experimentThresholds: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)+$/, 'is two or more thresholds in currency units, e.g. 50,75')
    .optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** `levers simulate`. */
export async function runSimulate(cmd: Command): Promise<void> {
  const o = parseOptions(Options, cmd);
  const start = parseTimestamp(o.start);
  if (!start.ok) throw new LeversError('INVALID_OPTION', { option: 'start', detail: start.reason });
  const bar = progressBar('simulate', !!o.json);
  const run = await simulate(
    storeOf(o.store),
    {
      seed: o.seed,
      days: o.days,
      sessionsPerDay: o.sessionsPerDay,
      startMs: start.ms,
      currency: 'USD',
      scenario: o.scenario,
      ...(o.changeDay !== undefined ? { changeDay: o.changeDay } : {}),
      ...(o.truthThresholds ? { thresholdGrid: grid(o.truthThresholds) } : {}),
      ...(o.topUpFactor !== undefined ? { topUpFactor: o.topUpFactor } : {}),
      ...(o.appetiteSpread ? { appetiteSpread: o.appetiteSpread } : {}),
      ...(o.experimentThresholds ? { experiment: simExperiment(o.experimentThresholds) } : {}),
    },
    { ...(o.out ? { outDir: o.out } : {}), replace: !!o.replace },
    (d) => bar.update((d + 1) / o.days),
  ).finally(() => bar.stop());
  if (o.json)
    return printJson({
      where: run.where,
      truthFile: run.truthFile,
      rows: run.result.rows,
      seconds: Number(run.seconds.toFixed(2)),
      truth: run.result.truth,
    });
  process.stdout.write(`${renderSimulation(run)}\n`);
}

/** FROM:TO:STEP in dollars (the simulated store's currency), exactly, as minor units. */
function grid(spec: string): number[] {
  const [from, to, step] = spec
    .split(':')
    .map((x) => parseMoney(x, 2))
    .map((p) => {
      if (!p.ok) throw new LeversError('INVALID_OPTION', { option: 'truthThresholds', detail: p.reason });
      return p.minor;
    }) as [number, number, number];
  if (step <= 0 || from > to || (to - from) / step > 100)
    throw new LeversError('INVALID_OPTION', {
      option: 'truthThresholds',
      detail: 'FROM ≤ TO, STEP > 0, at most 100 points',
    });
  const out: number[] = [];
  for (let t = from; t <= to; t += step) out.push(t);
  return out;
}

/** "50,75" → experiment sim-threshold with variants t50 (the control) and t75, equal weights, thresholds in cents. */
export function simExperiment(list: string): SimExperiment {
  const ts = list.split(',').map(Number);
  return {
    id: 'sim-threshold',
    variants: ts.map((t) => ({ id: `t${t}`, weight: 1 / ts.length, thresholdMinor: Math.round(t * 100) })),
  };
}
