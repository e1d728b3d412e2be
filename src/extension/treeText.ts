// Labels, descriptions and Markdown tooltips of the model tree's rows (vscode-free, unit-tested).
import { formatJump } from "../core/format";
import type { LayerReport, ModelReport } from "../python/report";
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
  return `${countText(n, style.numberFormat)} params`;
}

/** "0 (Conv2d)", "refine (Sequential) #2" — the row's label. */
export function rowLabel(name: string, type: string | undefined, call: number, calls: number): string {
  return `${name === "" ? "(self)" : name}${type ? ` (${type})` : ""}${calls > 1 ? ` #${call}` : ""}`;
}

/** "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs". */
export function layerDescription(l: LayerReport, style: FigureStyle): string {
  if (l.error) return `error · ${paramsPart(l.params, style)}`;
  return `${shapeText(l.output)} · ${paramsPart(l.params, style)} · ${costPart(l.macs, l.flops, style)}`;
}

/** A container call: its output, its modules' parameters (each once) and the cost of its calls. */
export function groupDescription(t: GroupTotals, style: FigureStyle): string {
  if (t.error) return `error · ${paramsPart(t.params, style)}`;
  return `${shapeText(t.output)} · ${paramsPart(t.params, style)} · ${costPart(t.macs, t.flops, style)}`;
}

/** "(1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs"; models that could not be analysed say so. */
export function modelDescription(m: ModelReport, style: FigureStyle): string {
  if (m.error && m.layers.length === 0) return m.error;
  const io = `${inputText(m.input)} → ${m.output === null ? (m.truncated ? "error" : "unknown") : shapeText(m.output)}`;
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
    `**${md(l.path || "(self)")}** \`${l.type}\`${l.line === null ? "" : ` · line ${l.line}`}`,
    "",
    l.error ? "**PyTorch raises an error in this call** (see Problems)." : `Output: \`${shapeText(l.output)}\``,
    `Parameters: ${countText(l.params)}`,
    `MACs: ${countText(l.macs)}`,
    `FLOPs: ${countText(l.flops)}`,
    `Receptive field: ${l.rf === null ? "none (no spatial dims)" : l.rf === "global" ? "global" : rfText({ rf: l.rf, jump: null })}`,
    jump === null ? null : `Jump: ${formatJump(jump)}`,
  ]);
}

/** Markdown for a container call. */
export function groupTooltip(path: string, type: string | undefined, line: number | null | undefined, t: GroupTotals, call: number, calls: number): string {
  return lines([
    `**${md(path)}**${type ? ` \`${type}\`` : ""}${line ? ` · line ${line}` : ""}${calls > 1 ? ` · call ${call} of ${calls}` : ""}`,
    "",
    t.error ? "**The forward stops with an error inside.**" : `Output: \`${shapeText(t.output)}\``,
    `Parameters: ${countText(t.params)}`,
    `MACs: ${countText(t.macs)}`,
    `FLOPs: ${countText(t.flops)}`,
  ]);
}

/** Markdown for a model: input and output, totals, and why figures are missing. */
export function modelTooltip(m: ModelReport): string {
  const frozen = m.params !== null && m.trainableParams !== null ? m.params - m.trainableParams : null;
  return lines([
    `**${md(m.name)}** · line ${m.line}`,
    "",
    `Input: \`${inputText(m.input)}\``,
    `Output: \`${m.output === null ? "unknown" : shapeText(m.output)}\``,
    `Parameters: ${countText(m.params)}${frozen ? ` (${countText(frozen)} frozen)` : ""}`,
    `MACs: ${countText(m.macs)}`,
    `FLOPs: ${countText(m.flops)}${m.unknownFlops ? ` (no rule for ${m.unknownFlops.map(md).join(", ")})` : ""}`,
    m.error ? `_${md(m.error)}_` : null,
    m.input === null && !m.error ? "_No input shape: add `# shape-lens: input=(...)` above the model (Shape Lens: Set Input Shape…)._" : null,
    m.truncated ? "_The forward stops with an error; later layers are not listed._" : null,
  ]);
}
