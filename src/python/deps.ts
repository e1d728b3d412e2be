// Dependencies of one run of a top-level statement or a model analysis: global names read and written, objects published.
import type { ClassObj, ModuleObj, Value } from "./values";

/**
 * One run of a top-level statement or of a model's analysis. Objects a statement publishes (its
 * globals, the modules it builds, ...) are owned by its run; a later run changing one of them
 * taints the owner, whose result then cannot be reused by the next analysis.
 */
export interface Run {
  /** What this run read from the module namespace (undefined: the name was not bound there). */
  readonly reads: Map<string, Value | undefined>;
  /** Global names this run assigned or deleted. */
  readonly written: Set<string>;
  /** Modules top-level code called during this run: the first-call table before, and the call this run recorded. */
  readonly topCalls: TopCallNote[];
  /** A later run changed an object this run published. */
  tainted: boolean;
}

export interface TopCallNote {
  readonly module: ModuleObj;
  readonly before: TopCall | undefined;
  readonly set: TopCall | undefined;
}

/** The first call of a module by top-level code (its arguments are the model's input). */
export interface TopCall {
  readonly args: Value[];
  readonly kwargs: [string, Value][];
}

export function newRun(): Run {
  return { reads: new Map(), written: new Set(), topCalls: [], tainted: false };
}

/** The module namespace: records the names each run reads before writing them, and those it writes. */
export class GlobalVars extends Map<string, Value> {
  run: Run | null = null;

  override get(name: string): Value | undefined {
    const v = super.get(name);
    const r = this.run;
    if (r !== null && !r.written.has(name) && !r.reads.has(name)) r.reads.set(name, v);
    return v;
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  override set(name: string, v: Value): this {
    this.run?.written.add(name);
    return super.set(name, v);
  }

  override delete(name: string): boolean {
    this.run?.written.add(name);
    return super.delete(name);
  }

  /** A read that is no dependency (the analysis's own bookkeeping). */
  peek(name: string): Value | undefined {
    return super.get(name);
  }

  /** A write that is no run's (replaying a reused run's assignments). */
  put(name: string, v: Value | undefined): void {
    if (v === undefined) super.delete(name);
    else super.set(name, v);
  }
}

/** Whether two values read from the namespace are interchangeable: the same object, or equal scalars. */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.k !== b.k) return false;
  switch (a.k) {
    case "int":
    case "float":
    case "bool":
    case "str":
      return a.v === (b as { v: unknown }).v;
    case "none":
    case "ellipsis":
      return true;
    case "ns":
      return a.name === (b as { name: string }).name;
    default:
      return false;
  }
}

const immutableClasses = new WeakMap<ClassObj, boolean>();

/**
 * Whether nothing mutable can be reached from a value: scalars, namespaces, classes and
 * module-level functions whose attributes and defaults are such values. What a function reads
 * from the namespace when called is recorded as a dependency of the run calling it.
 */
export function isImmutable(v: Value | undefined, depth = 0): boolean {
  if (v === undefined) return true;
  if (depth > 50) return false;
  switch (v.k) {
    case "int":
    case "float":
    case "bool":
    case "str":
    case "none":
    case "ellipsis":
    case "range":
    case "ns":
    case "opaque":
    case "unknown":
      return true;
    case "slice":
      return isImmutable(v.start, depth + 1) && isImmutable(v.stop, depth + 1) && isImmutable(v.step, depth + 1);
    case "tuple":
      return v.items.every((x) => isImmutable(x, depth + 1));
    case "tensor":
      return v.param === undefined;
    case "builtin":
      return v.self === undefined || isImmutable(v.self, depth + 1);
    case "func": {
      const f = v.fn;
      if (f.closure.kind !== "module" && f.closure.kind !== "builtins") return false;
      if (v.self !== undefined && !isImmutable(v.self, depth + 1)) return false;
      for (const d of f.defaults.values()) if (!isImmutable(d, depth + 1)) return false;
      return true;
    }
    case "class":
      return isImmutableClass(v.cls, depth);
    default:
      return false;
  }
}

function isImmutableClass(cls: ClassObj, depth: number): boolean {
  if (!cls.isUser) return true;
  const hit = immutableClasses.get(cls);
  if (hit !== undefined) return hit;
  immutableClasses.set(cls, true); // a class reaching itself through its attributes
  let ok = cls.bases.every((b) => isImmutableClass(b, depth + 1));
  if (ok) for (const a of cls.attrs.values()) if (!isImmutable(a, depth + 1)) ok = false;
  immutableClasses.set(cls, ok);
  return ok;
}

/**
 * Mark every mutable object reachable from `roots` that no run owns yet as owned by `run`
 * (objects already owned keep their owner: changing them is seen as changing the older run's).
 */
export function publish(owners: WeakMap<object, Run>, run: Run, roots: Iterable<Value>, modules: Iterable<ModuleObj> = []): void {
  const seen = new Set<object>();
  const stack: (Value | ModuleObj)[] = [...roots, ...modules];
  const own = (o: object): boolean => {
    if (owners.has(o)) return false;
    owners.set(o, run);
    return true;
  };
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (!("k" in x)) {
      // a module: its registered children, attributes and the modules owning its parameters
      if (!own(x)) continue;
      for (const c of x.children.values()) if (c) stack.push(c);
      for (const a of x.attrs.values()) stack.push(a);
      for (const p of x.params.values()) if (p.owner && p.owner !== x) stack.push(p.owner);
      continue;
    }
    switch (x.k) {
      case "list":
      case "set":
      case "iter":
        if (own(x)) for (const i of x.items) stack.push(i);
        break;
      case "dict":
        if (own(x)) {
          for (const k of x.keys) stack.push(k);
          for (const v of x.vals) stack.push(v);
        }
        break;
      case "instance":
        if (own(x)) for (const a of x.attrs.values()) stack.push(a);
        break;
      case "module":
        stack.push(x.m);
        break;
      case "tensor":
        if (x.param?.owner) stack.push(x.param.owner);
        break;
      case "tuple":
        if (!seen.has(x)) {
          seen.add(x);
          for (const i of x.items) stack.push(i);
        }
        break;
      case "func":
        if (!seen.has(x.fn)) {
          seen.add(x.fn);
          for (const d of x.fn.defaults.values()) stack.push(d);
          // a closure made by a call (a nested def) holds that call's locals
          for (let s: typeof x.fn.closure | null = x.fn.closure; s && s.kind === "function"; s = s.parent) {
            for (const v of s.vars.values()) stack.push(v);
          }
        }
        if (x.self) stack.push(x.self);
        break;
      case "builtin":
      case "super":
        if (x.self) stack.push(x.self);
        break;
      case "class":
        if (x.cls.isUser && !seen.has(x.cls)) {
          seen.add(x.cls);
          for (const a of x.cls.attrs.values()) stack.push(a);
        }
        break;
      default:
        break;
    }
  }
}
