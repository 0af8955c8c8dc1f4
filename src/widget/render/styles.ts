/**
 * The widget's look, themable through CSS custom properties set on the slot or any ancestor (--levers-accent,
 * --levers-bg, …). Classes are prefixed lv- so the store's CSS and ours do not meet. The default colours keep
 * a 4.5:1 contrast (WCAG AA) on white.
 */
const CSS = `
.lv{font:var(--levers-font,inherit);color:var(--levers-fg,#1d1d1f);display:grid;gap:var(--levers-gap,8px)}
.lv-o{background:var(--levers-bg,#fff);border:1px solid var(--levers-border,#d0d4da);border-radius:var(--levers-radius,8px);padding:10px 12px;display:grid;gap:6px}
.lv-o:focus{outline:2px solid var(--levers-accent,#0b5cad);outline-offset:2px}
.lv-h{display:flex;gap:8px;align-items:flex-start;justify-content:space-between}
.lv-t{margin:0;font-weight:600;font-size:1em}
.lv-x{font:inherit;font-size:.8125em;background:none;border:0;padding:2px 0;min-height:24px;color:var(--levers-muted,#50565e);text-decoration:underline;cursor:pointer;white-space:nowrap}
.lv-x:focus-visible{outline:2px solid var(--levers-accent,#0b5cad)}
.lv-bar{height:8px;border-radius:4px;background:var(--levers-track,#e3e7ec);overflow:hidden}
.lv-fill{height:100%;background:var(--levers-accent,#0b5cad);transition:width .3s}
.lv-sub{color:var(--levers-muted,#50565e);font-size:.875em;margin:0}
.lv-items{list-style:none;margin:0;padding:0;display:grid;gap:6px}
.lv-item{display:flex;align-items:center;gap:8px;justify-content:space-between}
.lv-p{color:var(--levers-muted,#50565e);white-space:nowrap}
.lv-row{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
.lv-b{font:inherit;font-size:.875em;cursor:pointer;border-radius:var(--levers-radius,8px);padding:4px 12px;min-height:32px;border:1px solid var(--levers-accent,#0b5cad);background:var(--levers-accent,#0b5cad);color:var(--levers-on-accent,#fff)}
.lv-b:focus-visible{outline:2px solid var(--levers-accent,#0b5cad);outline-offset:2px}
.lv-info{list-style:none;margin:0;padding:0;color:var(--levers-muted,#50565e);font-size:.875em}
.lv-was{text-decoration:line-through}
.lv-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

export function injectStyles(): void {
  if (document.getElementById('levers-style')) return;
  const s = document.createElement('style');
  s.id = 'levers-style';
  s.textContent = CSS;
  document.head.append(s);
}
