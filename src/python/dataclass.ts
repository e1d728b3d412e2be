// @dataclass: the generated __init__ from a class's annotated fields, and dataclasses.field().
import { callValue } from "./calls";
import { bindParams, lookupClassAttr, mroOf, type Interp, type ParamInfo } from "./interp";
import { textOf, type SourceUnit, type SyntaxNode } from "./source";
import { NONE, Scope, unknownValue, type ClassObj, type Value } from "./values";

/** What `dataclasses.field(...)` returns: its keyword arguments (default, default_factory, init...). */
const FIELD_CLASS: ClassObj = { name: "Field", kind: "object", bases: [], attrs: new Map(), isUser: false };

/** Each dataclass's own fields in definition order, with the class-level value or field() given (inherited ones are the bases' entries). */
const FIELDS = new WeakMap<ClassObj, ReadonlyMap<string, Value | undefined>>();

/** Whether a decorator's text is `dataclass`, `dataclass(...)` or `dataclasses.dataclass[(...)]`. */
export function isDataclassDecorator(text: string): boolean {
  return /^(dataclasses\.)?dataclass\b/.test(text);
}

/** `dataclasses.<name>`, or undefined when it is not modelled. */
export function dataclassesAttr(ip: Interp, name: string): Value | undefined {
  if (name === "dataclass") return { k: "builtin", name: "dataclasses.dataclass", call: (a) => a[0] ?? NONE };
  if (name === "field") {
    return { k: "builtin", name: "dataclasses.field", call: (args, kwargs) => {
      if (args.length > 0) return ip.raise("TypeError", `field() takes 0 positional arguments but ${args.length} were given`);
      return { k: "instance", cls: FIELD_CLASS, attrs: new Map(kwargs) };
    } };
  }
  return undefined;
}

/**
 * Make `cls` (its body already run) a dataclass: the annotated names of its body are its fields,
 * after the fields of dataclass bases; a class-level value is the default, a field() gives
 * default or default_factory. An __init__ of the class's own is kept, as @dataclass does.
 */
export function makeDataclass(ip: Interp, unit: SourceUnit, def: SyntaxNode, cls: ClassObj): void {
  const own = new Map<string, Value | undefined>();
  const body = def.getChild("Body");
  for (let s = body?.firstChild ?? null; s; s = s.nextSibling) {
    const target = s.firstChild;
    const typeDef = target?.nextSibling;
    if (s.name !== "AssignStatement" || target?.name !== "VariableName" || typeDef?.name !== "TypeDef") continue;
    if (/\bClassVar\b/.test(textOf(unit, typeDef))) continue;
    const name = textOf(unit, target);
    const v = cls.attrs.get(name);
    own.set(name, v);
    // a field() leaves its default (if any) as the class attribute
    if (isField(v)) {
      const d = v.attrs.get("default");
      if (d) cls.attrs.set(name, d);
      else cls.attrs.delete(name);
    }
  }
  FIELDS.set(cls, own);
  if (cls.attrs.has("__init__")) return;
  cls.attrs.set("__init__", {
    k: "builtin",
    name: "dataclass.__init__",
    call: (args, kwargs, site, self) => {
      // base fields first, a redefinition keeps the base's place and takes the new default
      const declared = new Map<string, Value | undefined>();
      for (const c of [...mroOf(cls)].reverse()) for (const [f, d] of FIELDS.get(c) ?? []) declared.set(f, d);
      const params: ParamInfo[] = [];
      const defaults = new Map<string, Value>();
      for (const [f, d] of declared) {
        const init = isField(d) ? d.attrs.get("init") : undefined;
        if (init?.k === "bool" && !init.v) continue;
        const factory = isField(d) ? d.attrs.get("default_factory") : undefined;
        const value = factory ? callValue(ip, factory, [], [], site) : isField(d) ? d.attrs.get("default") : d;
        if (value) defaults.set(f, value);
        params.push({ name: f, kind: "normal", hasDefault: value !== undefined });
      }
      const scope = new Scope(null, "function");
      bindParams(ip, `${cls.name}.__init__`, params, defaults, args, kwargs, scope);
      if (self?.k === "instance") for (const p of params) self.attrs.set(p.name, scope.vars.get(p.name) ?? unknownValue("a dataclass field"));
      const post = lookupClassAttr(cls, "__post_init__");
      if (post?.k === "func" && self) callValue(ip, { k: "func", fn: post.fn, self }, [], [], site);
      return NONE;
    },
  });
}

function isField(v: Value | undefined): v is Extract<Value, { k: "instance" }> {
  return v?.k === "instance" && v.cls === FIELD_CLASS;
}
