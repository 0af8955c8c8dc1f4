import type { Turn } from '../../core/conversation/schema.js';
import { h } from '../render/dom.js';
import { sessionId } from '../session.js';
import { load, save } from '../storage.js';
import type { CartLine, Context, ConversationAnswer, Settings, Trigger } from '../types.js';

type Reply = ConversationAnswer['quickReplies'][number];
type Suggestion = ConversationAnswer['suggestions'][number];
const KEY = 'levers:chat';

/**
 * O8: the chat bubble. It keeps the conversation in the browser (this session's turns), sends it whole with
 * every request, so the server needs no memory: a "no thanks" stays said for the session, and each offer is
 * suggested once. What the shopper adds goes through the store's onAccept, as a widget offer does; the server
 * logs every turn's events (channel chat).
 */
export class Bubble {
  private turns: Turn[];
  private readonly offers = new Map<string, Suggestion>();
  private ctx: Partial<Context> = {};
  private panel: HTMLElement | null = null;
  private log: HTMLElement | null = null;
  private replies: HTMLElement | null = null;

  constructor(private readonly s: () => Settings | null) {
    const saved = load<{ session: string; turns: Turn[] } | null>(KEY, null);
    this.turns = saved?.session === sessionId() ? saved.turns : [];
  }

  speak = (trigger: Trigger, ctx: Partial<Context>): void => {
    this.ctx = { ...this.ctx, ...ctx };
    void this.ask(trigger);
  };

  private async ask(trigger: Trigger): Promise<void> {
    const s = this.s();
    if (!s) return;
    const c = this.ctx;
    const customer = c.customer ?? s.customer;
    const r = await fetch(`${s.api}/v1/conversation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        trigger,
        page: c.page ?? 'product',
        sessionId: sessionId(),
        cart: c.cart ?? [],
        ...(c.productId ? { productId: c.productId } : {}),
        ...(customer ? { customer } : {}),
        ...(s.locale ? { locale: s.locale } : {}),
        history: this.turns.slice(-50),
      }),
    }).catch(() => null);
    if (!r?.ok) return;
    const a = (await r.json()) as ConversationAnswer;
    if (a.turn) this.keep(a.turn);
    for (const o of a.suggestions) this.offers.set(o.id, o);
    if (!a.messages.length) return;
    this.open();
    for (const m of a.messages) this.say('bot', m.text);
    this.replies!.replaceChildren(
      ...a.quickReplies.map((q) =>
        h('button', { type: 'button', class: 'lv-b', onclick: () => this.choose(q) }, q.label),
      ),
    );
  }

  private async choose(q: Reply): Promise<void> {
    this.replies!.replaceChildren();
    this.say('shopper', q.label);
    const { label: _label, productIds, ...turn } = q;
    this.keep({ from: 'shopper', ...turn } as Turn);
    const o = q.offerId ? this.offers.get(q.offerId) : undefined;
    if (q.reply === 'add' && o) {
      const lines: CartLine[] = (productIds ?? []).map((id) => ({
        productId: id,
        quantity: 1,
        unitPriceMinor: o.items.find((i) => i.productId === id)?.priceMinor ?? 0,
      }));
      try {
        await this.s()?.onAccept?.({ offer: o as never, action: o.actions.accept, lines });
      } catch {
        return;
      }
      this.ctx = { ...this.ctx, cart: [...(this.ctx.cart ?? []), ...lines] };
    }
    await this.ask('shopper_asked');
  }

  private keep(t: Turn): void {
    this.turns.push(t);
    save(KEY, { session: sessionId(), turns: this.turns.slice(-50) });
  }

  private say(who: 'bot' | 'shopper', text: string): void {
    this.log!.append(h('p', { class: `lv-m lv-${who}` }, text));
    this.log!.scrollTop = this.log!.scrollHeight;
  }

  private open(): void {
    if (this.panel) return void this.panel.removeAttribute('hidden');
    this.log = h('div', { class: 'lv-log', role: 'log', 'aria-live': 'polite' });
    this.replies = h('div', { class: 'lv-row lv-qr' });
    const close = h(
      'button',
      {
        type: 'button',
        class: 'lv-x',
        'aria-label': 'Close the chat',
        onclick: () => this.panel!.setAttribute('hidden', ''),
      },
      '×',
    );
    this.panel = h(
      'section',
      { class: 'lv lv-chat', 'aria-label': 'Shopping assistant', 'data-levers-chat': '' },
      h('div', { class: 'lv-h' }, h('h2', { class: 'lv-t' }, 'Shopping assistant'), close),
      this.log,
      this.replies,
    );
    document.body.append(this.panel);
  }
}

const CSS = `
.lv-chat{position:fixed;right:16px;bottom:16px;width:min(360px,calc(100vw - 32px));max-height:70vh;z-index:2147483000;background:var(--levers-bg,#fff);border:1px solid var(--levers-border,#d0d4da);border-radius:12px;padding:12px;box-shadow:0 8px 24px rgba(0,0,0,.18);grid-template-rows:auto minmax(0,1fr) auto}
.lv-chat[hidden]{display:none}
.lv-log{overflow-y:auto;display:grid;gap:6px;align-content:start}
.lv-m{margin:0;padding:8px 10px;border-radius:10px;max-width:85%;line-height:1.4}
.lv-bot{background:var(--levers-track,#e3e7ec)}
.lv-shopper{justify-self:end;background:var(--levers-accent,#0b5cad);color:var(--levers-on-accent,#fff)}
`;

export function injectChatStyles(): void {
  if (document.getElementById('levers-chat-style')) return;
  document.head.append(h('style', { id: 'levers-chat-style' }, CSS));
}
