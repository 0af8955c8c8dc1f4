type Child = Node | string | null | undefined | false;

/** An element with attributes and children; `on*` attributes that are functions become listeners. */
export function h(tag: string, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

let counter = 0;
/** An id unique on the page, for aria-labelledby. */
export function uid(): string {
  return `lv-${++counter}`;
}
