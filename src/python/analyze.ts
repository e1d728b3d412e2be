// The analysis entry point: run a model file statically, find its models, trace each forward, build the report.
import type { SyntaxNode } from "./source";
import { symbol } from "../core/dim";
import { inputRfState, rfReport } from "../core/rf";
import type { Cost, CostOrUnknown, Problem } from "../core/types";
import { isUnknown } from "../core/types";
import { tensorsIn, shapeJson } from "./convert";
import { Budget, BudgetError, PyError, type BudgetLimits, type Where } from "./errors";
import { execStatement } from "./statements";
import { isModuleClass, Interp } from "./interp";
import { constructModule, containerKind, moduleWhere, namedModules } from "./modules";
import { callModule } from "./moduleCall";
import { paramTotals } from "./paramcount";
import { closeMatch, NN_NAMES } from "./names";
import { parsePragma } from "./pragma";
import { PRELUDE_SOURCE } from "./prelude";
import { lineOf, makeUnit, textOf, UnitPosition, type SourceUnit } from "./source";
import { AnalysisSession } from "./session";
import { newTrace, type Entry, type Graph } from "./trace";
import { addNode } from "./graph";
import { makeTensor } from "./tensorCreation";
import { Scope, type ClassObj, type ModuleObj, type Value } from "./values";
import type { LayerReport, ModelReport, Report } from "./report";

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

/** A model found by running the file: a user nn.Module class, or a Sequential assigned at module level. */
export interface ModelCandidate {
  readonly kind: "class" | "sequential";
  readonly name: string;
  /** Positions of the name, read from the statement's unit (they follow later edits above it). */
  readonly line: number;
  readonly from: number;
  readonly to: number;
  readonly cls?: ClassObj;
  readonly instance?: ModuleObj;
  readonly failed?: boolean;
}

class Candidate implements ModelCandidate {
  readonly kind: "class" | "sequential";
  readonly name: string;
  readonly cls?: ClassObj;
  readonly instance?: ModuleObj;
  readonly failed?: boolean;
  constructor(
    private readonly unit: SourceUnit,
    private readonly stmt: SyntaxNode,
    private readonly nameNode: SyntaxNode,
    fields: { kind: "class" | "sequential"; name: string; cls?: ClassObj; instance?: ModuleObj; failed?: boolean },
  ) {
    this.kind = fields.kind;
    this.name = fields.name;
    this.cls = fields.cls;
    this.instance = fields.instance;
    this.failed = fields.failed;
  }
  get line(): number {
    return lineOf(this.unit, this.stmt.from);
  }
  get from(): number {
    return this.unit.offset + this.nameNode.from;
  }
  get to(): number {
    return this.unit.offset + this.nameNode.to;
  }
}

function candidate(
  unit: SourceUnit,
  stmt: SyntaxNode,
  nameNode: SyntaxNode,
  fields: { kind: "class" | "sequential"; name: string; cls?: ClassObj; instance?: ModuleObj; failed?: boolean },
): ModelCandidate {
  return new Candidate(unit, stmt, nameNode, fields);
}

/** Where a model's own diagnostics go: column 1 of its line. */
function candidateWhere(cand: ModelCandidate): Where {
  return {
    get line() {
      return cand.line;
    },
    column: 1,
  };
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

/**
 * Errors of the analysed code, the JS stack overflowing on absurdly nested code or values, and
 * strings or arrays past what JS can hold; anything else is a bug.
 */
export function asAnalysisError(e: unknown): PyError | BudgetError {
  if (e instanceof PyError || e instanceof BudgetError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new BudgetError("the code is nested too deeply");
  if (e instanceof RangeError && /Invalid (string|array|typed array) length/i.test(e.message)) return new BudgetError("a value too large to build");
  throw e;
}

/** The first syntax error of a block (at `pos`, see ParsedBlock.firstError). */
export function reportSyntaxError(unit: SourceUnit, pos: number, diag: (w: Where | null, p: Problem) => void): void {
  diag(positionAt(unit, pos), { code: "syntax-error", severity: "error", message: "syntax error" });
}

function positionAt(unit: SourceUnit, pos: number): Where {
  return new UnitPosition(unit, pos); // read when reported: a reused statement's positions follow it
}

function assignedNamesOf(unit: SourceUnit, st: SyntaxNode): string[] {
  if (st.name !== "AssignStatement" && st.name !== "UpdateStatement") return [];
  const names: string[] = [];
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "AssignOp" || ch.name === "UpdateOp") break;
    if (ch.name === "VariableName") names.push(textOf(unit, ch));
    if (ch.name === "TupleExpression") for (const v of ch.getChildren("VariableName")) names.push(textOf(unit, v));
  }
  return names;
}

export function handleExecError(
  ip: Interp,
  unit: SourceUnit,
  st: SyntaxNode,
  e: PyError | BudgetError,
  failedNames: Set<string>,
  diag: (w: Where | null, p: Problem) => void,
): void {
  for (const n of assignedNamesOf(unit, st)) failedNames.add(n);
  if (e instanceof BudgetError) {
    diag(positionAt(unit, st.from), { code: "budget", severity: "warning", message: `not analysed: ${e.message}` });
    return;
  }
  if (e.inForward || e.pyType.startsWith("Unknown")) return;
  if (e.pyType === "NameError") {
    const m = /name '(\w+)' is not defined/.exec(e.message);
    if (m && failedNames.has(m[1])) return;
    if (m) {
      const guess = closeMatch(m[1], NN_NAMES);
      diag(e.where, { code: "unknown-layer", severity: "error", message: `${m[1]} is not defined${guess ? ` - did you mean nn.${guess}?` : ""}` });
    }
    return;
  }
  if (e.problem) {
    // a wrong call (TypeError) or a generic error is classified as PyTorch's oracle does: shape-mismatch
    const generic = e.problem.code === "bad-argument" || e.problem.code === "shape-mismatch";
    diag(e.where, generic ? { ...e.problem, code: "shape-mismatch", message: `${e.pyType}: ${e.problem.message}` } : e.problem);
    return;
  }
  void ip;
  diag(e.where, { code: "shape-mismatch", severity: "error", message: `${e.pyType}: ${e.message}` });
}

function calleeName(unit: SourceUnit, value: SyntaxNode | null): string {
  if (!value || value.name !== "CallExpression") return "";
  const callee = value.firstChild;
  if (!callee) return "";
  if (callee.name === "VariableName") return textOf(unit, callee);
  const prop = callee.getChild("PropertyName");
  return prop ? textOf(unit, prop) : "";
}

export function collectCandidate(ip: Interp, unit: SourceUnit, st: SyntaxNode, created: ModuleObj[], failed: boolean, out: ModelCandidate[]): void {
  let node = st;
  if (node.name === "DecoratedStatement") node = node.getChild("ClassDefinition") ?? node;
  if (node.name === "ClassDefinition") {
    const nameNode = node.getChild("VariableName");
    if (!nameNode) return;
    const name = textOf(unit, nameNode);
    const v = ip.globals.vars.peek(name);
    if (v?.k === "class" && v.cls.isUser && isModuleClass(v.cls)) out.push(candidate(unit, node, nameNode, { kind: "class", name, cls: v.cls }));
    return;
  }
  if (node.name !== "AssignStatement") return;
  const kids: SyntaxNode[] = [];
  for (let ch = node.firstChild; ch; ch = ch.nextSibling) kids.push(ch);
  if (kids.length !== 3 || kids[0].name !== "VariableName" || kids[1].name !== "AssignOp") return;
  const name = textOf(unit, kids[0]);
  const v = ip.globals.vars.peek(name);
  if (!failed && v?.k === "module" && v.m.cls.kind === "sequential" && created.includes(v.m)) {
    out.push(candidate(unit, node, kids[0], { kind: "sequential", name, instance: v.m }));
  } else if (failed) {
    const callee = calleeName(unit, kids[2]);
    if (callee === "Sequential" || closeMatch(callee, ["Sequential"], 0.75)) out.push(candidate(unit, node, kids[0], { kind: "sequential", name, failed: true }));
  }
}

/** A model not analysed at all (the wall-clock budget ran out before it). */
export function notAnalysed(cand: ModelCandidate, reason: string): ModelAnalysis {
  const report = emptyReport(cand);
  report.error = `not analysed: ${reason}`;
  return modelAnalysis(cand, report, [], null, { nodes: [], edges: [] });
}

/** A model's result; its positions are read from the candidate (they follow later edits above it). */
function modelAnalysis(cand: ModelCandidate, report: ModelReport, entries: readonly Entry[], root: ModuleObj | null, graph: Graph): ModelAnalysis {
  return {
    report,
    entries,
    root,
    graph,
    get from() {
      return cand.from;
    },
    get to() {
      return cand.to;
    },
  };
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

function emptyReport(c: ModelCandidate): ModelReport {
  return {
    name: c.name,
    get line() {
      return c.line;
    },
    input: null,
    output: null,
    params: null,
    trainableParams: null,
    macs: null,
    flops: null,
    layers: [],
  };
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
        reportForwardError(e, inst, diag);
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

function reportForwardError(e: PyError, inst: ModuleObj, diag: (w: Where | null, p: Problem) => void): void {
  const mod = e.module;
  let where = e.where;
  const leaf = mod && mod !== inst && (mod.children.size === 0 || containerKind(mod) === "layer");
  if (leaf && mod.site) where = moduleWhere(mod);
  // inside forward the oracle words every error but PyTorch's shape errors as the exception's own text
  const shapeCodes = ["channel-mismatch", "in-features-mismatch", "size-too-small", "groups-mismatch", "shape-mismatch"];
  // a misspelled name keeps its suggested spelling (fix.value with no argument): the editor offers the rename
  const rename = e.problem?.fix && !e.problem.fix.arg ? { fix: e.problem.fix } : {};
  const problem: Problem =
    e.problem && shapeCodes.includes(e.problem.code) ? e.problem : { code: "shape-mismatch", severity: "error", message: e.message, ...rename };
  const suffix = problem.code === "shape-mismatch" && mod && !e.located ? ` (in ${mod.cls.name}.forward, input ${e.moduleInput ?? "?"})` : "";
  const { fix, ...rest } = problem;
  // one constructor line building several layers (a block's conv in every block): an edit there changes them all
  const shared = leaf && mod.site && namedModules(inst).filter(([, m]) => m.site?.unit === mod.site?.unit && m.site?.node.from === mod.site?.node.from).length > 1;
  diag(where, { ...rest, ...(fix && !shared ? { fix } : {}), message: problem.message + suffix });
}

/**
 * Spec §5.4: with no input anywhere, a symbolic input shaped for the first layer:
 * (N, C_in, H, W) for a Conv2d, (N, C_in, L) for 1-d, (N, C_in, D, H, W) for 3-d, (N, in_features)
 * for a Linear, (N, L) token ids for an Embedding, (N, L, input_size) or (L, N, input_size) for RNNs.
 */
function symbolicInput(inst: ModuleObj): { shape: (number | string)[]; dtype: "float" | "long" }[] | null {
  for (const [, m] of namedModules(inst)) {
    const args = m.args;
    if (!args || containerKind(m) !== "layer") continue;
    const type = m.cls.name;
    const num = (k: string): number | null => (typeof args[k] === "number" ? (args[k] as number) : null);
    const conv = /^(?:Conv|ConvTranspose|LazyConv)([123])d$/.exec(type);
    if (conv && num("in_channels") !== null) {
      const spatial = conv[1] === "1" ? ["L"] : conv[1] === "2" ? ["H", "W"] : ["D", "H", "W"];
      return [{ shape: ["N", num("in_channels")!, ...spatial], dtype: "float" }];
    }
    if ((type === "Linear" || type === "Bilinear") && num("in_features") !== null) return [{ shape: ["N", num("in_features")!], dtype: "float" }];
    if (/^BatchNorm2d|InstanceNorm2d$/.test(type) && num("num_features") !== null) return [{ shape: ["N", num("num_features")!, "H", "W"], dtype: "float" }];
    if (type === "Embedding") return [{ shape: ["N", "L"], dtype: "long" }];
    if (/^(RNN|LSTM|GRU)$/.test(type) && num("input_size") !== null) {
      return [{ shape: args.batch_first === true ? ["N", "L", num("input_size")!] : ["L", "N", num("input_size")!], dtype: "float" }];
    }
    return null; // the first layer decides; anything else has no obvious input
  }
  return null;
}

function withModuleFrame<T>(ip: Interp, f: () => T): T {
  ip.pushFrame({ unit: ip.globalsUnit(), callNode: null, inModuleMethod: false });
  try {
    return f();
  } finally {
    ip.popFrame();
  }
}

function tensorFor(ip: Interp, shape: readonly (number | string)[], dtype: "float" | "long"): Value {
  const dims: Value[] = shape.map((d) => (typeof d === "number" ? { k: "int", v: d } : { k: "int", v: symbol(d) }));
  return makeTensor(ip, dims, dtype);
}

function freshInput(v: Value): Value {
  if (v.k === "tensor") return { k: "tensor", t: { ...v.t, rf: inputRfState(v.t.dtype) } };
  if (v.k === "tuple") return { k: "tuple", items: v.items.map(freshInput) };
  if (v.k === "list") return { k: "list", items: v.items.map(freshInput) };
  if (v.k === "dict") return { ...v, vals: v.vals.map(freshInput) }; // forward(batch) with a dict of tensors
  return v;
}

function layerReport(e: Entry): LayerReport {
  const m = e.module;
  const known = e.cost && !isUnknown(e.cost) ? (e.cost as Cost) : null;
  const cost = known && Number.isSafeInteger(known.macs) && Number.isSafeInteger(known.flops) ? known : null;
  const rf = e.error ? { rf: null, jump: null } : rfReport(e.rfState as never);
  const out: LayerReport = {
    path: e.path,
    type: e.type,
    get line() {
      return m.line; // read when reported: follows edits above the layer's line
    },
    output: e.error ? null : (shapeJson(e.output) as LayerReport["output"]),
    params: paramTotals(m).params,
    macs: cost ? cost.macs : null,
    flops: cost ? cost.flops : null,
    rf: rf.rf,
    jump: rf.jump,
  };
  if (e.error) out.error = true;
  return out;
}

function staticLayers(inst: ModuleObj, names: Map<number, string>): LayerReport[] {
  const out: LayerReport[] = [];
  for (const [path, m] of namedModules(inst)) {
    if (m === inst) continue;
    const atomic = containerKind(m) === "layer";
    if (!atomic && m.children.size > 0) continue;
    out.push({
      path: names.get(m.id) ?? path,
      type: m.cls.name,
      get line() {
        return m.line;
      },
      output: null,
      params: paramTotals(m).params,
      macs: null,
      flops: null,
      rf: null,
      jump: null,
    });
  }
  return out;
}

export { parsePragma };
