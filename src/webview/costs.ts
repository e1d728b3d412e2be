// The side panel of the network picture: totals, and bar charts of the heaviest layers by FLOPs and by parameters.
import type { CostBar, NetworkPayload } from "../extension/networkProtocol";
import { html, svg, text, tooltip } from "./dom";
import { fitStart, fontAttrs, measure, type Fonts } from "./fonts";
import { t } from "./strings";

const ROW = 34;
const LABEL_GAP = 14;

function totalsTable(p: NetworkPayload, parent: Element): void {
  const tot = p.totals;
  const table = html("table", { class: "totals" }, parent);
  const row = (k: string, v: string): void => {
    const tr = html("tr", {}, table);
    html("th", { scope: "row" }, tr, k);
    html("td", {}, tr, v);
  };
  row(t("Input"), tot.input);
  row(t("Output"), tot.output);
  row(t("Parameters"), tot.params);
  if (tot.trainable !== tot.params) row(t("Trainable"), tot.trainable);
  row(tot.costName, tot.cost);
  row(t("Layer calls"), String(tot.layerCalls));
  for (const n of tot.notes) html("p", { class: "note" }, parent, n);
}

/** One chart: a row per bar, the label above a bar whose length is its share, the figure at its end. */
function barChart(title: string, bars: readonly CostBar[], width: number, fonts: Fonts, parent: Element): void {
  html("h3", {}, parent, title);
  if (bars.length === 0) {
    html("p", { class: "note" }, parent, t("nothing to show"));
    return;
  }
  const chart = svg("svg", { class: "bars", width, height: bars.length * ROW + 4, viewBox: `0 0 ${width} ${bars.length * ROW + 4}`, role: "list" }, parent);
  const max = Math.max(...bars.map((b) => b.share));
  bars.forEach((b, i) => {
    const y = i * ROW;
    const g = svg("g", { class: `bar${b.rest ? " rest" : ""}`, ...(b.rest ? {} : { "data-id": b.id, tabindex: 0 }), role: "listitem" }, chart);
    tooltip(`${b.label}: ${b.text}${b.rest ? "" : `\n${t("click to go to the layer")}`}`, g);
    svg("rect", { class: "bar-hit", x: 0, y, width, height: ROW - 2 }, g);
    text(fitStart(b.label, fonts.body, width - 4), { class: "bar-label", x: 2, y: y + LABEL_GAP - 2, ...fontAttrs(fonts.body) }, g);
    const valueW = Math.ceil(measure(b.text, fonts.small)) + 8;
    const room = Math.max(10, width - valueW - 4);
    const w = max > 0 ? Math.max(2, (room * b.share) / max) : 2;
    svg("rect", { class: "bar-fill", x: 2, y: y + LABEL_GAP + 3, width: w.toFixed(1), height: 10, rx: 2 }, g);
    text(b.text, { class: "bar-value", x: (2 + w + 6).toFixed(1), y: y + LABEL_GAP + 12, ...fontAttrs(fonts.small) }, g);
  });
}

export function drawCosts(p: NetworkPayload, fonts: Fonts, parent: HTMLElement): void {
  parent.replaceChildren();
  html("h2", {}, parent, `${p.model}`);
  html("p", { class: "file" }, parent, p.file);
  totalsTable(p, parent);
  const width = Math.max(180, parent.clientWidth - 28);
  barChart(t("Heaviest layers by {0}", p.totals.costName), p.bars.cost, width, fonts, parent);
  barChart(t("Heaviest layers by parameters"), p.bars.params, width, fonts, parent);
  const legend = html("div", { class: "legend" }, parent);
  html("h3", {}, legend, t("Colours"));
  html("p", {}, legend, [t("A box's tint and the bar at its bottom show its share of the model's {0}: the darker, the more.", p.totals.costName), p.folded ? t("Activations and dropout are folded into the layer before them (+ ReLU).") : ""].join(" "));
  html("p", {}, legend, t("Click a box to go to its line; the box at the cursor is outlined. Drag or scroll to move, Ctrl+scroll to zoom."));
}
