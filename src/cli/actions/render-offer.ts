import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { z } from 'zod';
import { EMAIL_PURPOSES, renderOfferEmails } from '../../app/render-offer.js';
import { Locale, parseOfferConfig } from '../../core/offers/config.js';
import { offerConfigOf } from '../offer-config.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

const Options = z.object({
  channel: z.literal('email', { error: 'must be email (the web and the chat ask the server)' }),
  offer: z.enum([...EMAIL_PURPOSES, 'all']),
  cart: z.string().min(1, 'name the cart: comma-separated product ids, id*n for n units'),
  customer: z.string().min(1).optional(),
  session: z.string().min(1),
  locale: Locale.optional(),
  link: z.string().min(1),
  out: z.string().optional(),
  config: z.string().optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** `levers render-offer --channel email`. */
export async function runRenderOffer(cmd: Command): Promise<void> {
  const o = parseOptions(Options, cmd);
  const store = storeOf(o.store);
  const config = (await offerConfigOf(o.config, store)) ?? parseOfferConfig({});
  const rendered = renderOfferEmails(store.snapshots.loadModel(), config, {
    purposes: o.offer === 'all' ? EMAIL_PURPOSES : [o.offer],
    cart: o.cart
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    sessionId: o.session,
    link: o.link,
    ...(o.customer ? { customer: o.customer } : {}),
    ...(o.locale ? { locale: o.locale } : {}),
  });
  if (o.json) return printJson(rendered);
  for (const r of rendered) {
    if (!r.email) {
      process.stdout.write(`${r.purpose}: no offer (${r.reasonCode}: ${r.reason})\n`);
      continue;
    }
    if (o.out) {
      mkdirSync(o.out, { recursive: true });
      writeFileSync(join(o.out, `${r.purpose}.html`), r.email.html);
      writeFileSync(join(o.out, `${r.purpose}.txt`), r.email.text);
      writeFileSync(join(o.out, `${r.purpose}.subject.txt`), `${r.email.subject}\n`);
      process.stdout.write(`${r.purpose}: ${r.offer!.id} → ${join(o.out, `${r.purpose}.html`)} and .txt\n`);
      continue;
    }
    process.stdout.write(
      `── ${r.purpose}: ${r.offer!.id} ──\nSubject: ${r.email.subject}\n\n${r.email.text}\n${r.email.html}\n`,
    );
  }
}
