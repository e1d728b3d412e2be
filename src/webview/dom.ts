// Small DOM helpers for the network picture's webview: SVG and HTML elements with attributes.

export const SVG_NS = "http://www.w3.org/2000/svg";

type Attrs = Record<string, string | number | undefined>;

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, parent?: Element): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  parent?.appendChild(el);
  return el;
}

export function html<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, parent?: Element, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  parent?.appendChild(el);
  return el;
}

/** An SVG <text> with one line of text. */
export function text(content: string, attrs: Attrs, parent: Element): SVGTextElement {
  const el = svg("text", attrs, parent);
  el.textContent = content;
  return el;
}

/** A native tooltip for an SVG element. */
export function tooltip(content: string, parent: Element): void {
  svg("title", {}, parent).textContent = content;
}
