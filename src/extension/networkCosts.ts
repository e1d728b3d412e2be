// The network picture's side panel (vscode-free): the heaviest layers by FLOPs and by parameters (top 10 plus the rest), and totals.
import { formatCount, formatWithCommas } from "../core/format";
import type { ModelAnalysis } from "../python/analyze";
import type { CostBar, NetTotals, SourceSpot } from "./networkProtocol";
import { t } from "./l10n";
import { inputText, shapeText } from "./summaryFormat";

export const TOP_BARS = 10;

interface Contribution {
  readonly key: string;
  readonly label: string;
  value: number;
  readonly spot: SourceSpot;
}

function percent(share: number): string {
  const p = 100 * share;
  return p >= 10 || p === 0 ? `${p.toFixed(0)}%` : p >= 1 ? `${p.toFixed(1)}%` : "<1%";
}

/** The `top` largest contributions as bars, then one "rest" bar for what the others (and `total`) leave. */
export function topBars(kind: "cost" | "params", parts: readonly Contribution[], total: number | null, top = TOP_BARS): { bars: CostBar[]; spots: Map<string, SourceSpot[]> } {
  const sorted = [...parts].filter((p) => p.value > 0).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const shown = sorted.slice(0, top);
  const sum = sorted.reduce((s, p) => s + p.value, 0);
  const whole = total !== null && total >= sum ? total : sum;
  const bars: CostBar[] = [];
  const spots = new Map<string, SourceSpot[]>();
  shown.forEach((p, i) => {
    const id = `b:${kind}:${i}`;
    const share = whole > 0 ? p.value / whole : 0;
    bars.push({ id, label: p.label, value: p.value, text: `${formatCount(p.value)} (${percent(share)})`, share, source: p.spot });
    spots.set(id, [p.spot]);
  });
  const rest = whole - shown.reduce((s, p) => s + p.value, 0);
  if (rest > 0) {
    const others = sorted.length - shown.length;
    const share = whole > 0 ? rest / whole : 0;
    bars.push({
      id: `b:${kind}:rest`,
      label: others > 0 ? `rest (${others} more)` : "rest",
      value: rest,
      text: `${formatCount(rest)} (${percent(share)})`,
      share,
      rest: true,
    });
  }
  return { bars, spots };
}

/** Bars of the heaviest layers: FLOPs (or MACs) summed over a layer's calls, ops per call site; parameters per layer. */
export function costBars(model: ModelAnalysis, useMacs: boolean): { bars: { cost: CostBar[]; params: CostBar[] }; spots: Map<string, SourceSpot[]> } {
  const byKey = new Map<string, Contribution>();
  for (const n of model.graph.nodes) {
    const cost = useMacs ? n.macs : n.flops;
    if ((n.kind !== "module" && n.kind !== "op") || cost === null) continue;
    // a module built inside forward (no path) is known by its constructor call, like an op
    const named = n.kind === "module" && typeof n.path === "string";
    const key = named ? `m:${n.path}` : `o:${n.label}@${n.from}`;
    const label = named ? `${n.path} (${n.label})` : `${n.label}${n.line !== null ? ` (line ${n.line})` : ""}`;
    const c = byKey.get(key);
    if (c) c.value += cost;
    else byKey.set(key, { key, label, value: cost, spot: { from: n.from, to: n.to, line: n.line } });
  }
  const total = useMacs ? model.report.macs : model.report.flops;
  const cost = topBars("cost", [...byKey.values()], total);

  const layers = new Map<string, Contribution>();
  model.report.layers.forEach((l, i) => {
    // modules built inside forward hold none of the model's parameters
    if (l.path === null || layers.has(l.path) || l.params === null) return;
    const m = model.entries[i]?.module;
    layers.set(l.path, { key: l.path, label: `${l.path} (${l.type})`, value: l.params, spot: { from: m?.from ?? null, to: m?.to ?? null, line: l.line } });
  });
  const params = topBars("params", [...layers.values()], model.report.params);
  return { bars: { cost: cost.bars, params: params.bars }, spots: new Map([...cost.spots, ...params.spots]) };
}

export function totalsOf(model: ModelAnalysis, useMacs: boolean): NetTotals {
  const r = model.report;
  const costName = useMacs ? "MACs" : "FLOPs";
  const cost = useMacs ? r.macs : r.flops;
  const notes: string[] = [];
  if (r.error) notes.push(r.error);
  if (r.truncated) notes.push(t("forward stops with an error: the picture ends there (see Problems)"));
  if (r.unknownFlops && r.unknownFlops.length > 0) notes.push(t("no {0} rule for {1}: the total is unknown", costName, r.unknownFlops.join(", ")));
  const count = (n: number | null): string => (n === null ? t("unknown") : n >= 1000 ? `${formatCount(n)} (${formatWithCommas(n)})` : String(n));
  return {
    input: inputText(r.input),
    output: shapeText(r.output),
    params: count(r.params),
    trainable: count(r.trainableParams),
    cost: count(cost),
    costName,
    layerCalls: r.layers.length,
    notes,
  };
}
