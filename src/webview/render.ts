// Draws a laid-out network picture as SVG: frames for expanded module calls, wires with arrowheads, boxes with FLOPs-share colour.
import type { NetCluster, NetworkPayload } from "../extension/networkProtocol";
import { svg, text, tooltip } from "./dom";
import { fit, fontAttrs, measure, type Fonts } from "./fonts";
import { PAD_X, PAD_Y, SHARE_BAR, type Box, type Layout, type Wire } from "./layout";
import { t } from "./strings";

/** Strongest tint of the FLOPs colour behind a box's text (the heaviest box); lighter ones scale down from it. */
const MAX_TINT = 0.45;
const MIN_TINT = 0.06;

/** The <defs> every picture needs (the arrowhead). */
export function drawDefs(root: SVGSVGElement): void {
  const defs = svg("defs", {}, root);
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
  svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }, marker);
}

/** d3's basis spline through dagre's points: smooth wires that still end where dagre says. */
export function basisPath(pts: readonly { x: number; y: number }[]): string {
  if (pts.length === 0) return "";
  const f = (v: number): string => String(Math.round(v * 10) / 10);
  if (pts.length < 3) return `M${f(pts[0].x)},${f(pts[0].y)}` + pts.slice(1).map((p) => `L${f(p.x)},${f(p.y)}`).join("");
  let [x0, y0, x1, y1] = [pts[0].x, pts[0].y, pts[1].x, pts[1].y];
  let d = `M${f(x0)},${f(y0)}L${f((5 * x0 + x1) / 6)},${f((5 * y0 + y1) / 6)}`;
  const curve = (x: number, y: number): string =>
    `C${f((2 * x0 + x1) / 3)},${f((2 * y0 + y1) / 3)} ${f((x0 + 2 * x1) / 3)},${f((y0 + 2 * y1) / 3)} ${f((x0 + 4 * x1 + x) / 6)},${f((y0 + 4 * y1 + y) / 6)}`;
  for (let i = 2; i < pts.length; i++) {
    d += curve(pts[i].x, pts[i].y);
    [x0, y0, x1, y1] = [x1, y1, pts[i].x, pts[i].y];
  }
  d += curve(x1, y1);
  return `${d}L${f(x1)},${f(y1)}`;
}

function drawFrame(c: NetCluster, f: { x: number; y: number; width: number; height: number }, fonts: Fonts, parent: Element): void {
  const g = svg("g", { class: "frame", "data-id": c.id }, parent);
  svg("rect", { class: "frame-box", x: f.x, y: f.y, width: f.width, height: f.height, rx: 6 }, g);
  const head = svg("g", { class: "frame-head", "data-id": c.id, tabindex: 0, role: "button", "aria-label": t("{0}: go to its constructor", c.label) }, g);
  tooltip(c.tooltip, head);
  const label = fit(c.label, fonts.body, Math.max(20, f.width - 30));
  svg("rect", { class: "frame-head-hit", x: f.x + 22, y: f.y + 2, width: Math.ceil(measure(label, fonts.body)) + 6, height: 16, rx: 3 }, head);
  text(label, { class: "frame-label", x: f.x + 25, y: f.y + 14, ...fontAttrs(fonts.body) }, head);
  drawToggle(c.path, "−", f.x + 6, f.y + 4, t("collapse {0} into one box", c.label), fonts, g);
}

function drawToggle(path: string, sign: "+" | "−", x: number, y: number, label: string, fonts: Fonts, parent: Element): void {
  const g = svg("g", { class: "toggle", "data-toggle": path, tabindex: 0, role: "button", "aria-label": label }, parent);
  tooltip(label, g);
  svg("rect", { class: "toggle-box", x, y, width: 12, height: 12, rx: 2 }, g);
  text(sign, { class: "toggle-sign", x: x + 6, y: y + 10, "text-anchor": "middle", ...fontAttrs({ ...fonts.title, size: 12 }) }, g);
}

function drawBox(b: Box, fonts: Fonts, parent: Element): void {
  const n = b.node;
  const x0 = b.x - b.width / 2;
  const y0 = b.y - b.height / 2;
  const g = svg("g", { class: `node kind-${n.kind}`, "data-id": n.id, transform: `translate(${x0},${y0})`, tabindex: 0, role: "button", "aria-label": n.tooltip.split("\n")[0] }, parent);
  tooltip(n.tooltip, g);
  const rounded = n.kind === "module" || n.kind === "group" ? 4 : Math.min(12, b.height / 2);
  if (n.kind === "group") svg("rect", { class: "box-stack", x: 3, y: 3, width: b.width, height: b.height, rx: rounded }, g);
  svg("rect", { class: "box", width: b.width, height: b.height, rx: rounded }, g);
  if (n.heat > 0) svg("rect", { class: "heat", width: b.width, height: b.height, rx: rounded, "fill-opacity": (MIN_TINT + (MAX_TINT - MIN_TINT) * n.heat).toFixed(3) }, g);
  const centred = n.kind !== "module" && n.kind !== "group";
  let y = PAD_Y;
  for (const [i, line] of b.lines.entries()) {
    const widths = line.segments.map((s) => measure(s.text, s.font));
    const total = widths.reduce((a, w) => a + w, 0) + 6 * (widths.length - 1);
    let x = centred ? (b.width - total) / 2 : PAD_X;
    const baseline = y + line.height * 0.78;
    line.segments.forEach((s, j) => {
      text(s.text, { class: s.cls, x: x.toFixed(1), y: baseline.toFixed(1), ...fontAttrs(s.font) }, g);
      x += widths[j] + 6;
    });
    y += line.height;
    if (i === 0 && n.kind === "group" && n.groupPath !== undefined) drawToggle(n.groupPath, "+", b.width - PAD_X - 12, PAD_Y + 1, t("expand {0}", n.title), fonts, g);
  }
  if (n.kind === "module" || n.kind === "group") {
    const track = b.width - 2 * PAD_X;
    svg("rect", { class: "share-track", x: PAD_X, y: b.height - PAD_Y - SHARE_BAR + 3, width: track, height: SHARE_BAR - 1, rx: 1 }, g);
    if (n.share > 0) svg("rect", { class: "share", x: PAD_X, y: b.height - PAD_Y - SHARE_BAR + 3, width: Math.max(1, track * n.share).toFixed(1), height: SHARE_BAR - 1, rx: 1 }, g);
  }
}

function drawWire(w: Wire, fonts: Fonts, parent: Element): void {
  const g = svg("g", { class: "wire-group" }, parent);
  svg("path", { class: "wire", d: basisPath(w.points), "marker-end": "url(#arrow)" }, g);
  tooltip(w.shape, g);
  if (w.label) {
    const { x, y, width, height } = w.label;
    svg("rect", { class: "wire-label-bg", x: x - width / 2, y: y - height / 2, width, height, rx: 3 }, g);
    text(w.label.text, { class: "wire-label", x, y: y + fonts.mono.size * 0.36, "text-anchor": "middle", ...fontAttrs(fonts.mono) }, g);
  }
}

/** Draws the picture into `parent` (frames below wires below boxes). */
export function drawGraph(p: NetworkPayload, l: Layout, fonts: Fonts, parent: Element): void {
  const frames = svg("g", { class: "frames" }, parent);
  // outer frames first so inner ones draw on top
  const depth = (id: string | null): number => (id ? 1 + depth(p.clusters.find((c) => c.id === id)?.parent ?? null) : 0);
  for (const c of [...p.clusters].sort((a, b) => depth(a.id) - depth(b.id))) {
    const f = l.frames.get(c.id);
    if (f) drawFrame(c, f, fonts, frames);
  }
  const wires = svg("g", { class: "wires" }, parent);
  for (const w of l.wires) drawWire(w, fonts, wires);
  const boxes = svg("g", { class: "nodes" }, parent);
  for (const b of l.boxes.values()) drawBox(b, fonts, boxes);
}

