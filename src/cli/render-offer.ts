import type { Command } from './command.js';
import { EMAIL_PURPOSES } from '../app/email-purposes.js';

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
    .action(async (_o: unknown, cmd: Command) =>
      (await import('./actions/render-offer.js')).runRenderOffer(cmd),
    );
}
