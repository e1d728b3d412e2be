// The analysis entry point: run a model file statically, find its models, trace each forward, build the report.
import type { SyntaxNode } from "./source";
import type { Cost, CostOrUnknown, Problem } from "../core/types";
import { isUnknown } from "../core/types";
import { tensorsIn, shapeJson } from "./convert";
import { Budget, BudgetError, PyError, type BudgetLimits, type Where } from "./errors";
import { execStatement } from "./statements";
import { Interp } from "./interp";
import { constructModule, namedModules } from "./modules";
import { callModule } from "./moduleCall";
import { paramTotals } from "./paramcount";
import { parsePragma } from "./pragma";
import { PRELUDE_SOURCE } from "./prelude";
import { makeUnit, type SourceUnit } from "./source";
import { AnalysisSession } from "./session";
import { newTrace, type Entry, type Graph } from "./trace";
import { addNode } from "./graph";
import { Scope, type ModuleObj, type Value } from "./values";
import type { ModelReport, Report } from "./report";
import { asAnalysisError, reportForwardError } from "./analysisErrors";
import { type ModelCandidate, candidateWhere } from "./modelCandidates";
import { tensorFor, symbolicInput, freshInput } from "./modelInputs";
import { notAnalysed, emptyReport, modelAnalysis, staticLayers, layerReport } from "./modelReports";

export interface AnalyzeOptions {
  /** Input shapes to use when a model has neither a pragma nor a call in the file (spec §5.3). */
  readonly defaultInput?: readonly (readonly number[])[];
  /** Trace models without any input with a symbolic (N, C_in, H, W) input (spec §5.4). */
  readonly symbolic?: boolean;
  readonly limits?: Partial<BudgetLimits>;
}

/** What the editor needs beyond the JSON report: the entries with their modules and positions. */
export interface ModelAnalysis {
  readonly report: ModelReport;
  readonly entries: readonly Entry[];
  readonly root: ModuleObj | null;
  /** The dataflow graph of the traced forward (empty when the model was not traced). */
  readonly graph: Graph;
  /** Offsets of the class name or the assignment in the document. */
  readonly from: number;
  readonly to: number;
}

/** Input shapes a `# shape-lens: input=...` pragma declares. */
export type Pragma = (number | string)[][];

export interface Analysis {
  readonly report: Report;
  readonly models: readonly ModelAnalysis[];
}

let preludeUnit: SourceUnit | null = null;

export function prelude(): SourceUnit {
  if (!preludeUnit) preludeUnit = makeUnit({ text: PRELUDE_SOURCE, offset: 0, line0: 0 }, false);
  return preludeUnit;
}

/** Analyse a whole file once (the editor keeps an AnalysisSession per document, which reuses unchanged parts). */
export function analyzeSource(document: string, options: AnalyzeOptions = {}): Analysis {
  return new AnalysisSession(options, { incremental: false }).analyze(document);
}

export type StatementHook = (st: SyntaxNode, created: ModuleObj[], error: PyError | BudgetError | null) => void;

/** Run a unit's statements; false when the wall-clock budget ran out (reported on the first statement not run). */
export function runUnit(ip: Interp, unit: SourceUnit, scope: Scope, hook: StatementHook): boolean {
  const ctx = { ip, unit, scope };
  ip.pushFrame({ unit, callNode: null, inModuleMethod: false });
  try {
    for (let st = unit.root.firstChild; st; st = st.nextSibling) {
      if (ip.budget.outOfTime()) {
        hook(st, [], new BudgetError(ip.budget.timeMessage()));
        return false;
      }
      const before = ip.driverInstances.length;
      let error: PyError | BudgetError | null = null;
      try {
        execStatement(ctx, st);
      } catch (e) {
        error = asAnalysisError(e);
      }
      hook(st, ip.driverInstances.slice(before), error);
      if (error instanceof BudgetError) ip.budget = new Budget(ip.budget.limits, ip.budget.deadline);
    }
  } finally {
    ip.popFrame();
  }
  return true;
}

/** analyseModel, with a model whose structure or values are nested past the JS stack reported as not analysed. */
export function analyseModelSafely(
  ip: Interp,
  cand: ModelCandidate,
  pragma: Pragma | null,
  options: AnalyzeOptions,
  diag: (w: Where | null, p: Problem) => void,
): ModelAnalysis {
  try {
    return analyseModel(ip, cand, pragma, options, diag);
  } catch (e) {
    const err = asAnalysisError(e);
    diag(candidateWhere(cand), { code: "budget", severity: "warning", message: `${cand.name}: ${err.message}` });
    return notAnalysed(cand, err.message);
  } finally {
    ip.trace = null;
  }
}

function analyseModel(
  ip: Interp,
  cand: ModelCandidate,
  pragma: Pragma | null,
  options: AnalyzeOptions,
  diag: (w: Where | null, p: Problem) => void,
): ModelAnalysis {
  const report = emptyReport(cand);
  let graph: Graph = { nodes: [], edges: [] };
  const result = (entries: readonly Entry[], root: ModuleObj | null): ModelAnalysis => modelAnalysis(cand, report, entries, root, graph);
  if (pragma) report.input = pragma.map((s) => s.map((d) => (typeof d === "number" ? d : d)));
  if (cand.failed) {
    report.error = "construction failed";
    return result([], null);
  }
  let inst = cand.instance ?? ip.firstInstance(cand.cls) ?? null;
  if (inst?.failed) {
    report.error = "construction failed";
    report.input = null;
    return result([], null);
  }
  if (!inst && cand.cls) {
    try {
      const v = withModuleFrame(ip, () => constructModule(ip, cand.cls!, [], [], { unit: ip.globalsUnit(), node: null as never }));
      if (v.k === "module") inst = v.m;
    } catch (err) {
      const e = asAnalysisError(err);
      report.error = e instanceof PyError ? `not constructible without arguments (${e.pyType})` : `not analysed: ${e.message}`;
      return result([], null);
    }
  }
  if (!inst) return result([], null);
  const totals = paramTotals(inst);
  report.params = totals.params;
  report.trainableParams = totals.trainable;
  if (totals.reasons.length > 0) report.unknownParams = totals.reasons;
  const names = new Map<number, string>(namedModules(inst).map(([p, m]) => [m.id, p]));

  let call: { args: Value[]; kwargs: [string, Value][] } | null = null;
  if (pragma) {
    call = { args: pragma.map((s) => tensorFor(ip, s, "float")), kwargs: [] };
  } else if (ip.topCalls.has(inst.id)) {
    const top = ip.topCalls.get(inst.id)!;
    call = { args: top.args, kwargs: top.kwargs };
    report.input = tensorsIn({ k: "tuple", items: [...top.args, ...top.kwargs.map(([, v]) => v)] }).map((t) => shapeJson(t) as (number | string | null)[]);
  } else if (options.defaultInput && options.defaultInput.length > 0) {
    call = { args: options.defaultInput.map((s) => tensorFor(ip, [...s], "float")), kwargs: [] };
    report.input = options.defaultInput.map((s) => [...s]);
  }
  if (!call && options.symbolic) {
    const shapes = symbolicInput(inst);
    if (shapes) {
      call = { args: shapes.map((sh) => tensorFor(ip, sh.shape, sh.dtype)), kwargs: [] };
      report.input = shapes.map((sh) => [...sh.shape]);
    }
  }
  if (!call) {
    report.layers = staticLayers(inst, names);
    return result([], inst);
  }
  const run = (args: Value[]): { entries: Entry[]; error: unknown; out: Value | null; totalOps: { name: string; cost: CostOrUnknown }[] } => {
    const trace = newTrace(inst!, names);
    ip.trace = trace;
    const fresh = args.map((a) => freshInput(a));
    const freshKw = call!.kwargs.map(([k, v]) => [k, freshInput(v)] as [string, Value]);
    tensorsIn({ k: "tuple", items: [...fresh, ...freshKw.map(([, v]) => v)] }).forEach((t, i) =>
      addNode(trace, { kind: "input", label: `input ${i}`, output: shapeJson(t), macs: 0, flops: 0, line: null, from: null, to: null }, [], t),
    );
    let out: Value | null = null;
    let error: unknown = null;
    try {
      out = withModuleFrame(ip, () => callModule(ip, inst!, fresh, freshKw, { unit: ip.globalsUnit(), node: null as never }));
      addNode(trace, { kind: "output", label: "output", output: shapeJson(out), macs: 0, flops: 0, line: null, from: null, to: null }, [out], null);
    } catch (e) {
      error = asAnalysisError(e);
    } finally {
      ip.trace = null;
    }
    graph = trace.graph;
    return { entries: trace.entries, error, out, totalOps: trace.totalOps };
  };
  let res = run(call.args);
  if (res.error instanceof PyError && pragma && /Long|indices|Int\b|scalar type|integer/.test(res.error.message)) {
    res = run(pragma.map((s) => tensorFor(ip, s, "long")));
  }
  report.layers = res.entries.map(layerReport);
  if (res.error) {
    const e = res.error;
    if (e instanceof BudgetError) {
      report.error = `not analysed completely: ${e.message}`;
      diag(candidateWhere(cand), { code: "budget", severity: "warning", message: `${cand.name}: ${e.message}` });
    } else if (e instanceof PyError) {
      if (e.pyType.startsWith("Unknown")) {
        report.error = e.message;
      } else {
        reportForwardError(e, inst, diag, res.entries.some((en) => !en.error && en.module === e.module));
      }
    }
    report.truncated = true;
    return result(res.entries, inst);
  }
  report.output = shapeJson(res.out) as ModelReport["output"];
  const unknownParts: string[] = [];
  let macs = 0;
  let flops = 0;
  const addCost = (name: string, c: CostOrUnknown | null): void => {
    if (!c || isUnknown(c)) unknownParts.push(name);
    else {
      macs += (c as Cost).macs;
      flops += (c as Cost).flops;
    }
  };
  for (const e of res.entries) addCost(e.type, e.cost);
  for (const o of res.totalOps) addCost(o.name, o.cost);
  if (unknownParts.length > 0) report.unknownFlops = [...new Set(unknownParts)].sort();
  else if (Number.isSafeInteger(macs) && Number.isSafeInteger(flops)) {
    report.macs = macs;
    report.flops = flops;
  }
  return result(res.entries, inst);
}

function withModuleFrame<T>(ip: Interp, f: () => T): T {
  ip.pushFrame({ unit: ip.globalsUnit(), callNode: null, inModuleMethod: false });
  try {
    return f();
  } finally {
    ip.popFrame();
  }
}

export { parsePragma };
