import { z } from 'zod';
import type { OfferKind } from '../kind.js';

export const MESSAGE_SEGMENTS = ['new', 'returning', 'customer', 'vip', 'exiting'] as const;
export const MessagesSchema = z.partialRecord(z.enum(MESSAGE_SEGMENTS), z.string().min(1)).default({});
export type Messages = z.infer<typeof MessagesSchema>;

const VARS = ['firstName', 'threshold'];

const render = (template: string, fields: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, f: string) => fields[f] ?? '');

/**
 * O5: a message for the visitor's segment (welcome, welcome back, the cart is saved); only in room the offers
 * leave.
 */
export const segmentMessage: OfferKind<Messages> = {
  types: ['segment-message'],
  reasonCodes: ['SEGMENT_MESSAGE'],
  config: {
    key: 'messages',
    schema: MessagesSchema,
    // The same rule as every other template: a variable the message cannot have is a mistake, said at start.
    check: (messages) => {
      for (const [segment, text] of Object.entries(messages)) {
        const unknown = [...(text ?? '').matchAll(/\{(\w*)\}/g)]
          .map((m) => m[1]!)
          .find((v) => !VARS.includes(v));
        if (unknown !== undefined)
          return {
            path: `messages.${segment}`,
            problem: `uses {${unknown}}, which a message does not have (its variables: {firstName}, {threshold})`,
          };
      }
      return null;
    },
  },
  fillsRemaining: true,
  candidates(k) {
    const segment = k.ctx.exiting ? 'exiting' : k.ctx.visitorType;
    const template = segment ? k.config.messages[segment] : undefined;
    if (!segment || !template) return [];
    const fs = k.config.freeShipping;
    const fields = {
      message: render(template, {
        firstName: k.ctx.customer?.firstName ?? '',
        threshold: fs ? k.money(fs.thresholdMinor) : '',
      }),
      segment,
    };
    return [
      {
        id: `segment-message:${segment}`,
        type: 'segment-message',
        text: k.text('segment-message', fields),
        fields,
        items: [],
        actions: { accept: 'dismiss', decline: 'dismiss' },
        expectedProfitMinor: 0,
        reasonCode: 'SEGMENT_MESSAGE',
        reason: `message for ${segment} visitors`,
      },
    ];
  },
};
