// The abstract interpreter's core: evaluation state, frames, calls of Python functions, attribute and item access.
import type { SyntaxNode } from "./source";
import type { Problem } from "../core/types";
import { missingArguments, tooManyPositional } from "../core/signature";
import { Budget, BudgetError, PyError, type BudgetLimits, type Where } from "./errors";
import { callPos, UnitPosition, type SourceUnit } from "./source";
import {
  NONE,
  Scope,
  type CallSite,
  type ClassObj,
  type FuncDef,
  type ModuleObj,
  type Value,
} from "./values";
import type { Trace } from "./trace";
import { GlobalVars, type Run, type TopCall } from "./deps";
import { memoTouched } from "./drivermemo";

/** One active Python call (or the module level), for creation sites and driver detection. */
export interface Frame {
  readonly unit: SourceUnit;
  /** The call expression being evaluated in this frame (the creation site of modules built by it). */
  callNode: SyntaxNode | null;
  /** `self` is an nn.Module: a method of a module (construction and calls from here are not driver code). */
  readonly inModuleMethod: boolean;
  readonly fn?: FuncDef;
  /** The first argument of a method call (for zero-argument super()). */
  readonly self?: Value;
  /** A generator function's call: what its body has yielded so far. */
  readonly yields?: Value[];
}

export type { TopCall };

/** The module namespace of the analysed file, recording what each statement reads and writes (see deps.ts). */
export class ModuleScope extends Scope {
  override readonly vars: GlobalVars = new GlobalVars();
}

export class Interp {
  budget: Budget;
  readonly frames: Frame[] = [];
  /** Module-method frames currently active. */
  moduleMethodDepth = 0;
  /** nn.Module __call__ nesting. */
  moduleCallDepth = 0;
  /** The forward being traced for a report (null while running driver code). */
  trace: Trace | null = null;
  /** First call of each module instance made by top-level code. */
  readonly topCalls = new Map<number, TopCall>();
  /** Modules created by driver code, in creation order. */
  readonly driverInstances: ModuleObj[] = [];
  /** The first driver instance of each class (a model's instance; the list is long in big files). */
  private readonly firstInstances = new Map<ClassObj, ModuleObj>();
  /** Every module created (to find failed ones). */
  readonly problems: { problem: Problem; where: Where }[] = [];
  readonly builtins: Scope;
  readonly globals: ModuleScope;
  /** The owner of each object a top-level statement published (see deps.ts). */
  readonly owners = new WeakMap<object, Run>();
  /** The statement or model analysis running now, when the analysis is incremental. */
  run: Run | null = null;
  /** During this analysis, a run changed an object an earlier run had published. */
  mutatedForeign = false;
  /** A unit for frames of the analysis itself (driver calls made by the analysis). */
  rootUnit: SourceUnit | null = null;
  globalsUnit(): SourceUnit {
    return this.rootUnit as SourceUnit;
  }
  /** Built-in composite modules written in Python (TransformerEncoderLayer, ...). */
  preludeScope: Scope | null = null;

  constructor(limits: BudgetLimits, builtins: Scope) {
    this.budget = new Budget(limits);
    this.builtins = builtins;
    this.globals = new ModuleScope(builtins, "module");
  }

  /** Forget the previous analysis's state (the builtins, the prelude and nn's classes are kept). */
  beginAnalysis(budget: Budget): void {
    this.budget = budget;
    this.frames.length = 0;
    this.moduleMethodDepth = 0;
    this.moduleCallDepth = 0;
    this.trace = null;
    this.topCalls.clear();
    this.driverInstances.length = 0;
    this.firstInstances.clear();
    this.problems.length = 0;
    this.globals.vars.run = null;
    this.globals.vars.clear();
    this.globals.clearGlobals();
    this.run = null;
    this.mutatedForeign = false;
  }

  addDriverInstance(m: ModuleObj): void {
    this.driverInstances.push(m);
    if (!this.firstInstances.has(m.cls)) this.firstInstances.set(m.cls, m);
  }

  /** The first module of a class that top-level code (or the analysis) built. */
  firstInstance(cls: ClassObj | undefined): ModuleObj | undefined {
    return cls ? this.firstInstances.get(cls) : undefined;
  }

  /** Objects changed so far (touch) and driver calls made: speculative branches must leave it alone. */
  mutations = 0;

  /** An object is about to change: if an earlier statement published it, that statement's result is stale. */
  touch(o: object): void {
    this.mutations++;
    memoTouched(o);
    const owner = this.owners.get(o);
    if (owner !== undefined && owner !== this.run) {
      owner.tainted = true;
      this.mutatedForeign = true;
    }
  }

  /** Top-level code calls a module: the first such call gives the model its input. */
  noteTopCall(m: ModuleObj, args: Value[], kwargs: [string, Value][]): void {
    this.mutations++;
    const before = this.topCalls.get(m.id);
    const set = before ? undefined : { args, kwargs };
    if (set) this.topCalls.set(m.id, set);
    const run = this.run;
    if (run && !run.topCalls.some((c) => c.module === m)) run.topCalls.push({ module: m, before, set });
  }

  get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** The innermost frame running the user's code and its current call node. */
  userSite(): { unit: SourceUnit; node: SyntaxNode } | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.unit.isUser && f.callNode) return { unit: f.unit, node: f.callNode };
    }
    return null;
  }

  /** Line and column of the innermost user call (where an error in built-in code is reported). */
  userWhere(): Where {
    const site = this.userSite();
    if (!site) return { line: null, column: null };
    return new UnitPosition(site.unit, callPos(site.unit, site.node));
  }

  whereOf(site: CallSite): Where {
    // built-in code, or a call the analysis itself makes (no syntax node): the innermost user call
    if (!site.unit.isUser || !site.node) return this.userWhere();
    return new UnitPosition(site.unit, callPos(site.unit, site.node));
  }

  /** Raise a Python error from built-in behaviour. */
  raise(pyType: string, message: string, problem: Problem | null = null, where?: Where): never {
    throw new PyError(pyType, message, problem, where ?? this.userWhere());
  }

  pushFrame(frame: Frame): void {
    if (this.frames.length > this.budget.limits.maxDepth) {
      throw new BudgetError(`recursion deeper than ${this.budget.limits.maxDepth} calls`);
    }
    this.frames.push(frame);
    if (frame.inModuleMethod) this.moduleMethodDepth++;
  }

  popFrame(): void {
    const f = this.frames.pop();
    if (f?.inModuleMethod) this.moduleMethodDepth--;
  }
}

/** Parameters of a `def` or `lambda`, read once from the syntax tree. */
export interface ParamInfo {
  readonly name: string;
  readonly kind: "normal" | "varargs" | "kwonly" | "varkw";
  readonly hasDefault: boolean;
}

const paramCache = new WeakMap<SyntaxNode, ParamInfo[]>();

export function paramsOf(paramList: SyntaxNode | null, text: (n: SyntaxNode) => string): ParamInfo[] {
  if (!paramList) return [];
  const cached = paramCache.get(paramList);
  if (cached) return cached;
  const out: ParamInfo[] = [];
  let mode: "normal" | "kwonly" = "normal";
  let pending: "varargs" | "varkw" | null = null;
  for (let c = paramList.firstChild; c; c = c.nextSibling) {
    if (c.name === "AssignOp" || c.name === "TypeDef") {
      // skip the default value (or annotation) expression: it is not a parameter
      if (c.name === "AssignOp" && c.nextSibling) c = c.nextSibling;
      continue;
    }
    if (c.name === "*" || text(c) === "*") {
      pending = "varargs";
      continue;
    }
    if (c.name === "**" || text(c) === "**") {
      pending = "varkw";
      continue;
    }
    if (c.name === ",") {
      if (pending === "varargs") mode = "kwonly"; // bare `*`
      pending = null;
      continue;
    }
    if (c.name === "VariableName") {
      if (pending === "varargs") {
        out.push({ name: text(c), kind: "varargs", hasDefault: false });
        mode = "kwonly";
        pending = null;
      } else if (pending === "varkw") {
        out.push({ name: text(c), kind: "varkw", hasDefault: false });
        pending = null;
      } else {
        const next = c.nextSibling?.name === "TypeDef" ? c.nextSibling.nextSibling : c.nextSibling;
        out.push({ name: text(c), kind: mode, hasDefault: next?.name === "AssignOp" });
      }
    }
  }
  paramCache.set(paramList, out);
  return out;
}

/** A parameter list split by kind (computed once per list). */
interface ParamLayout {
  readonly normal: readonly ParamInfo[];
  readonly varargs: ParamInfo | undefined;
  readonly varkw: ParamInfo | undefined;
}

const layouts = new WeakMap<readonly ParamInfo[], ParamLayout>();

function layoutOf(params: readonly ParamInfo[]): ParamLayout {
  let l = layouts.get(params);
  if (!l) {
    l = { normal: params.filter((p) => p.kind === "normal"), varargs: params.find((p) => p.kind === "varargs"), varkw: params.find((p) => p.kind === "varkw") };
    layouts.set(params, l);
  }
  return l;
}

/** Bind a Python call's arguments to a user function's parameters (`scope` is the call's new, empty scope). */
export function bindParams(
  ip: Interp,
  fnName: string,
  params: readonly ParamInfo[],
  defaults: ReadonlyMap<string, Value>,
  args: readonly Value[],
  kwargs: readonly (readonly [string, Value])[],
  scope: Scope,
): void {
  const { normal, varargs, varkw } = layoutOf(params);
  // a normal or keyword-only parameter is bound once it is in the scope (varargs/varkw have other names)
  const vars = scope.vars;
  if (args.length > normal.length && !varargs) {
    const required = normal.filter((p) => !p.hasDefault).length;
    const kwOnlyGiven = kwargs.filter(([k]) => params.some((p) => p.kind === "kwonly" && p.name === k)).length;
    ip.raise("TypeError", tooManyPositional(`${fnName}()`, normal.length, required, args.length, kwOnlyGiven));
  }
  const n = Math.min(args.length, normal.length);
  for (let i = 0; i < n; i++) vars.set(normal[i].name, args[i]);
  if (varargs) vars.set(varargs.name, { k: "tuple", items: args.slice(normal.length) });
  let extra: [string, Value][] | null = null;
  for (const [name, v] of kwargs) {
    const p = params.find((q) => q.name === name && (q.kind === "normal" || q.kind === "kwonly"));
    if (!p) {
      if (varkw) {
        (extra ??= []).push([name, v]);
        continue;
      }
      ip.raise("TypeError", `${fnName}() got an unexpected keyword argument '${name}'`);
    }
    if (vars.has(name)) ip.raise("TypeError", `${fnName}() got multiple values for argument '${name}'`);
    vars.set(name, v);
  }
  if (varkw) {
    const e = extra ?? [];
    vars.set(varkw.name, { k: "dict", keys: e.map(([k]) => ({ k: "str", v: k })), vals: e.map(([, v]) => v) });
  }
  let missing: string[] | null = null;
  for (const p of params) {
    if (p.kind !== "normal" && p.kind !== "kwonly") continue;
    if (vars.has(p.name)) continue;
    const d = defaults.get(p.name);
    if (d !== undefined) vars.set(p.name, d);
    else (missing ??= []).push(p.name);
  }
  if (missing) {
    // CPython names the missing positional parameters first, then the keyword-only ones
    const pos = missing.filter((m) => normal.some((p) => p.name === m));
    ip.raise("TypeError", pos.length > 0 ? missingArguments(`${fnName}()`, pos, "positional") : missingArguments(`${fnName}()`, missing, "keyword-only"));
  }
}

/** Method resolution order: depth-first, left to right, each class once (last occurrence kept, as C3 mostly gives). */
export function mroOf(cls: ClassObj): ClassObj[] {
  if (cls.mro) return cls.mro;
  const seq: ClassObj[] = [cls];
  for (const b of cls.bases) seq.push(...mroOf(b));
  const out: ClassObj[] = [];
  for (let i = 0; i < seq.length; i++) {
    if (seq.indexOf(seq[i], i + 1) === -1) out.push(seq[i]);
  }
  cls.mro = out;
  return out;
}

export function lookupClassAttr(cls: ClassObj, name: string, after?: ClassObj): Value | undefined {
  const mro = mroOf(cls);
  let start = 0;
  if (after) start = mro.indexOf(after) + 1;
  for (let i = start; i < mro.length; i++) {
    const v = mro[i].attrs.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function isSubclass(cls: ClassObj, base: ClassObj): boolean {
  return mroOf(cls).includes(base);
}

export function isModuleClass(cls: ClassObj): boolean {
  return mroOf(cls).some((c) => c.kind === "module-base" || c.kind === "layer" || c.kind === "sequential" || c.kind === "modulelist" || c.kind === "moduledict");
}

export { NONE };
