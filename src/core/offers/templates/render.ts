import { currencyExponent, minorToDecimal } from '../../money.js';
import { BUILT_IN, type Channel, TEMPLATE_SPECS } from './catalogue.js';

/** An offer's structured fields: money as `<name>Minor` integers, the rest as words and numbers. */
export type Fields = Record<string, string | number>;

/** Operator templates by locale, channel and template id (the configuration's `templates`). */
export type TemplateOverrides = Record<string, Partial<Record<Channel, Record<string, string>>>>;

const VAR = /\{([^{}]*)\}/g;

/**
 * What is wrong with a template's text, in words naming the variable; null when it is fine. Checked once, when
 * the configuration is parsed, so a request can never meet a broken template.
 */
export function templateProblem(id: string, text: string): string | null {
  const spec = TEMPLATE_SPECS[id];
  if (!spec) return `is not a template; the templates are ${Object.keys(TEMPLATE_SPECS).join(', ')}`;
  const open = text.split('{').length - 1;
  const close = text.split('}').length - 1;
  const used = [...text.matchAll(VAR)].map((m) => m[1]!);
  if (open !== used.length || close !== used.length)
    return 'has an unbalanced { or }: write a variable as {name}';
  const known = spec.vars.length ? spec.vars.map((v) => `{${v}}`).join(', ') : 'none';
  for (const v of used)
    if (!spec.vars.includes(v))
      return `uses {${v}}, which the ${id} template does not have (its variables: ${known})`;
  for (const v of spec.required)
    if (!used.includes(v)) return `misses {${v}}: the ${id} template must say it (its variables: ${known})`;
  return null;
}

/** The first problem of the operator's templates, with its key path; null when all are fine. */
export function overridesProblem(o: TemplateOverrides): { path: string; problem: string } | null {
  for (const [locale, channels] of Object.entries(o)) {
    if (!isLocale(locale))
      return {
        path: `templates.${locale}`,
        problem: 'is not a language tag: name a locale such as en, de or en-GB',
      };
    for (const [channel, texts] of Object.entries(channels ?? {})) {
      for (const [id, text] of Object.entries(texts ?? {})) {
        const problem = templateProblem(id, text);
        if (problem) return { path: `templates.${locale}.${channel}.${id}`, problem };
      }
    }
  }
  return null;
}

export interface TextOptions {
  channel: Channel;
  locale: string;
  currency: string;
  overrides?: TemplateOverrides;
}

/**
 * The text of template `id` for a channel and locale: the operator's text for the locale (else for its
 * language, en-GB → en), else the built-in one; null when neither has it (email has no "tell me more").
 */
export function templateText(
  id: string,
  o: Pick<TextOptions, 'channel' | 'locale' | 'overrides'>,
): string | null {
  const dash = o.locale.indexOf('-');
  const lang = dash < 0 ? o.locale : o.locale.slice(0, dash);
  return (
    o.overrides?.[o.locale]?.[o.channel]?.[id] ??
    o.overrides?.[lang]?.[o.channel]?.[id] ??
    BUILT_IN[o.channel][id] ??
    null
  );
}

/**
 * A template's text split at its variables: literal, variable name, literal, … (always odd in length), and
 * beside each name the key its money value would have (`<name>Minor`), so a render builds no key.
 */
interface Compiled {
  parts: string[];
  minorKeys: string[];
}
const compiled = new Map<string, Compiled>();
function partsOf(text: string): Compiled {
  let c = compiled.get(text);
  if (!c) {
    const parts: string[] = [];
    const minorKeys: string[] = [];
    let at = 0;
    for (const m of text.matchAll(VAR)) {
      parts.push(text.slice(at, m.index), m[1]!);
      minorKeys.push(`${m[1]!}Minor`);
      at = m.index + m[0].length;
    }
    parts.push(text.slice(at));
    c = { parts, minorKeys };
    // Templates are few (built-in and the operator's); a bound keeps a stream of one-off texts from growing it.
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(text, c);
  }
  return c;
}

/** Renders template `id` with these fields; a variable without a value says nothing (an optional first name). */
export function renderTemplate(id: string, fields: Fields, o: TextOptions): string {
  const { parts, minorKeys } = partsOf(templateText(id, o) ?? BUILT_IN.web[id] ?? '');
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const money = fields[minorKeys[(i - 1) / 2]!];
    if (typeof money === 'number') out += formatMoneyIn(money, o.currency, o.locale);
    else {
      const v = fields[name];
      out += v == null ? '' : typeof v === 'number' ? formatNumberIn(v, o.locale) : v;
    }
    out += parts[i + 1]!;
  }
  return out;
}

/**
 * An Intl formatter and what it wrote: formatting takes about a microsecond, and a store's amounts and counts
 * repeat (prices, thresholds, gaps), so each result is kept, up to a bound (cleared whole when full). -0 is
 * formatted afresh: a Map does not tell it from 0, and Intl writes it "-0".
 */
interface Formatter {
  f: Intl.NumberFormat;
  memo: Map<number, string>;
}
/**
 * Formatters by kind (a currency, or '#' for plain numbers) and locale: looked up by the configuration's own
 * strings, so a request builds no key.
 */
const formatters = new Map<string, Map<string, Formatter>>();
function formatterOf(kind: string, locale: string): Formatter {
  let byLocale = formatters.get(kind);
  if (!byLocale) formatters.set(kind, (byLocale = new Map()));
  let f = byLocale.get(locale);
  if (!f) {
    const options: Intl.NumberFormatOptions =
      kind === '#' ? { maximumFractionDigits: 1 } : { style: 'currency', currency: kind };
    byLocale.set(locale, (f = { f: new Intl.NumberFormat(intlLocale(locale), options), memo: new Map() }));
  }
  return f;
}
/**
 * What the formatter wrote for n (minor units of a currency, else a plain number) before, else what it writes now
 * (kept up to a bound, -0 never).
 */
function remembered(fm: Formatter, n: number, currency: string | null): string {
  let s = fm.memo.get(n);
  if (s === undefined) {
    s = fm.f.format(currency === null ? n : Number(minorToDecimal(n, currencyExponent(currency))));
    if (Object.is(n, -0)) return s;
    if (fm.memo.size >= 20_000) fm.memo.clear();
    fm.memo.set(n, s);
  }
  return s;
}
// English is said as the decide texts always were (en-US: $4.50, ¥4,900, €49.00).
const intlLocale = (locale: string) => (locale === 'en' ? 'en-US' : locale);

/** Money in a currency as a reader of the locale writes it: €49.00 in en, 49,00 € in de, ¥4,900 in en. */
export function formatMoneyIn(minor: number, currency: string, locale: string): string {
  return remembered(formatterOf(currency, locale), minor, currency);
}

function formatNumberIn(n: number, locale: string): string {
  return remembered(formatterOf('#', locale), n, null);
}

/** A BCP 47 language tag such as en, de or en-GB. */
export function isLocale(s: string): boolean {
  try {
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(s) && Intl.getCanonicalLocales(s).length === 1;
  } catch {
    return false;
  }
}
