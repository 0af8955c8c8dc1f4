import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { EMAIL_PURPOSES, renderOfferEmails } from '../app/render-offer.js';
import { parseOfferConfig } from '../core/offers/config.js';
import { Locale } from '../core/offers/config.js';
import { offerConfigOf } from './offer-config.js';
import { parseOptions } from './options.js';
import { printJson } from './output.js';
import { storeOf } from './store-option.js';

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

export function registerRenderOffer(program: Command): void {
  program
    .command('render-offer')
    .description(
      "the post-purchase and cart-recovery offers for a cart as email (HTML and text) for the operator's mailer",
    )
    .requiredOption('--channel <channel>', 'email')
    .requiredOption('--cart <ids>', 'comma-separated product ids of the cart or order (id*n for n units)')
    .option('--offer <kind>', `${EMAIL_PURPOSES.join(', ')} or all`, 'all')
    .option('--customer <id>', 'the customer the mail is for (decides the holdout, as on the site)')
    .option('--session <id>', 'the unit when no customer is named', 'email')
    .option('--locale <tag>', "the texts' locale (default: offers.locale)")
    .option('--link <url>', 'where the button leads (the cart or the order page)', '#')
    .option(
      '--out <dir>',
      'write <offer>.html, <offer>.txt and <offer>.subject.txt there instead of printing',
    )
    .option(
      '--config <file>',
      'server configuration with the offers (default: levers.config.json when present)',
    )
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const store = storeOf(o.store);
      const config = offerConfigOf(o.config) ?? parseOfferConfig({});
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
          process.stdout.write(
            `${r.purpose}: ${r.offer!.id} → ${join(o.out, `${r.purpose}.html`)} and .txt\n`,
          );
          continue;
        }
        process.stdout.write(
          `── ${r.purpose}: ${r.offer!.id} ──\nSubject: ${r.email.subject}\n\n${r.email.text}\n${r.email.html}\n`,
        );
      }
    });
}
