import { fileURLToPath } from 'node:url';
import { bundleWeb, CHAT_BUDGET_GZIP_BYTES, WIDGET_BUDGET_GZIP_BYTES } from './bundle.js';

/** npm run build's second step: the browser bundles, with the widget's gzipped size against its budget. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const built = await bundleWeb(root);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
for (const [name, b] of Object.entries(built))
  console.log(`dist/web/${name.padEnd(11)} ${kb(b.bytes).padStart(8)}, ${kb(b.gzipBytes).padStart(7)} gzipped`);
const widest = Math.max(built['widget.js'].gzipBytes, built['widget.mjs'].gzipBytes);
console.log(`widget: ${kb(widest)} gzipped of a ${kb(WIDGET_BUDGET_GZIP_BYTES)} budget`);
if (widest > WIDGET_BUDGET_GZIP_BYTES) {
  console.error('the widget is over its size budget');
  process.exitCode = 1;
}
console.log(`chat: ${kb(built['chat.js'].gzipBytes)} gzipped of a ${kb(CHAT_BUDGET_GZIP_BYTES)} budget`);
if (built['chat.js'].gzipBytes > CHAT_BUDGET_GZIP_BYTES) {
  console.error('the chat bubble is over its size budget');
  process.exitCode = 1;
}
