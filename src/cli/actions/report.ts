import { writeFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { profitBasisOf } from '../../app/experiment.js';
import { report } from '../../app/report.js';
import { ReportOptionsSchema } from '../../app/report-options.js';
import { renderHtml } from '../../render/report-html.js';
import { renderReport } from '../../render/report-terminal.js';
import { offerConfigOf } from '../offer-config.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

/** `levers report`. */
export async function runReport(cmd: Command): Promise<void> {
  const o = parseOptions(ReportOptionsSchema, cmd, Object.keys(ReportOptionsSchema.shape));
  const { json, html, store, config } = cmd.optsWithGlobals() as {
    json?: boolean;
    html?: string;
    store?: string;
    config?: string;
  };
  const s = storeOf(store);
  const offers = await offerConfigOf(config, s);
  const r = await report(s, o, offers?.experiments ?? null, offers ? profitBasisOf(offers) : undefined);
  if (html) writeFileSync(html, renderHtml(r));
  if (json) return printJson(r);
  process.stdout.write(`${renderReport(r) + (html ? `\n\nHTML report: ${html}` : '')}\n`);
}
