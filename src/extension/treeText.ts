// Labels, descriptions and Markdown tooltips of the model tree's rows (vscode-free, unit-tested).
import { formatJump } from "../core/format";
import type { LayerReport, ModelReport } from "../python/report";
import { t } from "./l10n";
import type { GroupTotals } from "./layerTree";
import { countText, inputText, rfText, shapeText } from "./summaryFormat";

export interface FigureStyle {
  /** MACs instead of FLOPs (setting shapeLens.useMacs). */
  readonly macs: boolean;
  readonly numberFormat: "compact" | "full";
}

function costPart(macs: number | null, flops: number | null, style: FigureStyle): string {
  const n = style.macs ? macs : flops;
  return `${countText(n, style.numberFormat)} ${style.macs ? "MACs" : "FLOPs"}`;
}

function paramsPart(n: number | null, style: FigureStyle): string {
  return t("{0} params", countText(n, style.numberFormat));
}

/** "0 (Conv2d)", "refine (Sequential) #2" — the row's label. */
export function rowLabel(name: string, type: string | undefined, call: number, calls: number): string {
  return `${name === "" ? t("(self)") : name}${type ? ` (${type})` : ""}${calls > 1 ? ` #${call}` : ""}`;
}

/** "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs". */
export function layerDescription(l: LayerReport, style: FigureStyle): string {
  if (l.error) return `${t("error")} · ${paramsPart(l.params, style)}`;
  return `${shapeText(l.output)} · ${paramsPart(l.params, style)} · ${costPart(l.macs, l.flops, style)}`;
}

/** A container call: its output, its modules' parameters (each once) and the cost of its calls. */
export function groupDescription(g: GroupTotals, style: FigureStyle): string {
  if (g.error) return `${t("error")} · ${paramsPart(g.params, style)}`;
  return `${shapeText(g.output)} · ${paramsPart(g.params, style)} · ${costPart(g.macs, g.flops, style)}`;
}

/** "(1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs"; models that could not be analysed say so. */
export function modelDescription(m: ModelReport, style: FigureStyle): string {
  if (m.error && m.layers.length === 0) return m.error;
  const io = `${inputText(m.input)} → ${m.output === null ? (m.truncated ? t("error") : t("unknown")) : shapeText(m.output)}`;
  return `${io} · ${paramsPart(m.params, style)} · ${costPart(m.macs, m.flops, style)}`;
}

function md(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);
}

function lines(parts: (string | null)[]): string {
  // "" separates paragraphs; other parts are lines of one paragraph
  return parts
    .filter((p): p is string => p !== null)
    .join("  \n")
    .replace(/ {2}\n {2}\n/g, "\n\n");
}

/** Markdown: the layer's path, type and line, then every figure. */
export function layerTooltip(l: LayerReport): string {
  const jump = l.rf === null || l.rf === "global" ? null : l.jump;
  return lines([
    l.path === null
      ? `**${md(l.type)}** · ${t("built inside forward, not a submodule")}${l.line === null ? "" : ` · ${t("line {0}", l.line)}`}`
      : `**${md(l.path || t("(self)"))}** \`${l.type}\`${l.line === null ? "" : ` · ${t("line {0}", l.line)}`}`,
    "",
    l.error ? t("**PyTorch raises an error in this call** (see Problems).") : t("Output: {0}", `\`${shapeText(l.output)}\``),
    t("Parameters: {0}", countText(l.params)),
    `MACs: ${countText(l.macs)}`,
    `FLOPs: ${countText(l.flops)}`,
    t("Receptive field: {0}", l.rf === null ? t("none (no spatial dims)") : l.rf === "global" ? t("global") : rfText({ rf: l.rf, jump: null })),
    jump === null ? null : t("Jump: {0}", formatJump(jump)),
  ]);
}

/** Markdown for a container call. */
export function groupTooltip(path: string, type: string | undefined, line: number | null | undefined, g: GroupTotals, call: number, calls: number): string {
  return lines([
    `**${md(path)}**${type ? ` \`${type}\`` : ""}${line ? ` · ${t("line {0}", line)}` : ""}${calls > 1 ? ` · ${t("call {0} of {1}", call, calls)}` : ""}`,
    "",
    g.error ? t("**The forward stops with an error inside.**") : t("Output: {0}", `\`${shapeText(g.output)}\``),
    t("Parameters: {0}", countText(g.params)),
    `MACs: ${countText(g.macs)}`,
    `FLOPs: ${countText(g.flops)}`,
  ]);
}

/** Markdown for a model: input and output, totals, and why figures are missing. */
export function modelTooltip(m: ModelReport): string {
  const frozen = m.params !== null && m.trainableParams !== null ? m.params - m.trainableParams : null;
  return lines([
    `**${md(m.name)}** · ${t("line {0}", m.line)}`,
    "",
    t("Input: {0}", `\`${inputText(m.input)}\``),
    t("Output: {0}", `\`${m.output === null ? t("unknown") : shapeText(m.output)}\``),
    t("Parameters: {0}", countText(m.params)) + (frozen ? ` (${t("{0} frozen", countText(frozen))})` : ""),
    `MACs: ${countText(m.macs)}`,
    `FLOPs: ${countText(m.flops)}${m.unknownFlops ? ` (${t("no rule for {0}", m.unknownFlops.map(md).join(", "))})` : ""}`,
    m.error ? `_${md(m.error)}_` : null,
    m.input === null && !m.error ? `_${t("No input shape: add `# shape-lens: input=(...)` above the model (Shape Lens: Set Input Shape…).")}_` : null,
    m.truncated ? `_${t("The forward stops with an error; later layers are not listed.")}_` : null,
  ]);
}
