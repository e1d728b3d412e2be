// Renders one model's report as a torchinfo-style text table, Markdown, CSV or JSON (vscode-free, unit-tested).
import { formatCount, formatJump, formatWithCommas } from "../core/format";
import type { Diagnostic, LayerReport, ModelReport, ShapeJson } from "../python/report";
import { buildLayerTree, flattenLayerTree, groupTotals } from "./layerTree";

/** `[1, 20, 28, 28]` → "(1, 20, 28, 28)"; tuple outputs "[(1, 5), (1, 3)]"; unknown dims "?"; null "unknown". */
export function shapeText(s: ShapeJson | undefined): string {
  if (s === null || s === undefined) return "unknown";
  if (!Array.isArray(s)) {
    // a dict output: {name: shape, ...}
    const o = s as Record<string, ShapeJson>;
    return `{${Object.keys(o).map((k) => `${k}: ${shapeText(o[k])}`).join(", ")}}`;
  }
  if (s.every((x) => x === null || typeof x === "number" || typeof x === "string")) {
    return `(${(s as (number | string | null)[]).map((d) => (d === null ? "?" : String(d))).join(", ")})`;
  }
  return `[${(s as ShapeJson[]).map((x) => shapeText(x)).join(", ")}]`;
}

/** Input shapes of a model: "(1, 3, 32, 32)" or "(1, 3, 32, 32), (1, 10)"; null → "unknown". */
export function inputText(input: ModelReport["input"]): string {
  return input && input.length > 0 ? input.map((s) => shapeText(s)).join(", ") : "unknown";
}

/** The receptive field: "5", "[3, 5]", "global", "-" when none; with a jump other than 1: "6 (jump 0.5)". */
export function rfText(l: Pick<LayerReport, "rf" | "jump">, withJump = true): string {
  if (l.rf === null || l.rf === undefined) return "-";
  if (l.rf === "global") return "global";
  const r = Array.isArray(l.rf) ? `[${l.rf.join(", ")}]` : String(l.rf);
  if (!withJump || l.jump === null || l.jump === 1) return r;
  if (Array.isArray(l.jump) && l.jump.every((j) => j === 1)) return r;
  return `${r} (jump ${formatJump(l.jump)})`;
}

/** A count in the chosen style; null → "unknown". */
export function countText(n: number | null, style: "compact" | "full" = "full"): string {
  return style === "compact" ? formatCount(n) : formatWithCommas(n);
}

/** What the summary knows about container modules (type and constructor line), from the analysis. */
export type GroupInfo = (path: string) => { readonly type?: string; readonly line?: number | null } | undefined;

export interface SummaryOptions {
  /** File name shown in the header ("head_tail.py"). */
  readonly file: string;
  /** Show MACs instead of FLOPs in the per-layer column. */
  readonly macs: boolean;
  readonly groupInfo?: GroupInfo;
  /** Per layer row: the caller's dotted path of a module built inside forward (see buildLayerTree). */
  readonly scopes?: readonly (string | undefined)[];
  /** Diagnostics to list under the table (the caller picks those of this model). */
  readonly diagnostics?: readonly Diagnostic[];
}

function leafLabel(l: LayerReport): string {
  const name = l.path === null ? "" : l.path === "" ? "(self) " : `${l.path.slice(l.path.lastIndexOf(".") + 1)} `;
  // a module built inside forward has no path: its type and where it comes from
  return `${name}(${l.type}${l.path === null ? ", built in forward" : ""})${l.error ? " !" : ""}`;
}

/** The torchinfo-style table of the summary document. */
export function summaryTable(m: ModelReport, opts: SummaryOptions): string {
  const costName = opts.macs ? "MACs" : "FLOPs";
  const header = ["Layer (type)", "Output Shape", "Param #", costName, "RF", "Line"];
  const rows: string[][] = [[m.name, m.output === null ? "unknown" : shapeText(m.output), "--", "--", "--", String(m.line)]];
  for (const { node, lastSibling, ancestorsLast } of flattenLayerTree(buildLayerTree(m.layers, opts.scopes))) {
    const indent = ancestorsLast.map((last) => (last ? "   " : "│  ")).join("") + (lastSibling ? "└─" : "├─");
    const callNote = node.calls > 1 ? ` #${node.call}` : "";
    if (node.kind === "group") {
      const info = opts.groupInfo?.(node.path);
      const t = groupTotals(node, m.layers);
      const line = info?.line;
      rows.push([
        `${indent}${node.name}${info?.type ? ` (${info.type})` : ""}${callNote}`,
        t.error ? "error" : shapeText(t.output),
        "--",
        "--",
        "--",
        line === null || line === undefined ? "" : String(line),
      ]);
      continue;
    }
    const l = m.layers[node.index];
    const cost = opts.macs ? l.macs : l.flops;
    rows.push([
      `${indent}${leafLabel(l)}${callNote}`,
      l.error ? "error" : shapeText(l.output),
      countText(l.params),
      cost === null ? (l.error ? "-" : "unknown") : countText(cost),
      rfText(l),
      l.line === null ? "" : String(l.line),
    ]);
  }
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const rightAligned = new Set([2, 3, 5]);
  const fmt = (r: string[]): string =>
    r
      .map((c, j) => (rightAligned.has(j) ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join("   ")
      .trimEnd();
  const rule = "=".repeat(widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1));
  const lines: string[] = [];
  lines.push(`${m.name} — ${opts.file}:${m.line}`);
  lines.push(`Input ${inputText(m.input)} -> output ${m.output === null ? "unknown" : shapeText(m.output)}`);
  if (m.error) lines.push(`Not analysed: ${m.error}`);
  lines.push(rule, fmt(header), rule, ...rows.map(fmt), rule);
  const frozen = m.params !== null && m.trainableParams !== null ? m.params - m.trainableParams : null;
  lines.push(`Total params: ${countText(m.params)}${m.unknownParams ? ` (${m.unknownParams.join("; ")})` : ""}`);
  lines.push(`Trainable params: ${countText(m.trainableParams)}`);
  lines.push(`Non-trainable params: ${countText(frozen)}`);
  lines.push(`MACs: ${withCompact(m.macs)}`);
  lines.push(`FLOPs: ${withCompact(m.flops)}${m.unknownFlops ? ` (no rule for ${m.unknownFlops.join(", ")})` : ""}`);
  lines.push(rule);
  if (m.input === null) lines.push("No input shape known: add `# shape-lens: input=(1, 3, 224, 224)` above the model (Shape Lens: Set Input Shape…).");
  if (m.truncated) lines.push("The forward stops with an error; later layers are not shown.");
  for (const d of opts.diagnostics ?? []) lines.push(`line ${d.line ?? "?"}: ${d.severity}: ${d.message} [${d.code}]`);
  return lines.join("\n") + "\n";
}

function withCompact(n: number | null): string {
  if (n === null) return "unknown";
  const compact = formatCount(n);
  return compact === String(n) ? countText(n) : `${countText(n)} (${compact})`;
}

function mdCell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A Markdown section: heading, input/output line, one table row per layer call, totals. */
export function summaryMarkdown(m: ModelReport, opts: Pick<SummaryOptions, "file" | "macs">): string {
  const costName = opts.macs ? "MACs" : "FLOPs";
  const lines: string[] = [];
  lines.push(`### ${mdCell(m.name)} (${mdCell(opts.file)}:${m.line})`, "");
  lines.push(`Input ${inputText(m.input)} → output ${m.output === null ? "unknown" : shapeText(m.output)}`, "");
  if (m.error) lines.push(`_Not analysed: ${mdCell(m.error)}_`, "");
  lines.push(`| Layer | Type | Output shape | Params | ${costName} | RF |`);
  lines.push("| --- | --- | --- | ---: | ---: | ---: |");
  for (const l of m.layers) {
    const cost = opts.macs ? l.macs : l.flops;
    lines.push(
      `| ${l.path === null ? "_built in forward_" : `\`${mdCell(l.path)}\``} | ${mdCell(l.type)} | ${l.error ? "**error**" : mdCell(shapeText(l.output))} | ${countText(l.params)} | ${
        cost === null ? (l.error ? "-" : "unknown") : countText(cost)
      } | ${mdCell(rfText(l))} |`,
    );
  }
  lines.push("");
  lines.push(
    `**Total params:** ${countText(m.params)} · **Trainable:** ${countText(m.trainableParams)} · **MACs:** ${countText(m.macs)} · **FLOPs:** ${countText(m.flops)}`,
  );
  return lines.join("\n") + "\n";
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvNumber(n: number | null): string {
  return n === null ? "" : String(n);
}

/** CSV (RFC 4180 quoting): one row per layer call, plain integers, empty cells for unknown figures. */
export function summaryCsv(m: ModelReport): string {
  const rows: string[][] = [["path", "type", "line", "output", "params", "macs", "flops", "rf", "jump", "error"]];
  for (const l of m.layers) {
    rows.push([
      l.path ?? "",
      l.type,
      l.line === null ? "" : String(l.line),
      l.error || l.output === null ? "" : shapeText(l.output),
      csvNumber(l.params),
      csvNumber(l.macs),
      csvNumber(l.flops),
      l.rf === null ? "" : rfText(l, false),
      l.jump === null || l.rf === null ? "" : formatJump(l.jump),
      l.error ? "true" : "",
    ]);
  }
  return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

/** The model's entry of the JSON report (spec/report-json.md), pretty-printed. */
export function summaryJson(m: ModelReport): string {
  return JSON.stringify(m, null, 2) + "\n";
}

/** Source-line references in a summary table (the Line column, the title's `file:line`, `line N:` notes), for document links. */
export interface SummaryLineLink {
  /** 0-based line of the summary document and the character range of the number. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** 1-based line in the model's source file. */
  readonly target: number;
}

export function summaryLineLinks(text: string): SummaryLineLink[] {
  const links: SummaryLineLink[] = [];
  text.split("\n").forEach((row, i) => {
    const m = i === 0 ? /:(\d+)$/.exec(row) : /^line (\d+):/.exec(row) ?? (/^[=]/.test(row) ? null : /\s{2,}(\d+)$/.exec(row));
    if (!m) return;
    const start = m.index + m[0].indexOf(m[1]);
    links.push({ line: i, start, end: start + m[1].length, target: parseInt(m[1], 10) });
  });
  return links;
}
