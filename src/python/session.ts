// Incremental analysis of one document: each top-level statement and each model's analysis is reused while what it read is unchanged.
import type { Problem } from "../core/types";
import { analyseModelSafely, prelude, runUnit, type Analysis, type AnalyzeOptions, type ModelAnalysis, type Pragma } from "./analyze";
import { notAnalysed } from "./modelReports";
import { collectCandidate, finalCandidates, type ModelCandidate } from "./modelCandidates";
import { asAnalysisError, handleExecError, reportSyntaxError } from "./analysisErrors";
import { makeBuiltins } from "./builtins";
import { isImmutable, newRun, publish, sameValue } from "./deps";
import { Budget, BudgetError, DEFAULT_LIMITS, PyError, type BudgetLimits, type Where } from "./errors";
import { Interp } from "./interp";
import { libPrelude, setLibScope } from "./libprelude";
import type { Diagnostic } from "./report";
import { atLineStart, lineIndex, lineReader, linesMentioning, pragmaAt } from "./documentLines";
import { parseBlock, reparseBlock, splitBlocks, textOf, type Block, type ParsedBlock, type SourceUnit, type SyntaxNode } from "./source";
import { execStatement } from "./statements";
import { Scope, type Value } from "./values";
import { type StatementRecord, type ModelMemo, readsOf, type Reads } from "./sessionRecords";

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
  /** The statement records of the last analysis, in order, and the next one expected. */
  private previous: StatementRecord[] = [];
  private cursor = 0;
  /** The same records by text, built when a statement is not the expected one (one was added or removed). */
  private index: Map<string, StatementRecord[]> | null = null;
  /** Counts analyses (records taken by this one carry its number). */
  private generation = 0;
  /** The blocks of the last analysis and their parses (most blocks of the next version are the same). */
  private blocks: { readonly text: string; readonly parsed: ParsedBlock }[] = [];
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
    // library classes driver code uses (DataLoader, ArgumentParser), in their own scope
    const libScope = new Scope(builtins, "module");
    setLibScope(ip, libScope);
    runUnit(ip, libPrelude(), libScope, () => undefined);
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
    const next: StatementRecord[] = [];
    this.cursor = 0;
    this.index = null;
    this.generation++;
    const effects = (rec: StatementRecord): void => {
      if (rec.error) handleExecError(ip, rec.unit, rec.node, rec.error, failedNames, diag);
      for (const c of rec.candidates) candidates.push(c);
      if (this.incremental) next.push(rec);
    };
    const parse = this.parser(blocks);
    ip.rootUnit = unitOf(blocks[0] ?? { text: "", offset: 0, line0: 0 }, blocks.length > 0 ? parse(0) : parseBlock(""));
    run: for (let i = 0; i < blocks.length; i++) {
      if (ip.budget.outOfTime()) {
        // out of wall-clock time: the rest of the file is neither parsed nor run (a huge file's parse is bounded too)
        diag({ line: blocks[i].line0 + 1, column: 1 }, { code: "budget", severity: "warning", message: `not analysed: ${ip.budget.timeMessage()}` });
        break;
      }
      const parsed = parse(i);
      const unit = i === 0 ? ip.rootUnit : unitOf(blocks[i], parsed);
      units.push(unit);
      if (parsed.firstError >= 0) reportSyntaxError(unit, parsed.firstError, diag, parsed.firstErrorMessage);
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
    const pragmaLines = linesMentioning(text, "shape-lens", blocks, units);
    const models: ModelAnalysis[] = [];
    const deadline = ip.budget.deadline; // one wall-clock budget for the whole analysis, steps per model
    const byLine = finalCandidates(ip, candidates).map((cand) => ({ cand, line: cand.line })).sort((a, b) => a.line - b.line);
    for (const { cand, line } of byLine) {
      if (ip.budget.outOfTime()) {
        models.push(notAnalysed(cand, ip.budget.timeMessage()));
        continue;
      }
      const pragma = pragmaLines.has(line) || pragmaLines.has(line - 1) ? pragmaAt(lineText, line) : null;
      if (this.incremental) models.push(this.model(cand, pragma, diag, deadline));
      else {
        ip.budget = new Budget(this.limits, deadline);
        models.push(analyseModelSafely(ip, cand, pragma, this.options, diag));
      }
    }
    diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { report: { version: 1, models: models.map((m) => m.report), diagnostics }, models };
  }

  /** A record of the previous analysis for this statement text that can be reused here, if any. */
  private take(key: string, unit: SourceUnit, parsed: ParsedBlock, st: SyntaxNode): StatementRecord | undefined {
    const rec = this.lookup(key);
    if (!rec) return undefined;
    const ip = this.ip;
    if (!rec.reusable || rec.run.tainted) return undefined;
    if (rec.parsed !== parsed) {
      // another parse: the statement's tree is only the same when neither parse recovered from errors
      if (parsed.firstError >= 0 || rec.parsed.firstError >= 0 || !rec.atLineStart || !atLineStart(unit, st.from)) return undefined;
    }
    if (ip.budget.steps + rec.steps > this.limits.maxSteps) return undefined;
    if (!this.readsUnchanged(rec.reads)) return undefined;
    for (const c of rec.run.topCalls) if (ip.topCalls.get(c.module.id) !== c.before) return undefined;
    return rec;
  }

  /** The first record of the last analysis with this text not taken yet: usually the next one in order. */
  private lookup(key: string): StatementRecord | undefined {
    const prev = this.previous;
    const gen = this.generation;
    while (this.cursor < prev.length && prev[this.cursor].taken === gen) this.cursor++;
    let rec: StatementRecord | undefined;
    if (this.cursor < prev.length && prev[this.cursor].key === key) rec = prev[this.cursor++];
    else {
      if (!this.index) {
        this.index = new Map();
        for (const r of prev) {
          const list = this.index.get(r.key);
          if (list) list.push(r);
          else this.index.set(r.key, [r]);
        }
      }
      rec = this.index.get(key)?.find((r) => r.taken !== gen);
    }
    if (rec) rec.taken = gen;
    return rec;
  }

  /** Reuse a statement's run: its assignments, calls and modules, with positions moved to where it is now. */
  private replay(rec: StatementRecord, unit: SourceUnit, parsed: ParsedBlock, st: SyntaxNode): StatementRecord {
    const ip = this.ip;
    rec.unit.offset = unit.offset + st.from - rec.node.from;
    rec.unit.line0 = unit.line0 + lineIndex(parsed, st.from) - rec.line;
    const writes = rec.writes;
    for (let i = 0; i < writes.length; i++) ip.globals.vars.put(writes[i][0], writes[i][1]);
    ip.budget.steps += rec.steps;
    for (const c of rec.run.topCalls) if (c.set) ip.topCalls.set(c.module.id, c.set);
    for (const m of rec.created) ip.addDriverInstance(m);
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
    const whole = ip.budget;
    const slice = (ip.budget = whole.slice()); // a runaway loop stops here, the models keep their time
    try {
      execStatement({ ip, unit, scope: ip.globals }, st);
    } catch (e) {
      error = asAnalysisError(e);
    } finally {
      ip.popFrame();
      ip.run = ip.globals.vars.run = null;
      whole.merge(slice);
      ip.budget = whole;
    }
    const created = ip.driverInstances.slice(before);
    const candidates: ModelCandidate[] = [];
    collectCandidate(ip, unit, st, created, !!error, candidates);
    const used = ip.budget.steps - steps;
    const reusable = !(error instanceof BudgetError) && slice.exhausted === null;
    if (error instanceof BudgetError) ip.budget = new Budget(whole.limits, whole.deadline);
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
      reads: readsOf(run),
      writes,
      created,
      error,
      candidates,
      steps: used,
      reusable,
      taken: this.generation,
    };
  }

  /** A model's analysis: the previous one when nothing it depends on changed, else a new one. */
  private model(cand: ModelCandidate, pragma: Pragma | null, diag: Diag, deadline: number): ModelAnalysis {
    const ip = this.ip;
    // the instance and input analyseModel will use (kept in step with it)
    const instance = cand.instance ?? ip.firstInstance(cand.cls) ?? null;
    const topCall = instance ? ip.topCalls.get(instance.id) : undefined;
    const pragmaKey = pragma ? JSON.stringify(pragma) : "";
    const memo = this.memos.get(cand);
    const unchanged = memo && memo.instance === instance && memo.topCall === topCall && memo.pragma === pragmaKey;
    // after a statement changed a published object, a model of a module built by top-level code is analysed again
    if (unchanged && !(instance !== null && ip.mutatedForeign) && this.readsUnchanged(memo.reads)) {
      for (const [w, p] of memo.diags) diag(w, p);
      for (const m of memo.created) ip.addDriverInstance(m);
      this.stats.modelsReused++;
      return memo.result;
    }
    this.stats.modelsRun++;
    ip.budget = new Budget(this.limits, deadline);
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
    if (ip.budget.exhausted === null) this.memos.set(cand, { reads: readsOf(run), instance, topCall, pragma: pragmaKey, result, diags, created });
    else this.memos.delete(cand);
    return result;
  }

  /** Whether every name a run read is bound as it was (after a statement changed a published object: to immutable values only). */
  private readsUnchanged(reads: Reads): boolean {
    const vars = this.ip.globals.vars;
    const strict = this.ip.mutatedForeign;
    const { names, values } = reads;
    for (let i = 0; i < names.length; i++) {
      const now = vars.peek(names[i]);
      if (!sameValue(now, values[i])) return false;
      if (strict && !isImmutable(now)) return false;
    }
    return true;
  }

  /**
   * The parse of block i (asked for in order): the last analysis's when the block is unchanged
   * (compared with the blocks at about the same place: cheaper than hashing every block's text),
   * else from the parse cache.
   */
  private parser(blocks: readonly Block[]): (i: number) => ParsedBlock {
    if (!this.incremental) return (i) => parseBlock(blocks[i].text);
    const prev = this.blocks;
    const next: { text: string; parsed: ParsedBlock }[] = (this.blocks = []);
    let j = 0;
    return (i) => {
      if (next[i]) return next[i].parsed;
      const text = blocks[i].text;
      let parsed: ParsedBlock | undefined;
      for (let k = j; k < j + 3 && k < prev.length; k++) {
        if (prev[k].text === text) {
          parsed = prev[k].parsed;
          j = k + 1;
          break;
        }
      }
      // not found: most likely the block at this place was edited (its old parse helps)
      parsed ??= j < prev.length && Math.abs(prev[j].text.length - text.length) < 1000 ? reparseBlock(text, prev[j]) : parseBlock(text);
      next[i] = { text, parsed };
      return parsed;
    };
  }
}

function unitOf(block: Block, parsed: ParsedBlock): SourceUnit {
  return { text: block.text, tree: parsed.tree, root: parsed.root, offset: block.offset, line0: block.line0, isUser: true, lineStarts: parsed.lineStarts };
}
