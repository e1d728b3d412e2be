// The fuzz properties of one analysis: it returns, within its time budget, numbers sane, positions inside the document.
import { analyzeSource, type Analysis, type AnalyzeOptions } from "../../src/python/analyze";
import { DEFAULT_LIMITS, type BudgetLimits } from "../../src/python/errors";
import type { LayerReport, ModelReport, ShapeJson } from "../../src/python/report";

export interface Checked {
  /** The analysis, or null when it threw. */
  readonly analysis: Analysis | null;
  /** The exception, as text, when the analysis threw. */
  readonly threw: string | null;
  /** Wall-clock milliseconds (include time the process waited for a CPU on a busy machine). */
  readonly millis: number;
  /** CPU milliseconds the analysis used (its own work, garbage collection included). */
  readonly cpuMillis: number;
  /**
   * Over the budget by more than the allowed margin: the analysis worked (CPU time) past
   * maxMillis + margin. Wall-clock time alone would blame the analysis for other processes.
   */
  readonly overrun: boolean;
  /** Broken invariants (numbers, positions), as readable lines. */
  readonly violations: string[];
}

export interface CheckOptions {
  readonly limits?: Partial<BudgetLimits>;
  /** Milliseconds allowed past limits.maxMillis before an analysis counts as over its budget. */
  readonly marginMillis: number;
  readonly analyze?: AnalyzeOptions;
}

/** Run the analysis on one input and check everything that must hold for any input. */
export function checkInput(text: string, opts: CheckOptions): Checked {
  const limits: BudgetLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let analysis: Analysis | null = null;
  let threw: string | null = null;
  try {
    analysis = analyzeSource(text, { ...opts.analyze, limits });
  } catch (e) {
    threw = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  const millis = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMillis = (cpu.user + cpu.system) / 1000;
  const violations = analysis ? reportViolations(text, analysis) : [];
  const overrun = Math.min(millis, cpuMillis) > limits.maxMillis + opts.marginMillis;
  return { analysis, threw, millis, cpuMillis, overrun, violations };
}

const isCount = (n: unknown): boolean => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

function checkCount(what: string, n: number | null | undefined, out: string[]): void {
  if (n !== null && n !== undefined && !isCount(n)) out.push(`${what} is ${n}, not a whole number in [0, 2^53) or unknown`);
}

function checkShape(what: string, s: ShapeJson | undefined, out: string[], depth = 0): void {
  if (s === null || s === undefined) return;
  if (depth > 64) {
    out.push(`${what} is nested ${depth} deep`);
    return;
  }
  if (!Array.isArray(s)) {
    // a dict output: {name: shape}
    if (typeof s === "object") for (const [k, v] of Object.entries(s as Record<string, ShapeJson>)) checkShape(`${what}.${k}`, v, out, depth + 1);
    else out.push(`${what} is ${JSON.stringify(s)}`);
    return;
  }
  s.forEach((d, i) => {
    if (Array.isArray(d) || (d !== null && typeof d === "object")) checkShape(`${what}[${i}]`, d as ShapeJson, out, depth + 1);
    else if (typeof d === "number") checkCount(`${what}[${i}]`, d, out);
    else if (d !== null && typeof d !== "string") out.push(`${what}[${i}] is ${JSON.stringify(d)}`);
  });
}

function checkRf(what: string, v: LayerReport["rf"] | LayerReport["jump"], integral: boolean, out: string[]): void {
  const one = (x: unknown): void => {
    if (x === null || x === "global") return;
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0 || (integral && !Number.isSafeInteger(x))) out.push(`${what} is ${JSON.stringify(x)}`);
  };
  if (Array.isArray(v)) v.forEach(one);
  else one(v);
}

/** Lines of the document as the editor counts them (\n, \r\n, or a lone \r end a line). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function checkLine(what: string, line: number | null | undefined, column: number | null | undefined, lens: number[], out: string[]): void {
  if (line === null || line === undefined) return;
  if (!Number.isSafeInteger(line) || line < 1 || line > lens.length) {
    out.push(`${what}: line ${line} outside the document (1..${lens.length})`);
    return;
  }
  // a column counts from 1 and may sit just past the last character; a \n-split line may hold a \r
  if (column !== null && column !== undefined && (!Number.isSafeInteger(column) || column < 1 || column > lens[line - 1] + 2)) {
    out.push(`${what}: column ${column} outside line ${line} (length ${lens[line - 1]})`);
  }
}

function checkModel(m: ModelReport, lens: number[], out: string[]): void {
  const at = `model ${m.name}`;
  checkLine(at, m.line, null, lens, out);
  for (const k of ["params", "trainableParams", "macs", "flops"] as const) checkCount(`${at}.${k}`, m[k], out);
  if (isCount(m.params) && isCount(m.trainableParams) && (m.trainableParams as number) > (m.params as number)) out.push(`${at}: more trainable than total params`);
  (m.input ?? []).forEach((s, i) => checkShape(`${at}.input[${i}]`, s, out));
  checkShape(`${at}.output`, m.output, out);
  m.layers.forEach((l, i) => {
    const la = `${at}.layers[${i}] (${l.path})`;
    checkLine(la, l.line, null, lens, out);
    for (const k of ["params", "macs", "flops"] as const) checkCount(`${la}.${k}`, l[k], out);
    checkShape(`${la}.output`, l.output, out);
    checkRf(`${la}.rf`, l.rf, true, out);
    checkRf(`${la}.jump`, l.jump, false, out);
  });
}

/** Every invariant of a report that holds whatever the input. */
export function reportViolations(text: string, analysis: Analysis): string[] {
  const out: string[] = [];
  const lens = lineLengths(text);
  const { report } = analysis;
  if (report.version !== 1) out.push(`report version ${report.version}`);
  for (const m of report.models) checkModel(m, lens, out);
  for (const d of report.diagnostics) checkLine(`diagnostic ${d.code} "${d.message}"`, d.line, d.column, lens, out);
  for (const m of analysis.models) {
    if (!(m.from >= 0 && m.from <= m.to && m.to <= text.length)) out.push(`model ${m.report.name}: offsets ${m.from}..${m.to} outside 0..${text.length}`);
  }
  try {
    JSON.stringify(report);
  } catch (e) {
    out.push(`the report is not serialisable: ${(e as Error).message}`);
  }
  return out;
}
