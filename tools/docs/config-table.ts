import { z } from 'zod';
import { OfferConfigSchema } from '../../src/core/offers/config.js';
import { ServerConfigSchema } from '../../src/server/config.js';

/** What each configuration key is for, in one line; the type, default and limits come from the schemas. */
const MEANING: Record<string, string> = {
  publishableKeys: 'keys the storefront may hold (decide, events); at least one, 16+ characters',
  secretKeys: 'keys for the back office (recommendations, report, events load); 24+ characters',
  allowedOrigins: 'browser origins allowed to call the API (CORS); others get 403 ORIGIN_NOT_ALLOWED',
  bodyLimitBytes: 'largest request body',
  rateLimitPerMinute:
    'requests a minute for the whole server, all workers together (with --database, every server of the store together)',
  'rateLimitPerMinute.publishable': 'per publishable key and shopper address',
  'rateLimitPerMinute.secret': 'per secret key',
  'rateLimitPerMinute.failedAuth': 'failed authentications per address',
  maxEventsPerBatch: 'events in one POST /v1/events (a batch is stored whole or not at all)',
  trustProxy: 'read the shopper address from X-Forwarded-For: true, a hop count, or proxy addresses/CIDRs',
  requestTimeoutMs: 'a request must arrive whole within this time',
  keepAliveTimeoutMs: 'idle keep-alive connections close after this time',
  eventTimeWindow: 'event times accepted around the server clock',
  'eventTimeWindow.pastDays': 'oldest accepted occurredAt, in days before now',
  'eventTimeWindow.futureMinutes': 'latest accepted occurredAt, in minutes after now (clock skew)',
  clientOrderMaxMinor: 'largest purchase a browser (publishable key) may report, minor units',
  dashboard: "the operator's dashboard at /dashboard (docs/dashboard.md)",
  'dashboard.enabled': 'serve it; false: /dashboard answers 404',
  'dashboard.sessionMinutes': 'a sign-in lasts this long (a secret key exchanged for an HttpOnly cookie)',
  offers: 'the offer configuration below (with --database, the version levers config publish put there is served)',
  currency: "the store's currency (ISO 4217); events in another are refused",
  experiment: 'the experiment name the holdout hash is salted with; change it to reshuffle units',
  maxOffersPerDecision: 'offers shown at most per decision; the rest are refused OVER_MAX_OFFERS',
  holdoutShare: 'share of units (customer, else session) that never get a personalised offer',
  info: 'O6: what a shopper should know before buying, shown to every group',
  'info.deliveryDays': 'delivery promise, e.g. {"min": 2, "max": 4}',
  'info.deliveryDays.min': 'fewest days',
  'info.deliveryDays.max': 'most days (not below min)',
  'info.returnPolicy': 'one line on returns',
  'info.lowStockBelow': 'say "only N left" below this stock',
  economics: 'what offer values rest on where the data cannot say; stated in each decision',
  'economics.defaultMarginPercent': 'margin of a product without a cost (marginBasis: assumed-margin)',
  'economics.crossSellUplift': 'how much more often a shown item is added than unprompted (0.3 = +30%)',
  discountLimits: 'guard rails on discounts',
  'discountLimits.maxPercentOff': 'no bundle or tier may give more',
  experiments: 'E2: A/B tests of these offers; two may not change the same key on overlapping days',
  'experiments[].id': 'the experiment as reported; also the seed of its assignment',
  'experiments[].hypothesis': 'what the change should do, and why',
  'experiments[].unit': 'what keeps its variant: visitor = customer id, else session',
  'experiments[].variants': 'two to eight; the first is the control',
  'experiments[].variants[].id': 'the variant as reported',
  'experiments[].variants[].weight': "share of the experiment's units; the weights sum to 1",
  'experiments[].variants[].overrides': 'offer keys this variant changes, e.g. {"freeShipping":{"thresholdMinor":7500}}',
  'experiments[].start': 'first day (UTC), YYYY-MM-DD',
  'experiments[].end': 'last day (UTC), included; absent, it runs until removed',
  'experiments[].primary': 'the metric that decides',
  'experiments[].guardrails': 'metrics whose detectable fall stops a variant',
  'experiments[].bandit':
    'E3: a bandit; levers experiment weights publishes Thompson-sampling weights that replace the configured ones',
  'experiments[].bandit.floor': 'least share each variant keeps; floor × variants must not be over 1',
  'experiments[].bandit.reward':
    'profit per session (product costs; revenue when none has a cost, said) or rps (revenue per session)',
  'experiments[].bandit.every': 'how often weights are recomputed (12h, 1d); a younger publication stays',
  'experiments[].capping':
    'winsorise revenue and profit per unit at a percentile of the units that bought (all variants pooled); off unless set',
  'experiments[].capping.percentile': 'e.g. 0.99: revenue above the 99th percentile counts as that value',
  freeShipping: 'O1: the progress bar; absent, no free-shipping offer',
  'freeShipping.thresholdMinor': 'free shipping from this cart value, minor units',
  'freeShipping.shippingFeeMinor': 'fee charged below the threshold',
  'freeShipping.shippingCostMinor': 'what shipping costs the store (default: the fee)',
  'freeShipping.showWithinShare': 'show the bar when the gap is at most this share of the threshold',
  loyalty: 'O2: tiers by lifetime spend; absent, no loyalty offer',
  'loyalty.tiers': 'tiers, each {name, minSpendMinor}',
  'loyalty.tiers[].name': 'shown to the shopper',
  'loyalty.tiers[].minSpendMinor': 'lifetime spend that unlocks it',
  'loyalty.proximityBand': 'offer the next tier when within this share of it',
  volumeTiers: 'O3: "buy N, save P%" tiers, each {minQuantity, percentOff}',
  'volumeTiers[].minQuantity': 'units of one product',
  'volumeTiers[].percentOff': 'discount on every unit at that quantity',
  bundles: 'O4: sets offered when part is in the cart, each {id, title, items, percentOff}',
  'bundles[].id': 'offer id suffix (bundle:<id>)',
  'bundles[].title': 'shown to the shopper',
  'bundles[].items': 'product ids, two or more',
  'bundles[].percentOff': 'discount on the whole set (at most discountLimits.maxPercentOff)',
  messages:
    'segment messages by visitor type (new, returning, customer, vip, exiting); {threshold}, {firstName}',
  upsell: 'O8: offer the better model of a cart item (same family, 10–100% dearer); absent: no upsell offers',
  'upsell.highlights':
    'the one reason to say per better model, by product id ("includes a built-in grinder"); else the data\'s',
  routines: 'O8: guided bundles for the chat, each {id, title, percentOff, questions} (docs/conversation.md)',
  'routines[].id': 'the flow is routine:<id>; the offer bundle:routine-<id>',
  'routines[].title': 'said to the shopper ("your coffee routine")',
  'routines[].percentOff': 'discount on the set the answers pick (at most discountLimits.maxPercentOff)',
  'routines[].questions': 'one to three, each {id, text, options}; asked in order',
  'routines[].questions[].id': 'the answer is recorded under it',
  'routines[].questions[].text': 'the question as the bot asks it',
  'routines[].questions[].options': 'two to four quick replies, each {id, label, productId?}',
  'routines[].questions[].options[].id': 'the answer',
  'routines[].questions[].options[].label': 'the button',
  'routines[].questions[].options[].productId': 'the product this answer puts in the set (none: nothing)',
  locale: 'O8: the locale of web texts, and of chat and email texts when a request names none',
  templates:
    'O8: texts by locale, channel (web, chat, email) and template id; variables checked at start (docs/conversation.md)',
};

interface Row {
  path: string;
  type: string;
  default: string;
  limits: string;
}

type Json = Record<string, unknown>;
function walk(s: Json, path: string, rows: Row[]): void {
  const t =
    (s.anyOf as Json[] | undefined)?.map((x) => x.type ?? 'object').join(' | ') ?? String(s.type ?? 'any');
  const limits = [
    s.minimum != null ? `≥ ${s.minimum}` : '',
    s.exclusiveMinimum != null ? `> ${s.exclusiveMinimum}` : '',
    s.maximum != null && s.maximum !== Number.MAX_SAFE_INTEGER ? `≤ ${s.maximum}` : '',
    s.minLength != null ? `length ≥ ${s.minLength}` : '',
    s.minItems != null ? `items ≥ ${s.minItems}` : '',
    s.enum ? (s.enum as unknown[]).join(', ') : '',
    s.pattern ? `/${s.pattern}/` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (path && !path.endsWith('[]'))
    rows.push({
      path,
      type: s.type === 'array' ? 'array' : t,
      default: s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : '',
      limits,
    });
  if (s.properties)
    for (const [k, v] of Object.entries(s.properties as Record<string, Json>))
      walk(v, path ? `${path}.${k}` : k, rows);
  if (s.items && (s.items as Json).properties) walk(s.items as Json, `${path}[]`, rows);
}

/** The configuration reference as markdown tables, one per file section. */
export function configTables(): { rows: Row[]; markdown: string } {
  const schema = (x: z.ZodType) =>
    z.toJSONSchema(x, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  const server: Row[] = [];
  walk(schema(ServerConfigSchema), '', server);
  const offers: Row[] = [];
  walk(schema(OfferConfigSchema), '', offers);
  const table = (rows: Row[], prefix: string) =>
    [
      '| key | type | default | limits | meaning |',
      '|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| \`${prefix}${r.path}\` | ${r.type.replaceAll('|', 'or')} | ${r.default} | ${r.limits.replaceAll('|', '\\|')} | ` +
          `${MEANING[r.path] ?? ''} |`,
      ),
    ].join('\n');
  return {
    rows: [...server, ...offers.map((r) => ({ ...r, path: `offers.${r.path}` }))],
    markdown: `${table(server, '')}\n\n**\`offers\`**\n\n${table(offers, 'offers.')}`,
  };
}

/** Keys without a meaning line: the drift test fails on them. */
export function undocumented(): string[] {
  return configTables()
    .rows.map((r) => r.path.replace(/^offers\./, ''))
    .filter((p) => !MEANING[p]);
}
