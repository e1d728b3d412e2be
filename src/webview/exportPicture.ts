// Export of the picture: the same SVG markup with the theme's computed colours written in (so it stands alone), or a PNG drawn from it.
import { SVG_NS, svg, text } from "./dom";
import { fontAttrs, measure, type Fonts } from "./fonts";

const STYLE_PROPS = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "stroke-opacity",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "visibility",
  "display",
] as const;
const HEADER = 44;
const MARGIN = 12;

/** Properties SVG does not inherit: written only where they differ from the initial value. */
const NOT_INHERITED: Record<string, string> = { opacity: "1", display: "inline" };

/**
 * Copies each element's computed style onto its clone as presentation attributes (CSS variables do
 * not leave the webview); inherited properties only where they differ from the parent's.
 */
function inlineStyles(live: Element, copy: Element, parent: Map<string, string> | null): void {
  const cs = getComputedStyle(live);
  const mine = new Map<string, string>();
  for (const prop of STYLE_PROPS) {
    const v = cs.getPropertyValue(prop);
    mine.set(prop, v);
    if (!v || prop === "visibility") continue;
    const initial = NOT_INHERITED[prop];
    if (initial !== undefined ? v !== initial : !parent || parent.get(prop) !== v) copy.setAttribute(prop, v);
  }
  if (cs.getPropertyValue("visibility") === "hidden") copy.setAttribute("visibility", "hidden");
  copy.removeAttribute("class");
  copy.removeAttribute("tabindex");
  copy.removeAttribute("role");
  copy.removeAttribute("aria-label");
  const a = live.children;
  const b = copy.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i], b[i], mine);
}

/** A standalone SVG of the drawn picture (without pan and zoom), under a title and a line of figures. */
export function pictureSvg(
  host: SVGSVGElement,
  viewport: SVGGElement,
  size: { width: number; height: number },
  heading: { title: string; figures: string },
  fonts: Fonts,
): { markup: string; width: number; height: number } {
  const titleFont = { ...fonts.title, size: 13 };
  const headingWidth = Math.max(measure(heading.title, titleFont), measure(heading.figures, fonts.body));
  const width = Math.ceil(Math.max(size.width, headingWidth) + 2 * MARGIN);
  const height = Math.ceil(size.height + HEADER + 2 * MARGIN);
  const out = document.createElementNS(SVG_NS, "svg");
  out.setAttribute("xmlns", SVG_NS);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const body = getComputedStyle(document.body);
  svg("rect", { x: 0, y: 0, width, height, fill: body.backgroundColor || "#ffffff" }, out);
  text(heading.title, { x: MARGIN, y: MARGIN + 13, fill: body.color || "#000000", ...fontAttrs(titleFont) }, out);
  text(heading.figures, { x: MARGIN, y: MARGIN + 31, fill: body.color || "#000000", ...fontAttrs(fonts.body) }, out);
  const defs = host.querySelector("defs");
  if (defs) {
    const d = defs.cloneNode(true) as Element;
    inlineStyles(defs, d, null);
    out.appendChild(d);
  }
  const content = viewport.cloneNode(true) as SVGGElement;
  inlineStyles(viewport, content, null);
  // centred under a wider heading
  content.setAttribute("transform", `translate(${MARGIN + Math.max(0, (width - 2 * MARGIN - size.width) / 2)},${MARGIN + HEADER})`);
  out.appendChild(content);
  // tooltips and the collapse/expand buttons belong to the live view
  for (const el of out.querySelectorAll("title, [data-toggle]")) el.remove();
  return { markup: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}\n`, width, height };
}

/** The SVG drawn on a canvas (twice the size where it fits), as base64 PNG data. */
export async function picturePng(markup: string, width: number, height: number): Promise<string> {
  const scale = Math.max(0.25, Math.min(2, 16000 / width, 16000 / height));
  const img = new Image();
  let binary = "";
  for (const byte of new TextEncoder().encode(markup)) binary += String.fromCharCode(byte);
  const url = `data:image/svg+xml;base64,${btoa(binary)}`;
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error("the SVG did not load as an image"));
    img.src = url;
  });
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return canvas.toDataURL("image/png").replace(/^data:image\/png;base64,/, "");
}
