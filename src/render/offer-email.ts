import { renderTemplate, type TextOptions } from '../core/offers/templates/render.js';
import { formatMoneyIn } from '../core/offers/templates/render.js';
import type { Offer } from '../core/offers/types.js';
import { esc } from './html.js';

export interface OfferEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * O8: an offer as an email for the operator's own mailer: a subject, a plain-text part and an HTML part with
 * inline styles only (mail clients drop style sheets), its items with their prices and one button. The link is
 * the operator's (their cart or order page); the texts are the email templates of offers.templates.
 */
export function offerEmail(
  purpose: 'post-purchase' | 'cart-recovery',
  o: Offer,
  t: Omit<TextOptions, 'channel'>,
  link: string,
): OfferEmail {
  const opts = { ...t, channel: 'email' as const };
  const subject = renderTemplate(`subject.${purpose}`, o.fields, opts);
  const body = renderTemplate(o.type, o.fields, opts) || o.text;
  const button = renderTemplate('email.button', o.fields, opts);
  const price = (p: number | null) => (p == null ? '' : formatMoneyIn(p, t.currency, t.locale));
  const text = [
    body,
    '',
    ...o.items.map(
      (i) => `- ${i.title ?? i.productId}${i.priceMinor != null ? `: ${price(i.priceMinor)}` : ''}`,
    ),
    '',
    `${button}: ${link}`,
    '',
  ].join('\n');
  const items = o.items
    .map(
      (i) =>
        `<tr><td style="padding:4px 0">${esc(i.title ?? i.productId)}</td>` +
        `<td style="padding:4px 0;text-align:right">${esc(price(i.priceMinor))}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html>
<html lang="${esc(t.locale)}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f6f4;font-family:Helvetica,Arial,sans-serif;color:#222">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<tr><td><p style="font-size:16px;line-height:1.5;margin:0 0 16px">${esc(body)}</p>
<table role="presentation" width="100%" style="font-size:14px;border-top:1px solid #eee;border-bottom:1px solid #eee;margin:0 0 16px">${items}</table>
<a href="${esc(link)}" style="display:inline-block;background:#1f6f5c;color:#fff;text-decoration:none;padding:10px 18px;border-radius:6px;font-size:14px">${esc(button)}</a>
</td></tr></table>
</body></html>
`;
  return { subject, text, html };
}
