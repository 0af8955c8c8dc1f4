import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoggedApiEvent } from '../core/model/api-event.js';
import { experimentsOf } from '../core/offers/decide.js';
import { DAY_MS } from '../core/time.js';
import type { Serving } from '../app/serving.js';
import type { EventSink } from '../store/port.js';
import { ConversationBody } from './contract.js';
import { sendInvalid } from './http-errors.js';

type Guard = (req: FastifyRequest, reply: FastifyReply, done: () => void) => void;

/**
 * POST /v1/conversation (O8): the chat's next turn, and the events it is worth (shown, replied, accepted,
 * declined) written to the event log with channel chat. Each event's idempotency key is made of the session,
 * the turn's place in the history and the offer, so a retried request stores nothing twice.
 */
export function registerConversation(
  app: FastifyInstance,
  d: { serving: Serving; events: EventSink; guard: Guard; now: () => number },
): void {
  app.post('/v1/conversation', { preHandler: d.guard }, async (req, reply) => {
    const body = ConversationBody.safeParse(req.body);
    if (!body.success) return sendInvalid(reply, body.error);
    const { trigger, locale, history, device: _device, ...context } = body.data;
    const answer = d.serving.converse({ trigger, context, turns: history, ...(locale ? { locale } : {}) });
    if (answer.events.length) {
      const t = d.now();
      const at = new Date(t).toISOString();
      const offers = d.serving.snapshot.offers;
      const customerId = context.customer?.id;
      // A holdout unit is never suggested anything, so a turn with events is always a treated unit's.
      const experiments = experimentsOf(offers, {
        sessionId: context.sessionId,
        ...(customerId ? { customer: { id: customerId } } : {}),
        today: Math.floor(t / DAY_MS),
      }).exposures;
      const logged = answer.events.map(
        (e): LoggedApiEvent => ({
          idempotencyKey: `chat-${createHash('sha256')
            .update(`${context.sessionId}\u0000${history.length}\u0000${e.type}\u0000${e.offerId}`)
            .digest('hex')
            .slice(0, 40)}`,
          type: e.type,
          sessionId: context.sessionId,
          occurredAt: at,
          ...(customerId ? { customerId } : {}),
          ...(e.productId ? { productId: e.productId } : {}),
          offerId: e.offerId,
          channel: 'chat',
          ...(body.data.device ? { device: body.data.device } : {}),
          currency: offers.currency,
          receivedAt: at,
          assignment: answer.assignment.inHoldout ? 'holdout' : 'treatment',
          ...(experiments.length ? { experiments } : {}),
          source: 'client',
        }),
      );
      await d.events.append(logged);
    }
    return reply.type('application/json; charset=utf-8').send(answer);
  });
}
