// The network picture's webview: draws the payload the extension sends, and reports clicks, toggles and exports back.
import type { ExportFormat, FromWebview, NetworkPayload, SavedTarget, ToWebview } from "../extension/networkProtocol";
import { drawCosts } from "./costs";
import { html, svg } from "./dom";
import { pictureSvg, picturePng } from "./exportPicture";
import { themeFonts, type Fonts } from "./fonts";
import { layout, type Layout } from "./layout";
import { PanZoom, type ViewTransform } from "./panZoom";
import { drawDefs, drawGraph } from "./render";
import { t } from "./strings";

/** What survives the webview being hidden and shown again. */
interface State {
  readonly key: string;
  readonly view: ViewTransform | null;
  readonly costs: boolean;
  /** What VS Code hands the extension's serializer when it restores the panel after a reload. */
  readonly target?: SavedTarget;
}

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void; getState(): State | undefined; setState(s: State): void };

const vscode = acquireVsCodeApi();
let state: State = vscode.getState() ?? { key: "", view: null, costs: true };
let payload: NetworkPayload | null = null;
let drawn: Layout | null = null;
let fonts: Fonts = themeFonts();
let highlighted: readonly string[] = [];

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

function save(next: Partial<State>): void {
  state = { ...state, ...next };
  vscode.setState(state);
}

// ---- the page ----
const app = document.getElementById("app")!;
const toolbar = html("div", { class: "toolbar", role: "toolbar", "aria-label": t("Network picture") }, app);
const heading = html("div", { class: "heading" }, toolbar);
const modelName = html("strong", {}, heading, t("Network"));
html("span", { class: "spacer" }, toolbar);

function button(label: string, title: string, onClick: () => void, cls = ""): HTMLButtonElement {
  const b = html("button", { type: "button", title, class: cls }, toolbar, label);
  b.addEventListener("click", onClick);
  return b;
}

const main = html("div", { class: "main" }, app);
const canvas = html("div", { class: "canvas" }, main);
const host = svg("svg", { class: "graph", role: "img", "aria-label": t("Network picture") }, canvas);
drawDefs(host);
const viewport = svg("g", { class: "viewport" }, host);
const message = html("div", { class: "message", hidden: "" }, canvas, t("Loading…"));
const costs = html("aside", { class: "costs", "aria-label": t("Costs") }, main);

const panZoom = new PanZoom(host, viewport, (view) => save({ view }));

button("−", t("Zoom out"), () => panZoom.zoom(1 / 1.25));
button("+", t("Zoom in"), () => panZoom.zoom(1.25));
button(t("Fit"), t("Show the whole picture"), () => drawn && panZoom.fitAll(drawn.width, drawn.height));
html("span", { class: "separator" }, toolbar);
button(t("Expand all"), t("Expand every module into its layers"), () => post({ type: "expandAll" }));
button(t("Collapse all"), t("Collapse the model's top-level modules into one box each"), () => post({ type: "collapseAll" }));
const foldLabel = html("label", { class: "check", title: t("Fold activations and dropout into the layer before them") }, toolbar);
const foldBox = html("input", { type: "checkbox" }, foldLabel);
foldLabel.append(` ${t("Fold activations")}`);
foldBox.addEventListener("change", () => post({ type: "fold", value: foldBox.checked }));
html("span", { class: "separator" }, toolbar);
const costsButton = button(t("Costs"), t("Show or hide the totals and the heaviest layers"), () => {
  save({ costs: !state.costs });
  applyCostsVisibility();
});
html("span", { class: "separator" }, toolbar);
button("SVG", t("Save the picture as SVG…"), () => post({ type: "requestExport", format: "svg" }));
button("PNG", t("Save the picture as PNG…"), () => post({ type: "requestExport", format: "png" }));

function applyCostsVisibility(): void {
  costs.hidden = !state.costs;
  costsButton.setAttribute("aria-pressed", String(state.costs));
  if (state.costs && payload) drawCosts(payload, fonts, costs);
}

// ---- drawing ----
function render(p: NetworkPayload): void {
  const sameModel = p.key === state.key && state.view !== null;
  payload = p;
  fonts = themeFonts();
  modelName.textContent = p.model;
  modelName.title = t("{0} in {1}", p.model, p.file);
  foldBox.checked = p.folded;
  viewport.replaceChildren();
  if (p.message || p.nodes.length === 0) {
    message.textContent = p.message ?? t("Nothing to draw: forward() records no layer or op.");
    message.hidden = false;
    host.classList.add("empty");
    drawn = null;
  } else {
    message.hidden = true;
    host.classList.remove("empty");
    drawn = layout(p, fonts);
    drawGraph(p, drawn, fonts, viewport);
    if (sameModel) panZoom.set(state.view!);
    else panZoom.fitTop(drawn.width);
  }
  save({ key: p.key });
  // how many times the picture was drawn (the e2e check reads it)
  host.dataset.renders = String(Number(host.dataset.renders ?? "0") + 1);
  applyCostsVisibility();
  applyHighlight(false);
}

function applyHighlight(scroll: boolean): void {
  for (const el of viewport.querySelectorAll(".highlighted")) el.classList.remove("highlighted");
  const ids = new Set(highlighted);
  let first: Element | null = null;
  for (const el of viewport.querySelectorAll(".node[data-id], .frame[data-id]")) {
    if (!ids.has(el.getAttribute("data-id") ?? "")) continue;
    el.classList.add("highlighted");
    if (!first || el.classList.contains("node")) first = first && first.classList.contains("node") ? first : el;
  }
  if (!scroll || !first || !drawn) return;
  const id = first.getAttribute("data-id") ?? "";
  const box = drawn.boxes.get(id);
  const frame = drawn.frames.get(id);
  if (box) panZoom.reveal({ x: box.x - box.width / 2, y: box.y - box.height / 2, width: box.width, height: box.height });
  else if (frame) panZoom.reveal({ x: frame.x, y: frame.y, width: Math.min(frame.width, 200), height: 40 });
}

// ---- clicks and keys ----
function activate(target: Element | null, how: "click" | "dblclick"): void {
  if (!target) return;
  const toggle = target.closest("[data-toggle]");
  if (toggle) {
    post({ type: "toggle", path: toggle.getAttribute("data-toggle") ?? "" });
    return;
  }
  const item = target.closest("[data-id]");
  const id = item?.getAttribute("data-id");
  if (!item || !id) return;
  const node = payload?.nodes.find((n) => n.id === id);
  if (how === "dblclick" && node?.kind === "group" && node.groupPath !== undefined) post({ type: "toggle", path: node.groupPath });
  else if (how === "click") post({ type: "reveal", id });
}

host.addEventListener("click", (e) => activate(e.target as Element, "click"));
host.addEventListener("dblclick", (e) => activate(e.target as Element, "dblclick"));
costs.addEventListener("click", (e) => activate(e.target as Element, "click"));
for (const el of [host, costs]) {
  el.addEventListener("keydown", (ev) => {
    const e = ev as KeyboardEvent;
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    activate(e.target as Element, "click");
  });
}

// ---- export ----
async function exportPicture(format: ExportFormat): Promise<void> {
  if (!payload || !drawn) {
    post({ type: "log", message: "export: nothing drawn" });
    return;
  }
  const tot = payload.totals;
  const short = (s: string): string => s.replace(/ \(.*\)$/, "");
  const heading = { title: `${payload.model} (${payload.file})`, figures: `${tot.input} → ${tot.output} · ${t("{0} params", short(tot.params))} · ${short(tot.cost)} ${tot.costName}` };
  const marks = [...viewport.querySelectorAll(".highlighted")];
  for (const el of marks) el.classList.remove("highlighted");
  const picture = pictureSvg(host, viewport, drawn, heading, fonts);
  for (const el of marks) el.classList.add("highlighted");
  try {
    const data = format === "svg" ? picture.markup : await picturePng(picture.markup, picture.width, picture.height);
    post({ type: "exported", format, data });
  } catch (e) {
    post({ type: "log", message: `export failed: ${(e as Error).message}` });
  }
}

window.addEventListener("message", (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (m.type === "graph") {
    if (m.target) save({ target: m.target });
    render(m.payload);
  }
  else if (m.type === "highlight") {
    highlighted = m.ids;
    applyHighlight(true);
  } else if (m.type === "export") void exportPicture(m.format);
});

// the theme changed (body classes): fonts may differ, so measure and draw again
new MutationObserver(() => payload && render(payload)).observe(document.body, { attributes: true, attributeFilter: ["class"] });
let costsWidth = 0;
new ResizeObserver(() => {
  if (costs.clientWidth === costsWidth) return;
  costsWidth = costs.clientWidth;
  if (state.costs && payload) drawCosts(payload, fonts, costs);
}).observe(costs);
window.addEventListener("error", (e) => post({ type: "log", message: `${e.message} (${e.filename}:${e.lineno})` }));

applyCostsVisibility();
post({ type: "ready" });
