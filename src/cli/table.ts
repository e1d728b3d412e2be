// Text rendering of a report: a torchinfo-like table per model, then the diagnostics.
import type { Diagnostic, LayerReport, ModelReport, Report, ShapeJson } from "../python/report";

function commas(n: number | null): string {
  return n === null ? "unknown" : n.toLocaleString("en-US");
}

export function shapeText(s: ShapeJson | undefined): string {
  if (s === null || s === undefined) return "unknown";
  if (!Array.isArray(s)) {
    // a dict output: {name: shape, ...}
    const o = s as Record<string, ShapeJson>;
    return `{${Object.keys(o).map((k) => `${k}: ${shapeText(o[k])}`).join(", ")}}`;
  }
  if (s.length > 0 && s.every((x) => x === null || typeof x === "number" || typeof x === "string")) {
    return `(${(s as (number | string | null)[]).map((d) => (d === null ? "?" : String(d))).join(", ")})`;
  }
  return `[${(s as ShapeJson[]).map((x) => shapeText(x)).join(", ")}]`;
}

function rfText(l: LayerReport): string {
  if (l.rf === null) return "-";
  if (l.rf === "global") return "global";
  const r = Array.isArray(l.rf) ? `[${l.rf.join(", ")}]` : String(l.rf);
  if (l.jump === null || l.jump === 1) return r;
  const j = Array.isArray(l.jump) ? `[${l.jump.map(jumpText).join(", ")}]` : jumpText(l.jump);
  return `${r} (jump ${j})`;
}

function jumpText(j: number): string {
  if (Number.isInteger(j)) return String(j);
  for (let d = 2; d <= 64; d++) {
    const n = Math.round(j * d);
    if (Math.abs(n / d - j) < 1e-12) return `${n}/${d}`;
  }
  return j.toPrecision(4);
}

function pad(s: string, w: number, right = false): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

export interface TableOptions {
  readonly macs: boolean;
}

export function modelTable(m: ModelReport, file: string, opts: TableOptions): string {
  const lines: string[] = [];
  const io = m.input ? `input ${m.input.map((s) => shapeText(s)).join(", ")}` : "input unknown";
  const cell = (m as { cell?: number; cellLine?: number }).cell;
  const where = cell !== undefined ? `${file}[cell ${cell + 1}]:${(m as { cellLine?: number }).cellLine}` : `${file}:${m.line}`;
  lines.push(`${m.name} (${where})  ${io} -> output ${m.output === null ? "unknown" : shapeText(m.output)}`);
  if (m.error) lines.push(`  ${m.error}`);
  const costName = opts.macs ? "MACs" : "FLOPs";
  const rows: string[][] = [["Layer (type)", "Output Shape", "Param #", costName, "RF"]];
  for (const l of m.layers) {
    // a module built inside forward has no path: it is named by its type
    const depth = l.path === null ? 0 : l.path.split(".").length - 1;
    const cost = opts.macs ? l.macs : l.flops;
    const name = l.path === null ? `(${l.type}, built in forward)` : `${l.path} (${l.type})`;
    rows.push([
      `${"  ".repeat(depth)}${name}${l.error ? " !" : ""}`,
      l.error ? "error" : shapeText(l.output),
      commas(l.params),
      cost === null ? (l.error ? "-" : "unknown") : commas(cost),
      rfText(l),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const sep = "-".repeat(widths.reduce((a, b) => a + b + 2, 0));
  lines.push(sep);
  rows.forEach((r, i) => {
    lines.push(r.map((c, j) => pad(c, widths[j], j >= 2 && j <= 3)).join("  ").trimEnd());
    if (i === 0) lines.push(sep);
  });
  lines.push(sep);
  lines.push(`Total params: ${commas(m.params)}${m.unknownParams ? ` (${m.unknownParams.join("; ")})` : ""}`);
  lines.push(`Trainable params: ${commas(m.trainableParams)}`);
  lines.push(`MACs: ${commas(m.macs)}`);
  lines.push(`FLOPs: ${commas(m.flops)}${m.unknownFlops ? ` (unknown for ${m.unknownFlops.join(", ")})` : ""}`);
  if (m.truncated) lines.push("The forward stops with an error (see below); later layers are not shown.");
  return lines.join("\n");
}

export function diagnosticLine(file: string, d: Diagnostic & { cell?: number; cellLine?: number }): string {
  const where = d.cell !== undefined ? `${file}[cell ${d.cell + 1}]:${d.cellLine}` : `${file}:${d.line ?? 0}`;
  return `${where}:${d.column ?? 0}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function reportText(r: Report, file: string, opts: TableOptions, model?: string): string {
  const models = r.models.filter((m) => !model || m.name === model);
  const parts = models.map((m) => modelTable(m, file, opts));
  if (models.length === 0) parts.push(`${file}: no nn.Module model found`);
  for (const d of r.diagnostics) parts.push(diagnosticLine(file, d));
  return parts.join("\n\n") + "\n";
}
