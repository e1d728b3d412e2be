// Python values as the static evaluator sees them: scalars, containers, functions, classes, modules, tensors, unknowns.
import type { SyntaxNode } from "./source";
import { format as formatDim, isSym, type SymDim } from "../core/dim";
import type { LayerRule } from "../core/layers/rule";
import type { Args, TensorMeta } from "../core/types";
import { callPos, positionOf, type SourceUnit } from "./source";
import { BudgetError } from "./errors";

export type Value =
  | { readonly k: "int"; readonly v: number | SymDim }
  | { readonly k: "float"; readonly v: number }
  | { readonly k: "bool"; readonly v: boolean }
  | { readonly k: "str"; readonly v: string }
  | { readonly k: "none" }
  | { readonly k: "ellipsis" }
  | {
      readonly k: "tuple";
      readonly items: Value[];
      readonly isSize?: boolean;
      /** a named tuple's field names */
      readonly fields?: readonly string[];
      /** the type a built-in named tuple prints as: "torch.return_types.max" */
      readonly pyType?: string;
    }
  | { readonly k: "list"; items: Value[] }
  | { readonly k: "dict"; keys: Value[]; vals: Value[]; readonly ordered?: boolean }
  | { readonly k: "set"; items: Value[] }
  | { readonly k: "range"; readonly start: number; readonly stop: number; readonly step: number }
  | { readonly k: "slice"; readonly start: Value; readonly stop: Value; readonly step: Value }
  | { readonly k: "func"; readonly fn: FuncDef; readonly self?: Value }
  | { readonly k: "builtin"; readonly name: string; readonly call: BuiltinFn; readonly self?: Value }
  | { readonly k: "class"; readonly cls: ClassObj }
  | { readonly k: "instance"; readonly cls: ClassObj; readonly attrs: Map<string, Value> }
  | { readonly k: "module"; readonly m: ModuleObj }
  | { k: "tensor"; t: TensorMeta; param?: ParamObj; /** the dataflow-graph node that produced it */ src?: number }
  | { readonly k: "ns"; readonly name: string }
  | { readonly k: "super"; readonly cls: ClassObj; readonly self: Value }
  | { readonly k: "iter"; readonly items: Value[]; pos: number }
  | { readonly k: "opaque"; readonly typeName: string; readonly v?: string }
  | { readonly k: "unknown"; readonly reason: string; /** the result of calling something not understood: it may be a module with parameters */ readonly called?: true };

export interface CallSite {
  readonly unit: SourceUnit;
  readonly node: SyntaxNode;
}

export type BuiltinFn = (args: Value[], kwargs: [string, Value][], site: CallSite, self?: Value) => Value;

export interface FuncDef {
  readonly name: string;
  readonly node: SyntaxNode; // FunctionDefinition or LambdaExpression
  readonly unit: SourceUnit;
  readonly closure: Scope;
  readonly defaults: Map<string, Value>;
  /** The class whose body defined this function (for super()). */
  readonly definingClass?: ClassObj;
}

export type ClassKind = "user" | "module-base" | "layer" | "sequential" | "modulelist" | "moduledict" | "object";

export interface ClassObj {
  readonly name: string;
  readonly kind: ClassKind;
  readonly bases: ClassObj[];
  readonly attrs: Map<string, Value>;
  readonly rule?: LayerRule;
  /** Defined in the user's file (not the prelude). */
  readonly isUser: boolean;
  readonly line?: number;
  mro?: ClassObj[];
}

export interface ParamObj {
  readonly name: string;
  readonly numel: number | null;
  requiresGrad: boolean;
  readonly owner: ModuleObj;
  readonly tensor?: TensorMeta;
}

let nextModuleId = 1;

export interface ModuleObj {
  readonly id: number;
  readonly cls: ClassObj;
  /** For leaf layers: the bound constructor arguments. */
  readonly args?: Args;
  /** _modules, in registration order (null entries allowed). */
  readonly children: Map<string, ModuleObj | null>;
  /** Instance __dict__ (non-module attributes). */
  readonly attrs: Map<string, Value>;
  readonly params: Map<string, ParamObj>;
  /** The constructor call in the user's file (innermost user frame), or null. */
  readonly site: CallSite | null;
  /** Creation site in the user's file, 1-based (computed from `site`, so it follows edits above it). */
  readonly line: number | null;
  readonly column: number | null;
  /** Offsets of the constructor call in the document (for editor positions). */
  readonly from: number | null;
  readonly to: number | null;
  /** Whether the instance was created by top-level driver code. */
  readonly driver: boolean;
  /** __init__ raised: the module is incomplete. */
  failed: boolean;
  /** A user __init__ is running and has not yet reached nn.Module.__init__ (no submodule or parameter may be set). */
  preInit?: boolean;
}

/** A module instance; positions are read from its creation site's unit when asked for. */
class ModuleInstance implements ModuleObj {
  readonly id = nextModuleId++;
  readonly children = new Map<string, ModuleObj | null>();
  readonly attrs = new Map<string, Value>();
  readonly params = new Map<string, ParamObj>();
  failed = false;
  constructor(
    readonly cls: ClassObj,
    readonly site: CallSite | null,
    readonly driver: boolean,
    readonly args?: Args,
  ) {}
  get line(): number | null {
    return this.site ? positionOf(this.site.unit, callPos(this.site.unit, this.site.node)).line : null;
  }
  get column(): number | null {
    return this.site ? positionOf(this.site.unit, callPos(this.site.unit, this.site.node)).column : null;
  }
  get from(): number | null {
    return this.site ? this.site.unit.offset + this.site.node.from : null;
  }
  get to(): number | null {
    return this.site ? this.site.unit.offset + this.site.node.to : null;
  }
}

export function newModule(init: { readonly cls: ClassObj; readonly site: CallSite | null; readonly driver: boolean; readonly args?: Args }): ModuleObj {
  return new ModuleInstance(init.cls, init.site, init.driver, init.args);
}

export class Scope {
  readonly vars = new Map<string, Value>();
  /** Names a `global` statement declared in this scope (none in almost every scope: made on first use). */
  private globals: Set<string> | null = null;
  constructor(
    readonly parent: Scope | null,
    readonly kind: "module" | "function" | "class" | "builtins",
  ) {}

  lookup(name: string): Value | undefined {
    const v = this.vars.get(name);
    if (v !== undefined) return v;
    return this.parent?.lookup(name);
  }

  /** Where an assignment to `name` goes (honouring `global`). */
  target(name: string): Scope {
    return this.globals !== null && this.globals.has(name) ? this.moduleScope() : this;
  }

  declareGlobal(name: string): void {
    (this.globals ??= new Set()).add(name);
  }

  clearGlobals(): void {
    this.globals = null;
  }

  moduleScope(): Scope {
    return this.kind === "module" || !this.parent ? this : this.parent.moduleScope();
  }
}

export const NONE: Value = { k: "none" };
export const TRUE: Value = { k: "bool", v: true };
export const FALSE: Value = { k: "bool", v: false };

export function int(v: number | SymDim): Value {
  return { k: "int", v };
}

export function str(v: string): Value {
  return { k: "str", v };
}

export function bool(v: boolean): Value {
  return v ? TRUE : FALSE;
}

export function unknownValue(reason: string): Value {
  return { k: "unknown", reason };
}

/** What a call to something not understood gives (an unknown import's function or class, torch.load): it may be a module. */
export function calledUnknown(reason: string): Value {
  return { k: "unknown", reason, called: true };
}

export function tuple(items: Value[]): Value {
  return { k: "tuple", items };
}

export function list(items: Value[]): Value {
  return { k: "list", items };
}

export function isUnknownValue(v: Value): v is { k: "unknown"; reason: string } {
  return v.k === "unknown";
}

/** Python's type name of a value, as `type(x).__name__` would print it. */
export function typeName(v: Value): string {
  switch (v.k) {
    case "int":
      return "int";
    case "float":
      return "float";
    case "bool":
      return "bool";
    case "str":
      return "str";
    case "none":
      return "NoneType";
    case "tuple":
      return v.pyType ?? (v.isSize ? "torch.Size" : "tuple");
    case "module":
      return v.m.cls.name;
    case "instance":
      return v.cls.name;
    case "class":
      return "type";
    case "tensor":
      return v.param ? "Parameter" : "Tensor";
    case "func":
    case "builtin":
      return "function";
    default:
      return v.k;
  }
}

/** Longest repr() built (a list of a million lists of a million items would not fit in memory). */
export const REPR_LIMIT = 1_000_000;

/** repr() for messages and f-strings; a recursive list prints as `[...]`, as in Python. */
export function repr(v: Value): string {
  const parts: string[] = [];
  let size = 0;
  const open = new Set<Value>();
  const put = (s: string): void => {
    size += s.length;
    if (size > REPR_LIMIT) throw new BudgetError("a value too large to print");
    parts.push(s);
  };
  const items = (xs: readonly Value[], before: string, after: string): void => {
    put(before);
    xs.forEach((x, i) => {
      if (i > 0) put(", ");
      walk(x);
    });
    put(after);
  };
  const walk = (x: Value): void => {
    if (x.k === "tuple" || x.k === "list") {
      if (open.has(x)) return put(x.k === "list" ? "[...]" : "(...)");
      open.add(x);
      if (x.k === "list") items(x.items, "[", "]");
      else if (x.isSize) items(x.items, "torch.Size([", "])");
      else items(x.items, "(", x.items.length === 1 ? ",)" : ")");
      open.delete(x);
      return;
    }
    put(scalarRepr(x));
  };
  walk(v);
  return parts.join("");
}

function scalarRepr(v: Value): string {
  switch (v.k) {
    case "int":
      return typeof v.v === "number" ? String(v.v) : formatDim(v.v);
    case "float":
      if (!Number.isFinite(v.v)) return Number.isNaN(v.v) ? "nan" : v.v > 0 ? "inf" : "-inf";
      return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
    case "bool":
      return v.v ? "True" : "False";
    case "str":
      return `'${v.v}'`;
    case "none":
      return "None";
    case "module":
      return `${v.m.cls.name}()`;
    default:
      return `<${typeName(v)}>`;
  }
}

/** target.push(...items) without spreading (a spread of 100k+ items overflows the JS stack). */
export function pushAll(target: Value[], items: readonly Value[]): void {
  for (const it of items) target.push(it);
}

/** str() */
export function strOf(v: Value): string {
  return v.k === "str" ? v.v : repr(v);
}

/** The number inside an int/float/bool value, or undefined. */
export function numberOf(v: Value): number | undefined {
  if (v.k === "int") return typeof v.v === "number" ? v.v : undefined;
  if (v.k === "float") return v.v;
  if (v.k === "bool") return v.v ? 1 : 0;
  return undefined;
}

export function isIntLike(v: Value): boolean {
  return v.k === "int" || v.k === "bool";
}

export function symOf(v: Value): SymDim | undefined {
  return v.k === "int" && isSym(v.v) ? v.v : undefined;
}
