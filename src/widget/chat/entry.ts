import type { Widget } from '../widget.js';
import { Bubble, injectChatStyles } from './bubble.js';

/** The chat's own script (/v1/chat.js), loaded by the widget on the first Levers.converse. */
const w = (globalThis as { Levers?: Widget }).Levers;
if (w) {
  injectChatStyles();
  w.chatReady(new Bubble(() => w.settings).speak);
}
