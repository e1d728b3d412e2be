// Incremental analysis of one document: each top-level statement and each model's analysis is reused while what it read is unchanged.
import type { Problem } from "../core/types";
import {
  analyseModelSafely,
  asAnalysisError,
  collectCandidate,
  handleExecError,
  notAnalysed,
  prelude,
  reportSyntaxError,
  runUnit,
  type Analysis,
  type AnalyzeOptions,
  type ModelAnalysis,
  type ModelCandidate,
  type Pragma,
} from "./analyze";
import { makeBuiltins } from "./builtins";
import { isImmutable, newRun, publish, sameValue, type Run, type TopCall } from "./deps";
import { Budget, BudgetError, DEFAULT_LIMITS, PyError, type BudgetLimits, type Where } from "./errors";
import { Interp } from "./interp";
import { findPragma } from "./pragma";
import type { Diagnostic } from "./report";
import { parseBlock, splitBlocks, textOf, type Block, type ParsedBlock, type SourceUnit, type SyntaxNode } from "./source";
import { execStatement } from "./statements";
import { Scope, type ModuleObj, type Value } from "./values";

export interface SessionOptions {
  /**
   * Keep what each statement and model read and produced, to reuse it in the next analysis
   * (the editor); false for a one-off analysis (the CLI), which then does no bookkeeping.
   */
  readonly incremental?: boolean;
}

type Diag = (where: Where | null, problem: Problem) => void;

/** What the last analysis reused (for benchmarks and tests). */
export interface SessionStats {
  statementsRun: number;
  statementsReused: number;
  modelsRun: number;
  modelsReused: number;
}

/** One run of a top-level statement, reusable by a later analysis while its inputs are unchanged. */
interface StatementRecord {
  /** The statement's text. */
  readonly key: string;
  /** Its own view of its block: offset and first line are moved to wherever the statement now is. */
  readonly unit: SourceUnit;
  readonly node: SyntaxNode;
  readonly parsed: ParsedBlock;
  /** 0-based line of the statement in its block's text. */
  readonly line: number;
  readonly atLineStart: boolean;
  readonly run: Run;
  readonly writes: readonly (readonly [string, Value | undefined])[];
  readonly created: readonly ModuleObj[];
  readonly error: PyError | BudgetError | null;
  readonly candidates: readonly ModelCandidate[];
  readonly steps: number;
  readonly reusable: boolean;
}

/** One model's analysis, reusable while the model's inputs and what its analysis read are unchanged. */
interface ModelMemo {
  readonly run: Run;
  readonly instance: ModuleObj | null;
  readonly topCall: TopCall | undefined;
  readonly pragma: string;
  readonly result: ModelAnalysis;
  readonly diags: readonly (readonly [Where | null, Problem])[];
  readonly created: readonly ModuleObj[];
}

/**
 * The analyses of one document as it is edited. Module-level statements run in order and share the
 * namespace, so each statement's run records the global names it read (and the values it saw) and
 * the names it wrote; the next analysis replays a statement's writes instead of running it when its
 * text and every value it read are the same. Objects a statement published (a module, a list) are
 * owned by its run: when a later run changes one, the owner is not reused next time. Each model's
 * analysis is kept the same way, keyed by its class or instance, its input and the names it read.
 * An analysis of a session equals a one-off analysis of the same text (the tests check it on random
 * edits).
 */
export class AnalysisSession {
  private readonly ip: Interp;
  private readonly limits: BudgetLimits;
  private readonly incremental: boolean;
  private previous = new Map<string, StatementRecord[]>();
  private readonly memos = new WeakMap<ModelCandidate, ModelMemo>();
  /** What the last analysis reused. */
  stats: SessionStats = { statementsRun: 0, statementsReused: 0, modelsRun: 0, modelsReused: 0 };

  constructor(
    private readonly options: AnalyzeOptions = {},
    session: SessionOptions = {},
  ) {
    this.incremental = session.incremental ?? true;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    let ipRef: Interp | null = null;
    const builtins: Scope = makeBuiltins(() => ipRef!);
    const ip = new Interp(this.limits, builtins);
    ipRef = ip;
    this.ip = ip;
    // the prelude (built-in composite modules), once per session
    const preScope = new Scope(builtins, "module");
    ip.preludeScope = preScope;
    runUnit(ip, prelude(), preScope, () => undefined);
  }

  analyze(document: string): Analysis {
    // a lone \r ends a line for Python and the editor: as \n (same offsets), lines and columns agree with both
    const text = document.includes("\r") ? document.replace(/\r(?!\n)/g, "\n") : document;
    const ip = this.ip;
    ip.beginAnalysis(new Budget(this.limits));
    const stats: SessionStats = (this.stats = { statementsRun: 0, statementsReused: 0, modelsRun: 0, modelsReused: 0 });
    const diagnostics: Diagnostic[] = [];
    const reported = new Set<string>(); // one diagnostic per line and code
    const diag: Diag = (where, problem) => {
      const line = where?.line ?? null;
      const key = `${line}:${problem.code}`;
      if (reported.has(key)) return;
      reported.add(key);
      diagnostics.push({ line, column: where?.column ?? null, severity: problem.severity, code: problem.code, message: problem.message, fix: problem.fix });
    };

    const blocks = splitBlocks(text);
    const units: SourceUnit[] = [];
    const candidates: ModelCandidate[] = [];
    const failedNames = new Set<string>();
    const next = new Map<string, StatementRecord[]>();
    const effects = (rec: StatementRecord): void => {
      if (rec.error) handleExecError(ip, rec.unit, rec.node, rec.error, failedNames, diag);
      for (const c of rec.candidates) candidates.push(c);
      if (this.incremental) {
        const list = next.get(rec.key);
        if (list) list.push(rec);
        else next.set(rec.key, [rec]);
      }
    };
    ip.rootUnit = unitOf(blocks[0] ?? { text: "", offset: 0, line0: 0 }, parseBlock(blocks[0]?.text ?? ""));
    run: for (let i = 0; i < blocks.length; i++) {
      if (ip.budget.outOfTime()) {
        // out of wall-clock time: the rest of the file is neither parsed nor run (a huge file's parse is bounded too)
        diag({ line: blocks[i].line0 + 1, column: 1 }, { code: "budget", severity: "warning", message: `not analysed: ${ip.budget.timeMessage()}` });
        break;
      }
      const parsed = parseBlock(blocks[i].text);
      const unit = i === 0 ? ip.rootUnit : unitOf(blocks[i], parsed);
      units.push(unit);
      if (parsed.firstError >= 0) reportSyntaxError(unit, parsed.firstError, diag);
      for (const st of parsed.root.children) {
        if (st.name === "Comment") continue;
        if (ip.budget.outOfTime()) {
          const error = new BudgetError(ip.budget.timeMessage());
          handleExecError(ip, unit, st, error, failedNames, diag);
          collectCandidate(ip, unit, st, [], true, candidates);
          break run;
        }
        const key = textOf(unit, st);
        const old = this.incremental ? this.take(key, unit, parsed, st) : undefined;
        effects(old ? this.replay(old, unit, parsed, st) : this.execute(key, unit, parsed, st));
        if (old) stats.statementsReused++;
        else stats.statementsRun++;
      }
    }
    this.previous = next;

    const lineText = lineReader(blocks, units);
    const models: ModelAnalysis[] = [];
    const deadline = ip.budget.deadline; // one wall-clock budget for the whole analysis, steps per model
    const lines = new Map(candidates.map((c) => [c, c.line]));
    for (const cand of candidates.sort((a, b) => lines.get(a)! - lines.get(b)!)) {
      ip.budget = new Budget(this.limits, deadline);
      if (ip.budget.outOfTime()) {
        models.push(notAnalysed(cand, ip.budget.timeMessage()));
        continue;
      }
      const line = lines.get(cand)!;
      const pragma = findPragma(line > 1 ? [lineText(line - 1), lineText(line)] : [lineText(line)], line > 1 ? 2 : 1);
      models.push(this.incremental ? this.model(cand, pragma, diag) : analyseModelSafely(ip, cand, pragma, this.options, diag));
    }
    diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { report: { version: 1, models: models.map((m) => m.report), diagnostics }, models };
  }

  /** A record of the previous analysis for this statement text that can be reused here, if any. */
  private take(key: string, unit: SourceUnit, parsed: ParsedBlock, st: SyntaxNode): StatementRecord | undefined {
    const list = this.previous.get(key);
    if (!list || list.length === 0) return undefined;
    const rec = list.shift()!;
    const ip = this.ip;
    if (!rec.reusable || rec.run.tainted) return undefined;
    if (rec.parsed !== parsed) {
      // another parse: the statement's tree is only the same when neither parse recovered from errors
      if (parsed.firstError >= 0 || rec.parsed.firstError >= 0 || !rec.atLineStart || !atLineStart(unit, st.from)) return undefined;
    }
    if (ip.budget.steps + rec.steps > this.limits.maxSteps) return undefined;
    const vars = ip.globals.vars;
    for (const [name, v] of rec.run.reads) {
      const now = vars.peek(name);
      if (!sameValue(now, v)) return undefined;
      // after an earlier statement changed a published object, only what cannot reach one is trusted
      if (ip.mutatedForeign && !isImmutable(now)) return undefined;
    }
    for (const c of rec.run.topCalls) if (ip.topCalls.get(c.module.id) !== c.before) return undefined;
    return rec;
  }

  /** Reuse a statement's run: its assignments, calls and modules, with positions moved to where it is now. */
  private replay(rec: StatementRecord, unit: SourceUnit, parsed: ParsedBlock, st: SyntaxNode): StatementRecord {
    const ip = this.ip;
    rec.unit.offset = unit.offset + st.from - rec.node.from;
    rec.unit.line0 = unit.line0 + lineIndex(parsed, st.from) - rec.line;
    for (const [name, v] of rec.writes) ip.globals.vars.put(name, v);
    ip.budget.steps += rec.steps;
    for (const c of rec.run.topCalls) if (c.set) ip.topCalls.set(c.module.id, c.set);
    for (const m of rec.created) ip.driverInstances.push(m);
    return rec;
  }

  /** Run a statement (recording what it reads and writes when the session is incremental). */
  private execute(key: string, blockUnit: SourceUnit, parsed: ParsedBlock, st: SyntaxNode): StatementRecord {
    const ip = this.ip;
    const unit = this.incremental ? { ...blockUnit } : blockUnit;
    const run = newRun();
    const before = ip.driverInstances.length;
    const steps = ip.budget.steps;
    let error: PyError | BudgetError | null = null;
    if (this.incremental) ip.run = ip.globals.vars.run = run;
    ip.pushFrame({ unit, callNode: null, inModuleMethod: false });
    try {
      execStatement({ ip, unit, scope: ip.globals }, st);
    } catch (e) {
      error = asAnalysisError(e);
    } finally {
      ip.popFrame();
      ip.run = ip.globals.vars.run = null;
    }
    const created = ip.driverInstances.slice(before);
    const candidates: ModelCandidate[] = [];
    collectCandidate(ip, unit, st, created, !!error, candidates);
    const used = ip.budget.steps - steps;
    const reusable = !(error instanceof BudgetError) && ip.budget.exhausted === null;
    if (error instanceof BudgetError) ip.budget = new Budget(ip.budget.limits, ip.budget.deadline);
    const writes = this.incremental ? [...run.written].map((n) => [n, ip.globals.vars.peek(n)] as const) : [];
    if (this.incremental) {
      const roots: Value[] = [];
      for (const [, v] of writes) if (v) roots.push(v);
      for (const c of run.topCalls) if (c.set) roots.push(...c.set.args, ...c.set.kwargs.map(([, v]) => v));
      publish(ip.owners, run, roots, created);
    }
    return {
      key,
      unit,
      node: st,
      parsed,
      line: lineIndex(parsed, st.from),
      atLineStart: atLineStart(unit, st.from),
      run,
      writes,
      created,
      error,
      candidates,
      steps: used,
      reusable,
    };
  }

  /** A model's analysis: the previous one when nothing it depends on changed, else a new one. */
  private model(cand: ModelCandidate, pragma: Pragma | null, diag: Diag): ModelAnalysis {
    const ip = this.ip;
    // the instance and input analyseModel will use (kept in step with it)
    const instance = cand.instance ?? ip.driverInstances.find((d) => d.cls === cand.cls) ?? null;
    const topCall = instance ? ip.topCalls.get(instance.id) : undefined;
    const pragmaKey = JSON.stringify(pragma);
    const memo = this.memos.get(cand);
    if (memo && memo.instance === instance && memo.topCall === topCall && memo.pragma === pragmaKey && this.readsUnchanged(memo.run, instance !== null)) {
      for (const [w, p] of memo.diags) diag(w, p);
      for (const m of memo.created) ip.driverInstances.push(m);
      this.stats.modelsReused++;
      return memo.result;
    }
    this.stats.modelsRun++;
    const run = newRun();
    const diags: [Where | null, Problem][] = [];
    const before = ip.driverInstances.length;
    ip.run = ip.globals.vars.run = run;
    let result: ModelAnalysis;
    try {
      result = analyseModelSafely(ip, cand, pragma, this.options, (w, p) => {
        diags.push([w, p]);
        diag(w, p);
      });
    } finally {
      ip.run = ip.globals.vars.run = null;
    }
    const created = ip.driverInstances.slice(before);
    if (ip.budget.exhausted === null) this.memos.set(cand, { run, instance, topCall, pragma: pragmaKey, result, diags, created });
    else this.memos.delete(cand);
    return result;
  }

  private readsUnchanged(run: Run, mutableInput: boolean): boolean {
    const ip = this.ip;
    if (ip.mutatedForeign && mutableInput) return false;
    for (const [name, v] of run.reads) {
      const now = ip.globals.vars.peek(name);
      if (!sameValue(now, v)) return false;
      if (ip.mutatedForeign && !isImmutable(now)) return false;
    }
    return true;
  }
}

function unitOf(block: Block, parsed: ParsedBlock): SourceUnit {
  return { text: block.text, tree: parsed.tree, root: parsed.root, offset: block.offset, line0: block.line0, isUser: true, lineStarts: parsed.lineStarts };
}

/** 0-based line of a position in its block's text. */
function lineIndex(parsed: ParsedBlock, pos: number): number {
  const starts = parsed.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function atLineStart(unit: SourceUnit, pos: number): boolean {
  return pos === 0 || unit.text.charCodeAt(pos - 1) === 10;
}

/** The text of a 1-based line of the document, from its blocks. */
function lineReader(blocks: readonly Block[], units: readonly SourceUnit[]): (line: number) => string {
  return (line) => {
    let lo = 0;
    let hi = units.length - 1;
    if (hi < 0) return "";
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid].line0 < line) lo = mid;
      else hi = mid - 1;
    }
    const u = units[lo];
    const i = line - 1 - blocks[lo].line0;
    if (i < 0 || i >= u.lineStarts.length) return "";
    const end = i + 1 < u.lineStarts.length ? u.lineStarts[i + 1] : u.text.length;
    return u.text.slice(u.lineStarts[i], end).replace(/\r?\n$/, "");
  };
}
