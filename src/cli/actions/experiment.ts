import { writeFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { showExperiment } from '../../app/experiment.js';
import { listExperiments, weightsInForce } from '../../app/experiment-list.js';
import { type OfferConfig, withBanditWeights } from '../../core/offers/config.js';
import { renderExperiment } from '../../render/experiment.js';
import { renderExperimentHtml } from '../../render/experiment-html.js';
import { experimentContextOf } from '../offer-config.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

type Opts = Record<string, string | boolean | undefined>;

/** `levers experiment list`. */
export async function runList(cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals() as Opts;
  const store = storeOf(opts.store as string | undefined);
  const ctx = await experimentContextOf(opts.config as string | undefined, store);
  // What levers serve assigns by: a bandit's published weights over the configured ones.
  const offers = { experiments: [...ctx.experiments] } as unknown as OfferConfig;
  const published = store.snapshots.loadBanditWeights();
  const served = withBanditWeights(offers, published);
  const list = listExperiments(
    ctx,
    new Date().toISOString().slice(0, 10),
    served.config.experiments,
    weightsInForce(served.applied, published),
  );
  if (opts.json) {
    printJson(list);
    return;
  }
  const lines = ['holdout  the global holdout: personalised offers against none (always on)'];
  for (const e of list.experiments)
    lines.push(
      `${e.id}  ${e.start}..${e.end ?? 'open'} (${e.status}), ` +
        `${e.variants.map((v) => `${v.id} ${v.weight}${v.servedWeight !== v.weight ? ` (served ${Number(v.servedWeight.toFixed(3))})` : ''}`).join(' / ')}, ` +
        `unit ${e.unit}${e.bandit ? `, a bandit on ${e.bandit.reward} (floor ${e.bandit.floor}, every ${e.bandit.every}${e.weights ? `; weights v${e.weights.version} of ${e.weights.createdAt.slice(0, 16).replace('T', ' ')} UTC` : '; no weights published yet'})` : ''}: ${e.hypothesis}`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `levers experiment show ID`. */
export async function runShow(id: string, cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals() as Opts;
  const common = {
    ...(opts.from ? { from: String(opts.from) } : {}),
    ...(opts.to ? { to: String(opts.to) } : {}),
    ...(opts.currency ? { currency: String(opts.currency) } : {}),
    sequential: opts.sequential === true,
    targetLift: Number(opts.targetLift),
  };
  const store = storeOf(opts.store as string | undefined);
  const ctx = await experimentContextOf(opts.config as string | undefined, store);
  const r = await showExperiment(store, id, common, {
    ...ctx,
    holdoutShare: opts.holdoutShare != null ? Number(opts.holdoutShare) : ctx.holdoutShare,
  });
  if (opts.json) return printJson(r);
  if (opts.out) {
    writeFileSync(String(opts.out), renderExperimentHtml(r));
    return void process.stdout.write(`${renderExperiment(r)}\n\nHTML: ${opts.out}\n`);
  }
  if (opts.html) return void process.stdout.write(renderExperimentHtml(r));
  process.stdout.write(`${renderExperiment(r)}\n`);
}
