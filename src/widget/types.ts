import type { ApiEvent } from '../core/model/api-event.js';
import type {
  ConversationAnswer as ConversationAnswerType,
  ConversationRequestBody,
  DecideAnswer,
  DecideRequest,
} from '../server/contract.js';

/*
 * The widget's own types. Those of the API come from the server's contract as types only: esbuild drops
 * `import type`, so the bundle carries none of zod, and a contract change breaks the widget's type check.
 */
export type Decision = DecideAnswer;
export type Offer = Decision['offers'][number];
export type Page = DecideRequest['page'];
export type ApiEventBody = ApiEvent;

/** A cart line as /v1/decide takes it: money in integer minor units of the store's currency. */
export interface CartLine {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface Customer {
  id: string;
  spendMinor?: number;
  firstName?: string;
}

/** An order just placed, for the thank-you page: sent once as a purchase event (its id is the idempotency key). */
export interface Order {
  orderId: string;
  lines: CartLine[];
  shippingMinor?: number;
  discountMinor?: number;
}

/** What a page asks the widget about: the page, the cart, and what else the store knows. */
export interface Context {
  page: Page;
  cart?: CartLine[];
  productId?: string;
  customer?: Customer;
  visitorType?: DecideRequest['visitorType'];
  exiting?: boolean;
}

export interface MountOptions extends Context {
  /** On the thank-you page: the order, reported once as a purchase and used as the cart. */
  order?: Order;
}

/** An event for Levers.track: the widget fills in the idempotency key, session, time and device. */
export type TrackEvent = Omit<ApiEvent, 'idempotencyKey' | 'sessionId' | 'occurredAt'> &
  Partial<Pick<ApiEvent, 'idempotencyKey' | 'sessionId' | 'occurredAt'>>;

/** What the store is asked to do when a shopper accepts an offer: add these lines (at the offer's terms). */
export interface Acceptance {
  offer: Offer;
  action: Offer['actions']['accept'];
  /** One of each offered item at its price; the store applies offer.percentOff where it has one. */
  lines: CartLine[];
}

export type Texts = typeof import('./texts.js').TEXTS;

export interface Settings {
  /** The publishable key (pk_…). */
  key: string;
  /** Base URL of levers serve, e.g. https://levers.example.com. */
  api: string;
  /** BCP 47 locale for amounts; default the page's lang, else the browser's. */
  locale?: string;
  /** A decision slower than this shows nothing (the page never waits for the widget). */
  timeoutMs?: number;
  /** The store adds the lines to the cart (or the order) and resolves; a rejection is an accept not done. */
  onAccept?: (a: Acceptance) => unknown;
  customer?: Customer;
  visitorType?: DecideRequest['visitorType'];
  /** Send a page_view for each page (both groups: the holdout comparison counts sessions); default true. */
  pageView?: boolean;
  /** Read the cart from Shopify's /cart.js when a slot gives none. */
  cartSource?: 'shopify';
  texts?: Partial<Texts>;
  /** Offers drawn per slot at most, in the API's order (the API caps them too: maxOffersPerDecision). */
  maxOffers?: number;
  /** O8: the chat bubble, loaded on the first Levers.converse (its own script, /v1/chat.js). */
  chat?: boolean;
}

/** What brought the chat to speak (POST /v1/conversation's trigger). */
export type Trigger = ConversationRequestBody['trigger'];
export type ConversationAnswer = ConversationAnswerType;
/** The chat's side, from its own script: asked to speak by Levers.converse. */
export type ChatSpeaker = (trigger: Trigger, ctx: Partial<Context>) => void;
