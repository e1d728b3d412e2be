// collections.namedtuple and typing.NamedTuple classes: calling one builds a tuple whose items are also read by field name.
import { iterate } from "./calls";
import { bindParams, type Interp, type ParamInfo } from "./interp";
import { textOf, type SourceUnit, type SyntaxNode } from "./source";
import { Scope, unknownValue, type CallSite, type ClassObj, type Value } from "./values";

/** The name of the constructor builtin a named-tuple class keeps as `__new__` (see instantiate in calls.ts). */
export const NAMEDTUPLE_NEW = "namedtuple.__new__";

type TupleValue = Extract<Value, { k: "tuple" }>;

/** `collections.namedtuple(typename, field_names, defaults=...)`: a class whose instances are tuples with field names. */
export function namedtupleFactory(ip: Interp): Value {
  return {
    k: "builtin",
    name: "collections.namedtuple",
    call: (args, kwargs) => {
      const get = (i: number, key: string) => args[i] ?? kwargs.find(([k]) => k === key)?.[1];
      const typename = get(0, "typename");
      const spec = get(1, "field_names");
      if (typename?.k !== "str" || !spec) return unknownValue("a namedtuple with a computed name");
      const fields = spec.k === "str" ? spec.v.replace(/,/g, " ").split(/\s+/).filter(Boolean) : iterate(ip, spec).map((f) => (f.k === "str" ? f.v : ""));
      if (fields.some((f) => !f)) return unknownValue("a namedtuple with computed field names");
      const defaultsV = kwargs.find(([k]) => k === "defaults")?.[1];
      const defaultList = defaultsV && defaultsV.k !== "none" ? iterate(ip, defaultsV) : [];
      const defaults = new Map<string, Value>();
      defaultList.forEach((d, i) => defaults.set(fields[fields.length - defaultList.length + i], d));
      const cls: ClassObj = { name: typename.v, kind: "object", bases: [], attrs: new Map(), isUser: false };
      cls.attrs.set("__new__", constructor(ip, cls, fields, defaults));
      cls.attrs.set("_fields", { k: "tuple", items: fields.map((v) => ({ k: "str", v })) });
      return { k: "class", cls };
    },
  };
}

/** Whether a class statement's base expression value is typing.NamedTuple. */
export function isNamedTupleBase(v: Value): boolean {
  return v.k === "opaque" && v.typeName === "typing.NamedTuple";
}

/** `class P(NamedTuple): a: T; b: T = default` (its body already run): the annotated names are the fields. */
export function makeNamedTupleClass(ip: Interp, unit: SourceUnit, def: SyntaxNode, cls: ClassObj): void {
  const fields: string[] = [];
  const defaults = new Map<string, Value>();
  for (let s = def.getChild("Body")?.firstChild ?? null; s; s = s.nextSibling) {
    const target = s.firstChild;
    if (s.name !== "AssignStatement" || target?.name !== "VariableName" || target.nextSibling?.name !== "TypeDef") continue;
    const name = textOf(unit, target);
    fields.push(name);
    const d = cls.attrs.get(name);
    if (d) defaults.set(name, d);
    cls.attrs.delete(name);
  }
  cls.attrs.set("__new__", constructor(ip, cls, fields, defaults));
  cls.attrs.set("_fields", { k: "tuple", items: fields.map((v) => ({ k: "str", v })) });
}

function constructor(ip: Interp, cls: ClassObj, fields: readonly string[], defaults: ReadonlyMap<string, Value>): Value {
  const params: ParamInfo[] = fields.map((name) => ({ name, kind: "normal", hasDefault: defaults.has(name) }));
  return {
    k: "builtin",
    name: NAMEDTUPLE_NEW,
    call: (args, kwargs) => {
      const scope = new Scope(null, "function");
      bindParams(ip, `${cls.name}.__new__`, params, defaults, args, kwargs, scope);
      return { k: "tuple", items: fields.map((f) => scope.vars.get(f) ?? unknownValue("a namedtuple field")), fields };
    },
  };
}

/** An attribute of a named tuple: a field, `_fields`, `_asdict()` or `_replace(**changes)`; undefined otherwise. */
export function namedTupleAttr(ip: Interp, t: TupleValue, name: string, _site: CallSite): Value | undefined {
  const fields = t.fields;
  if (!fields) return undefined;
  const i = fields.indexOf(name);
  if (i >= 0) return t.items[i];
  if (name === "_fields") return { k: "tuple", items: fields.map((v) => ({ k: "str", v })) };
  if (name === "_asdict") {
    return { k: "builtin", name: "_asdict", call: () => ({ k: "dict", keys: fields.map((v) => ({ k: "str", v })), vals: [...t.items], ordered: true }) };
  }
  if (name === "_replace") {
    return {
      k: "builtin",
      name: "_replace",
      call: (_a, kwargs) => {
        const items = [...t.items];
        for (const [k, v] of kwargs) {
          const j = fields.indexOf(k);
          if (j < 0) return ip.raise("ValueError", `Got unexpected field names: ['${k}']`);
          items[j] = v;
        }
        return { k: "tuple", items, fields };
      },
    };
  }
  return undefined;
}
