// Inlay-hint and status-bar label text (vscode-free): layer figures, sites with several calls, model totals.
import { formatCount, formatJump, formatWithCommas } from "../core/format";
import type { LayerReport, ModelReport, ShapeJson } from "../python/report";
import { t } from "./l10n";

export type Metric = "shape" | "params" | "flops" | "rf";
export type NumberFormat = "compact" | "full";

/** The display settings every label honours. */
export interface DisplayOptions {
  readonly metrics: readonly Metric[];
  readonly useMacs: boolean;
  readonly numberFormat: NumberFormat;
  /** Longest label before it is cut with an ellipsis; 0 or less: no limit. */
  readonly maxLength: number;
}

export const DEFAULT_DISPLAY: DisplayOptions = {
  metrics: ["shape", "params", "flops", "rf"],
  useMacs: false,
  numberFormat: "compact",
  maxLength: 80,
};

/** One layer's figures as a hint shows them: a report row, plus whether forward reached it. */
export interface LayerFigures {
  readonly output: ShapeJson | undefined;
  readonly params: number | null;
  readonly macs: number | null;
  readonly flops: number | null;
  readonly rf: LayerReport["rf"];
  readonly jump: LayerReport["jump"];
  readonly error?: boolean;
  /** False for a module forward never called (the model's input is unknown, or forward stopped earlier). */
  readonly traced: boolean;
  /** Not traced although forward ran to its end: the module is never called. */
  readonly unused?: boolean;
  /** Which module made the call (a module called twice has its parameters once). */
  readonly module?: number;
  /** A built-in composite (TransformerEncoderLayer) summed over its layers; its own residual adds are not in `flops`. */
  readonly composite?: { readonly type: string; readonly layers: number };
}

export const SEP = " · ";

/** 1520 → "1.52K" (compact) or "1,520" (full); null → "unknown". */
export function countText(n: number | null | undefined, format: NumberFormat): string {
  if (n === null || n === undefined) return t("unknown");
  return format === "full" ? formatWithCommas(n) : formatCount(n);
}

function isShapeList(s: readonly unknown[]): boolean {
  return s.every((d) => d === null || typeof d === "number" || typeof d === "string");
}

/** [1, 20, 28, 28] → "(1, 20, 28, 28)"; symbolic dims as written ("H-4"); unknown dims "?"; tuples "[(…), (…)]". */
export function shapeText(s: ShapeJson | undefined | unknown): string {
  if (s === null || s === undefined) return t("unknown");
  if (Array.isArray(s)) {
    if (s.length === 0) return "()";
    if (isShapeList(s)) return `(${s.map((d) => (d === null ? "?" : String(d))).join(", ")})`;
    return `[${s.map((x) => shapeText(x)).join(", ")}]`;
  }
  if (typeof s === "object") {
    return `{${Object.entries(s as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${shapeText(v)}`)
      .join(", ")}}`;
  }
  return t("unknown");
}

/** Several input shapes: "(1, 3, 32, 32)" or "(1, 3, 32, 32), (1, 10)". */
export function inputsText(input: ModelReport["input"]): string {
  if (!input || input.length === 0) return t("unknown");
  return input.map((s) => shapeText(s)).join(", ");
}

/** 5 → "5"; [5, 3] → "[5, 3]"; "global" → "global". */
export function rfValueText(rf: LayerReport["rf"]): string {
  if (rf === null) return "-";
  if (rf === "global") return t("global");
  return Array.isArray(rf) ? `[${rf.join(", ")}]` : String(rf);
}

/** A jump: 1 → "1", 0.5 → "0.5", 1/3 → "1/3", per dim "[2, 1]", null → "-". */
export function jumpText(j: LayerReport["jump"]): string {
  return formatJump(j);
}

/** "1 param", "1.52K params" (compact or full). */
function paramsText(n: number | null, format: NumberFormat): string {
  return n === 1 ? t("{0} param", countText(n, format)) : t("{0} params", countText(n, format));
}

/** "RF 5", "RF [3, 5]". */
function rfLabel(value: string): string {
  return t("RF {0}", value);
}

/** "FLOPs" or "MACs", as the settings choose. */
export function costName(opts: Pick<DisplayOptions, "useMacs">): string {
  return opts.useMacs ? "MACs" : "FLOPs";
}

/** One call of a layer: `(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5`. Zero params/FLOPs are left out. */
export function layerLabel(f: LayerFigures, opts: DisplayOptions): string {
  const parts: string[] = [];
  for (const metric of opts.metrics) {
    switch (metric) {
      case "shape":
        if (f.error) parts.push(t("error"));
        else if (f.composite) parts.push(t("{0} layers", f.composite.layers));
        else if (f.unused) parts.push(t("not called in forward"));
        else if (f.traced) parts.push(shapeText(f.output));
        break;
      case "params":
        if (f.params !== 0) parts.push(paramsText(f.params, opts.numberFormat));
        break;
      case "flops": {
        if (!f.traced || f.error) break;
        const cost = opts.useMacs ? f.macs : f.flops;
        // a composite's own ops (residual adds) are counted in the model total, not in its layers
        const atLeast = f.composite && cost !== null ? "≥" : "";
        if (cost !== 0) parts.push(`${atLeast}${countText(cost, opts.numberFormat)} ${costName(opts)}`);
        break;
      }
      case "rf":
        if (f.traced && !f.error && !f.composite && f.rf !== null) parts.push(rfLabel(rfValueText(f.rf)));
        break;
    }
  }
  if (parts.length === 0 && f.error) parts.push(t("error"));
  return parts.join(SEP);
}

/** Cut a label to `max` characters with an ellipsis (no limit when max <= 0). */
export function truncate(label: string, max: number): string {
  if (max <= 0 || label.length <= max) return label;
  if (max <= 1) return "…";
  return label.slice(0, max - 1).trimEnd() + "…";
}

/** Distinct values in order, at most `max` of them then "…". */
function distinctList(values: readonly string[], max = 3): string {
  const d = [...new Set(values)];
  return d.length <= max ? d.join(" | ") : `${d.slice(0, max).join(" | ")} | …`;
}

/**
 * Several traced calls that differ: per metric, the value when all calls agree, else the distinct
 * shapes / RFs in call order and the totals of params (each module once) and FLOPs (every call), marked Σ.
 */
function mergedLabel(calls: readonly LayerFigures[], opts: DisplayOptions): string {
  const parts: string[] = [];
  const same = (xs: readonly unknown[]): boolean => xs.every((x) => JSON.stringify(x) === JSON.stringify(xs[0]));
  const sum = (xs: readonly (number | null)[]): number | null => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, b) => a + (b ?? 0), 0));
  for (const metric of opts.metrics) {
    switch (metric) {
      case "shape":
        parts.push(distinctList(calls.map((c) => shapeText(c.output)), 2));
        break;
      case "params": {
        const byModule = new Map<number | undefined, number | null>(calls.map((c, i) => [c.module ?? -i - 1, c.params]));
        const values = [...byModule.values()];
        const total = same(values) ? values[0] : sum(values);
        if (total !== 0) parts.push(`${same(values) ? "" : "Σ "}${paramsText(total, opts.numberFormat)}`);
        break;
      }
      case "flops": {
        const values = calls.map((c) => (opts.useMacs ? c.macs : c.flops));
        const total = same(values) ? values[0] : sum(values);
        if (total !== 0) parts.push(`${same(values) ? "" : "Σ "}${countText(total, opts.numberFormat)} ${costName(opts)}`);
        break;
      }
      case "rf":
        if (calls.some((c) => c.rf !== null)) parts.push(rfLabel(distinctList(calls.map((c) => rfValueText(c.rf)))));
        break;
    }
  }
  return parts.join(SEP);
}

/**
 * The label of one constructor site. One call: its figures. Several calls (a module called twice,
 * or several modules built by one call in a loop): `×3 <label>` when all agree; when they differ,
 * per metric the shared value or the distinct values / Σ totals — never one call's value alone.
 */
export function siteLabel(calls: readonly LayerFigures[], opts: DisplayOptions): string {
  if (calls.length === 0) return "";
  const labels = calls.map((c) => layerLabel(c, opts));
  const distinct = [...new Set(labels)];
  let text: string;
  if (calls.length === 1) text = labels[0];
  else if (distinct.length === 1) text = distinct[0] ? `×${calls.length} ${distinct[0]}` : "";
  else if (calls.every((c) => c.traced && !c.error && !c.composite)) text = `×${calls.length} ${mergedLabel(calls, opts)}`;
  else text = `×${calls.length}: ${distinct.map((l) => l || "-").join(" | ")}`;
  return truncate(text, opts.maxLength);
}

/** The same site, one line per distinct result with how often it occurs (for the tooltip). */
export function siteDetails(calls: readonly LayerFigures[], opts: DisplayOptions): string[] {
  const counts = new Map<string, number>();
  for (const c of calls) {
    const l = layerLabel(c, { ...opts, maxLength: 0 });
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  return [...counts].map(([l, n]) => (n > 1 ? `×${n} ${l}` : l));
}

/**
 * A model's totals: `input (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs`.
 * Null when there is nothing to show (a block class that needs constructor arguments).
 */
export function modelLabel(m: ModelReport, opts: DisplayOptions): string | null {
  if (m.params === null && m.error) return null;
  const parts: string[] = [];
  const inputKnown = !!m.input && m.input.length > 0;
  for (const metric of opts.metrics) {
    switch (metric) {
      case "shape": {
        const out = m.truncated ? t("error") : m.output === null && !inputKnown ? null : shapeText(m.output);
        parts.push(t("input {0}", inputsText(m.input)) + (out === null ? "" : ` → ${out}`));
        break;
      }
      case "params": {
        const trainable =
          m.trainableParams !== null && m.params !== null && m.trainableParams !== m.params
            ? ` (${t("{0} trainable", countText(m.trainableParams, opts.numberFormat))})`
            : "";
        parts.push(`${paramsText(m.params, opts.numberFormat)}${trainable}`);
        break;
      }
      case "flops":
        if (inputKnown && !m.truncated) parts.push(`${countText(opts.useMacs ? m.macs : m.flops, opts.numberFormat)} ${costName(opts)}`);
        break;
      case "rf":
        break;
    }
  }
  return parts.length > 0 ? truncate(parts.join(SEP), opts.maxLength) : null;
}

/** Status-bar text for a model: `Network: 86.2K params · 2.35M FLOPs`. */
export function statusText(m: ModelReport, opts: DisplayOptions): string {
  const parts = [paramsText(m.params, opts.numberFormat)];
  const cost = opts.useMacs ? m.macs : m.flops;
  if (m.input && !m.truncated) parts.push(`${countText(cost, opts.numberFormat)} ${costName(opts)}`);
  return `${m.name}: ${parts.join(SEP)}`;
}
