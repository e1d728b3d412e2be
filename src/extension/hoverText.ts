// Hover contents as Markdown (vscode-free): a layer site with its numbers and formulas, a model's totals, the pragma.
import { format as formatDim, isSym } from "../core/dim";
import { formatCount, formatWithCommas } from "../core/format";
import { layerRule } from "../core/layers";
import { isTensor, isUnknown, type ArgValue, type Args } from "../core/types";
import type { Analysis, ModelAnalysis } from "../python/analyze";
import { shapeJson, tensorsIn, toArg } from "../python/convert";
import { findPragma, parsePragma } from "../python/pragma";
import type { Entry } from "../python/trace";
import type { Value } from "../python/values";
import { inputsText, jumpText, rfValueText, shapeText, siteDetails, type DisplayOptions } from "./hintText";
import { t } from "./l10n";
import { compositeParts, type Site, type SiteCall } from "./sites";

/** The counting convention every hover ends with. */
export function flopsConvention(): string {
  return t("FLOPs = multiplies + adds; a dot product of length n costs 2n−1, bias +1. MACs = multiply-accumulates (n per dot product).");
}

const MAX_SECTIONS = 4;

/** 2352000 → "2,352,000 (2.35M)"; small numbers once. */
function exact(n: number): string {
  return n >= 1000 ? `${formatWithCommas(n)} (${formatCount(n)})` : String(n);
}

function code(s: string): string {
  return "`" + s.replace(/`/g, "'") + "`";
}

/** A bound constructor argument as Python would print it. */
export function argText(v: ArgValue): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v.startsWith("dtype:") ? `torch.${v.slice(6)}` : `'${v}'`;
  if (Array.isArray(v)) return v.length === 1 ? `(${argText(v[0])},)` : `(${v.map(argText).join(", ")})`;
  if (isSym(v)) return formatDim(v);
  if (isUnknown(v)) return "?";
  if (isTensor(v)) return `Tensor${isUnknown(v.shape) ? "" : `(${v.shape.map(formatDim).join(", ")})`}`;
  const o = v as { kind: string; typeName?: string };
  return o.kind === "opaque" ? `${o.typeName}(…)` : "…";
}

/** `Conv2d(in_channels=3, out_channels=20, kernel_size=5, …)` with every bound argument, in the signature's order. */
export function constructorText(type: string, args: Args | undefined): string {
  if (!args) return `${type}(…)`;
  const sig = layerRule(type)?.signature;
  const order = [...(sig?.params ?? []), ...(sig?.kwOnly ?? [])].map((p) => p.name);
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  return `${type}(${Object.entries(args)
    .sort(([a], [b]) => rank(a) - rank(b))
    .filter(([k, v]) => !((k === "device" || k === "dtype") && v === null))
    .map(([k, v]) => `${k}=${argText(v)}`)
    .join(", ")})`;
}

/** Why a value has no shape: the Unknown's reason, wherever it sits. */
function unknownReason(v: Value | null): string | null {
  if (!v) return null;
  if (v.k === "unknown") return v.reason;
  if (v.k === "tensor") {
    if (isUnknown(v.t.shape)) return v.t.shape.reason;
    const dim = v.t.shape.find((d) => isUnknown(d));
    return dim && isUnknown(dim) ? dim.reason : null;
  }
  if (v.k === "tuple" || v.k === "list") for (const x of v.items) if (unknownReason(x)) return unknownReason(x);
  return null;
}

function row(name: string, value: string): string {
  return `| ${name} | ${value.replace(/\|/g, "\\|")} |`;
}

/** Why forward never reached a module (its figures are then parameters only). */
function untracedReason(model: ModelAnalysis): string {
  if (model.report.error) return t("the model was not analysed: {0}", model.report.error);
  if (!model.report.input) return t("the model's input shape is unknown — call the model in this file or add `# shape-lens: input=(…)` above the class");
  if (model.report.truncated) return t("forward stops with an error before this layer (see Problems)");
  if (model.entries.length === 0) return t("forward() calls no layer");
  return t("forward() does not call this module");
}

function paramsText(call: SiteCall): string {
  const m = call.module;
  const rule = m.args ? layerRule(m.cls.name) : undefined;
  const count = rule && m.args ? safe(() => rule.params(m.args!)) : undefined;
  if (count && isUnknown(count.total)) return t("unknown ({0})", count.total.reason);
  if (call.figures.params === null) return t("unknown (an argument is not known statically)");
  const total = exact(call.figures.params);
  if (count && !call.figures.composite && count.parts.length > 1) {
    return `${total} = ${count.parts.map(([n, c]) => `${n} ${formatWithCommas(c)}`).join(" + ")}`;
  }
  return total;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined; // a hover never fails because one rule could not explain itself
  }
}

/** The formula lines of a traced call, with this layer's numbers. */
function explainLines(entry: Entry): string[] {
  const m = entry.module;
  const rule = layerRule(entry.type);
  if (!rule?.explain || !m.args || entry.error) return [];
  const call = { inputs: entry.inputs.map(toArg), kwargs: {} };
  return safe(() => rule.explain!(m.args!, call, rule.forward(m.args!, call))) ?? [];
}

function callSection(call: SiteCall, analysis: Analysis, nth: string): string[] {
  const lines: string[] = [];
  const e = call.entry;
  const f = call.figures;
  const where = t("{0} in {1}", code(call.path), code(call.model.report.name)) + nth;
  lines.push(f.composite ? `**${f.composite.type}** (${t("{0} layers", f.composite.layers)}) · ${where}` : `${where}`, "");
  if (e && e.path === null) lines.push(t("Built inside forward: not a submodule of the model (its parameters are not the model's)."), "");
  lines.push("| | |", "|---|---|");
  if (e) {
    const inputs = e.inputs.flatMap((v) => tensorsIn(v)).map((x) => shapeText(shapeJson(x)));
    if (inputs.length) lines.push(row(t("input"), inputs.join(", ")));
    if (e.error) {
      const problem = analysis.report.diagnostics.find((d) => d.line === call.module.line && d.severity === "error");
      lines.push(row(t("output"), t("error — {0}", problem ? problem.message : t("PyTorch would raise here (see Problems)"))));
    }
    else {
      const reason = unknownReason(e.output);
      lines.push(row(t("output"), shapeText(f.output) + (reason ? ` — ${reason}` : "")));
    }
  } else if (!f.composite) {
    lines.push(row(t("output"), t("not computed: {0}", untracedReason(call.model))));
  }
  lines.push(row(t("params"), paramsText(call)));
  if (f.traced && !f.error) {
    const costReason = e?.cost && isUnknown(e.cost) ? e.cost.reason : t("a part of it is unknown");
    const atLeast = f.composite ? "≥ " : "";
    for (const [name, v] of [["MACs", f.macs], ["FLOPs", f.flops]] as const) {
      lines.push(row(name, v === null ? t("unknown ({0})", costReason) : atLeast + exact(v)));
    }
    if (f.composite) lines.push(row(t("note"), t("its own residual adds and activations count in the model total")));
  }
  if (f.traced && !f.error && !f.composite) {
    lines.push(row(t("receptive field"), f.rf === null ? t("— (no spatial dims)") : t("{0}, jump {1}", rfValueText(f.rf), jumpText(f.jump))));
  }
  const formulas = e ? explainLines(e) : [];
  if (formulas.length) lines.push("", "```text", ...formulas, "```");
  return lines;
}

/** Hover for a layer constructor site: the constructor, then each distinct call's numbers and formulas. */
export function siteHover(site: Site, analysis: Analysis, opts: DisplayOptions): string {
  const first = site.calls[0];
  const m = first.module;
  const lines: string[] = [];
  const composite = first.figures.composite;
  lines.push("```python", constructorText(composite ? composite.type : m.cls.name, composite ? undefined : m.args), "```");
  const modules = new Set(site.calls.map((c) => c.module)).size;
  if (site.calls.length > 1) {
    const what = modules > 1 ? t("{0} modules are built here, {1} calls in all:", modules, site.calls.length) : t("this module is called, {0} calls in all:", site.calls.length);
    lines.push(what, "", ...siteDetails(site.calls.map((c) => c.figures), opts).map((l) => `- ${l}`));
  }
  const shown = new Set<string>();
  let sections = 0;
  for (const [i, call] of site.calls.entries()) {
    const key = JSON.stringify(call.figures) + (call.entry?.path ?? "");
    if (shown.has(key)) continue;
    shown.add(key);
    if (sections === MAX_SECTIONS) {
      lines.push("", t("… and {0} more calls (see the model summary)", site.calls.length - sections));
      break;
    }
    sections++;
    lines.push("", "---", "", ...callSection(call, analysis, site.calls.length > 1 ? ` — ${t("call {0} of {1}", i + 1, site.calls.length)}` : ""));
    if (call.figures.composite) {
      const parts = compositeParts(site, analysis, call.module);
      if (parts.length) lines.push("", ...parts.map((p) => `- ${code(p.path)} ${p.entry!.type}: ${siteDetails([p.figures], opts)[0] || "—"}`));
    }
  }
  lines.push("", `*${flopsConvention()}*`);
  return lines.join("\n");
}

/** Where a model's input comes from (spec §5). */
function inputSource(model: ModelAnalysis, lines: readonly string[], defaultInput: readonly number[] | null): string {
  const r = model.report;
  if (!r.input) return "";
  if (findPragma(lines, r.line)) return ` (${t("from the `# shape-lens:` pragma")})`;
  if (defaultInput && r.input.length === 1 && JSON.stringify(r.input[0]) === JSON.stringify(defaultInput)) {
    return ` (${t("from the setting `shapeLens.defaultInputShape`, or a call in this file")})`;
  }
  if (r.input.some((s) => s.some((d) => typeof d !== "number"))) return ` (${t("symbolic: no concrete input is known")})`;
  return ` (${t("from the call in this file")})`;
}

/** Hover for a model name: its input, output, totals and what is missing. */
export function modelHover(model: ModelAnalysis, lines: readonly string[], defaultInput: readonly number[] | null): string {
  const r = model.report;
  const out: string[] = [`**${r.name}** — ${t("model (line {0})", r.line)}`, "", "| | |", "|---|---|"];
  out.push(row(t("input"), r.input ? inputsText(r.input) + inputSource(model, lines, defaultInput) : t("unknown — call the model in this file or add `# shape-lens: input=(…)` above it")));
  if (r.truncated) out.push(row(t("output"), t("error — forward stops at a layer PyTorch would reject (see Problems)")));
  else if (r.input) out.push(row(t("output"), shapeText(r.output)));
  const paramText =
    r.params !== null ? exact(r.params) : r.unknownParams?.length ? t("unknown — not understood: {0}", r.unknownParams.join("; ")) : t("unknown");
  const trainable = r.trainableParams !== null && r.trainableParams !== r.params ? `, ${t("trainable {0}", exact(r.trainableParams))}` : "";
  out.push(row(t("params"), paramText + trainable));
  if (r.input && !r.truncated) {
    const symbolic = r.input.some((s) => s.some((d) => typeof d !== "number"));
    const why = symbolic
      ? t("unknown — the input is symbolic; give concrete sizes with `# shape-lens: input=(…)`")
      : r.unknownFlops?.length
        ? t("unknown — the cost of {0} is not known", r.unknownFlops.join(", "))
        : t("unknown — the cost is not known");
    out.push(row("MACs", r.macs === null ? why : exact(r.macs)));
    out.push(row("FLOPs", r.flops === null ? why : exact(r.flops)));
  }
  const calls = model.entries.length || r.layers.length;
  out.push(row(t("layers"), model.entries.length ? t("{0} layer calls in forward", calls) : t("{0} leaf layers", calls)));
  if (r.error) out.push("", t("Not analysed completely: {0}", r.error));
  out.push("", `*${flopsConvention()}*`);
  return out.join("\n");
}

/** Hover for a `# shape-lens: input=(…)` line, or null when the line has none. */
export function pragmaHover(lineText: string, line: number, analysis: Analysis | undefined): string | null {
  const shapes = parsePragma(lineText);
  if (!shapes) return null;
  const model = analysis?.models.find((m) => m.report.line === line || m.report.line === line + 1);
  const shapeList = shapes.map((s) => `(${s.join(", ")})`).join(", ");
  const named = shapes.flat().filter((d) => typeof d === "string");
  const target = model ? `**${model.report.name}**` : t("the model class on this line or the next");
  const parts = [
    shapes.length > 1
      ? t("**Shape Lens input pragma** — sets the input of {0} to {1} ({2} inputs, passed to forward in order).", target, code(shapeList), shapes.length)
      : t("**Shape Lens input pragma** — sets the input of {0} to {1}.", target, code(shapeList)),
  ];
  if (named.length) parts.push("", t("Named dims ({0}) are symbols: shapes downstream are expressions in them and FLOPs are unknown.", [...new Set(named)].join(", ")));
  parts.push("", t("It takes precedence over a call of the model in this file and over `shapeLens.defaultInputShape`."));
  if (!model) parts.push("", t("⚠ No model is defined on this line or the next, so this pragma has no effect."));
  return parts.join("\n");
}
