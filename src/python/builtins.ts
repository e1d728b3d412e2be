// Python built-in functions: the builtins scope (len, range, min/max, isinstance, getattr, ...) and the helpers its methods share.
import { isSym } from "../core/dim";
import { bindMethod, callValue, getAttr, iterate, setAttr, toIntValue } from "./calls";
import { dictSet, sameKey } from "./evalCollections";
import { isSubclass, lookupClassAttr, type Interp } from "./interp";
import { binaryOp, compareOp, truthy } from "./pyops";
import { FALSE, NONE, Scope, TRUE, bool, numberOf, repr, strOf, typeName, unknownValue, type BuiltinFn, type ClassObj, type Value } from "./values";
import { isInstance } from "./isInstance";
import { moduleLen } from "./moduleApi";
import { isPartial, stdlibAttr } from "./stdlib";

function fn(name: string, call: BuiltinFn): Value {
  return { k: "builtin", name, call };
}

export function kw(kwargs: [string, Value][], name: string): Value | undefined {
  return kwargs.find(([k]) => k === name)?.[1];
}

export function pyClass(name: string, bases: ClassObj[] = [], extra: Partial<ClassObj> = {}): ClassObj {
  return { name, kind: "object", bases, attrs: new Map(), isUser: false, ...extra };
}

export const OBJECT_CLASS = pyClass("object");
export const EXCEPTION_CLASS = pyClass("Exception", [OBJECT_CLASS]);

function typeBuiltin(_ip: () => Interp, name: string, make: BuiltinFn): Value {
  return { k: "builtin", name: `type:${name}`, call: make, self: undefined };
}

function minMax(ipf: () => Interp, which: "min" | "max"): BuiltinFn {
  return (args, kwargs, site) => {
    const ip = ipf();
    const items = args.length === 1 ? iterate(ip, args[0]) : args;
    if (items.length === 0) {
      const d = kw(kwargs, "default");
      return d ?? ip.raise("ValueError", `${which}() arg is an empty sequence`);
    }
    const key = kw(kwargs, "key");
    let best = items[0];
    let bestKey = key ? callValue(ip, key, [best], [], site) : best;
    for (const it of items.slice(1)) {
      const k = key ? callValue(ip, key, [it], [], site) : it;
      const r = compareOp(ip, which === "max" ? ">" : "<", k, bestKey, site);
      const t = truthy(ip, r);
      if (t === undefined) return unknownValue(`${which}() of symbolic sizes`);
      if (t) {
        best = it;
        bestKey = k;
      }
    }
    return best;
  };
}

/** Positional arguments a built-in function or method needs (the rules read them unchecked). */
const REQUIRED_ARGS: Readonly<Record<string, number>> = {
  range: 1, sum: 1, abs: 1, round: 1, divmod: 2, pow: 2, enumerate: 1, reversed: 1, sorted: 1, any: 1, all: 1, map: 2,
  filter: 2, iter: 1, next: 1, isinstance: 2, issubclass: 2, callable: 1, getattr: 2, hasattr: 2, setattr: 3, type: 1,
  repr: 1, format: 1, min: 1, max: 1,
  // methods of built-in values
  append: 1, extend: 1, insert: 2, remove: 1, index: 1, count: 1, get: 1, setdefault: 1, update: 0, join: 1,
  startswith: 1, endswith: 1, replace: 2,
};

/** A call with too few arguments raises Python's TypeError instead of reaching the rule. */
export function checkedArity(ipf: () => Interp, name: string, call: BuiltinFn): BuiltinFn {
  const need = REQUIRED_ARGS[name] ?? 0;
  if (need === 0) return call;
  return (args, kwargs, site, self) => {
    if (args.length < need) {
      return ipf().raise("TypeError", `${name}() takes at least ${need} argument${need === 1 ? "" : "s"} (${args.length} given)`);
    }
    return call(args, kwargs, site, self);
  };
}

export function makeBuiltins(ipf: () => Interp): Scope {
  const s = new Scope(null, "builtins");
  const set = (name: string, call: BuiltinFn): void => {
    s.vars.set(name, fn(name, checkedArity(ipf, name, call)));
  };
  const ip = ipf;
  set("len", ([v], _kw, site) => {
    if (!v) return ip().raise("TypeError", "len() takes exactly one argument (0 given)");
    if (v.k === "str") return { k: "int", v: v.v.length };
    if (v.k === "dict") return { k: "int", v: v.keys.length };
    if (v.k === "tensor") {
      const shape = v.t.shape;
      if (Array.isArray(shape) && shape.length > 0) {
        const d = shape[0];
        return typeof d === "number" || isSym(d) ? { k: "int", v: d } : unknownValue("the length of a tensor with unknown size");
      }
      return unknownValue("the length of a tensor of unknown shape");
    }
    if (v.k === "unknown") return v;
    if (v.k === "instance") {
      const m = lookupClassAttr(v.cls, "__len__");
      if (m) return callValue(ip(), bindMethod(m, v), [], [], site);
    }
    if (v.k === "module") return moduleLen(ip(), v.m, site);
    return { k: "int", v: iterate(ip(), v).length };
  });
  set("range", (args) => {
    const nums = args.map((a) => numberOf(a));
    if (args.some((a) => a.k === "unknown" || (a.k === "int" && isSym(a.v)))) return unknownValue("a range with a symbolic bound");
    const bad = args.find((a) => a.k !== "int" && a.k !== "bool");
    if (bad?.k === "tensor") return unknownValue("a range over a tensor's value");
    if (bad) return ip().raise("TypeError", `'${typeName(bad)}' object cannot be interpreted as an integer`);
    if (nums.some((n) => n === undefined)) return ip().raise("TypeError", "range() arguments must be integers");
    const [a, b, c] = nums as number[];
    if (args.length === 1) return { k: "range", start: 0, stop: a, step: 1 };
    if (c === 0) return ip().raise("ValueError", "range() arg 3 must not be zero");
    return { k: "range", start: a, stop: b, step: c ?? 1 };
  });
  // slice(stop) / slice(start, stop[, step]): the object `a[start:stop:step]` indexes with
  set("slice", (args) => {
    if (args.length === 0 || args.length > 3) return ip().raise("TypeError", `slice expected at least 1 argument, got ${args.length}`);
    const [a, b, c] = args;
    return args.length === 1 ? { k: "slice", start: NONE, stop: a, step: NONE } : { k: "slice", start: a, stop: b, step: c ?? NONE };
  });
  s.vars.set("int", typeBuiltin(ip, "int", ([v]) => (v ? toIntValue(ip(), v) : { k: "int", v: 0 })));
  s.vars.set(
    "float",
    typeBuiltin(ip, "float", ([v]) => {
      if (!v) return { k: "float", v: 0 };
      if (v.k === "str") return { k: "float", v: v.v.trim() === "inf" ? Infinity : parseFloat(v.v) };
      const n = numberOf(v);
      return n === undefined ? unknownValue("float() of a symbolic value") : { k: "float", v: n };
    }),
  );
  s.vars.set(
    "bool",
    typeBuiltin(ip, "bool", ([v]) => {
      if (!v) return FALSE;
      const t = truthy(ip(), v);
      return t === undefined ? unknownValue("bool() of an undecidable value") : bool(t);
    }),
  );
  s.vars.set("str", typeBuiltin(ip, "str", ([v]) => ({ k: "str", v: v ? strOf(v) : "" })));
  s.vars.set("list", typeBuiltin(ip, "list", ([v]) => ({ k: "list", items: v ? iterate(ip(), v) : [] })));
  s.vars.set("tuple", typeBuiltin(ip, "tuple", ([v]) => ({ k: "tuple", items: v ? iterate(ip(), v) : [] })));
  s.vars.set("set", typeBuiltin(ip, "set", ([v]) => ({ k: "set", items: v ? dedupe(iterate(ip(), v)) : [] })));
  s.vars.set("frozenset", s.vars.get("set")!);
  const makeDict: BuiltinFn = (args, kwargs) => {
    const d: Value = { k: "dict", keys: [], vals: [] };
    if (args[0]) {
      const src = args[0];
      if (src.k === "dict") src.keys.forEach((k, i) => dictSet(d, k, src.vals[i]));
      else for (const pair of iterate(ip(), src)) {
        const kv = iterate(ip(), pair);
        if (kv.length !== 2) ip().raise("ValueError", `dictionary update sequence element has length ${kv.length}; 2 is required`);
        dictSet(d, kv[0], kv[1]);
      }
    }
    for (const [k, v] of kwargs) dictSet(d, { k: "str", v: k }, v);
    return d;
  };
  s.vars.set("dict", typeBuiltin(ip, "dict", makeDict));
  s.vars.set("OrderedDict", { k: "builtin", name: "OrderedDict", call: makeDict });
  set("min", minMax(ip, "min"));
  set("max", minMax(ip, "max"));
  set("sum", (args) => {
    const items = iterate(ip(), args[0]);
    let acc: Value = args[1] ?? { k: "int", v: 0 };
    for (const it of items) acc = binaryOpLazy(ip(), "+", acc, it);
    return acc;
  });
  set("abs", ([v]) => {
    const n = numberOf(v);
    if (n === undefined) return unknownValue("abs() of a symbolic value");
    return v.k === "float" ? { k: "float", v: Math.abs(n) } : { k: "int", v: Math.abs(n) };
  });
  set("round", ([v, nd]) => {
    const n = numberOf(v);
    if (n === undefined) return unknownValue("round() of a symbolic value");
    if (nd && nd.k !== "none") {
      const f = 10 ** (numberOf(nd) ?? 0);
      return { k: "float", v: Math.round(n * f) / f };
    }
    // Python rounds half to even
    const r = Math.round(n);
    const even = Math.abs(n % 1) === 0.5 ? 2 * Math.round(n / 2) : r;
    return { k: "int", v: even };
  });
  set("divmod", ([a, b]) => {
    const x = numberOf(a);
    const y = numberOf(b);
    if (x === undefined || y === undefined || y === 0) return unknownValue("divmod of symbolic values");
    const q = Math.floor(x / y);
    return { k: "tuple", items: [{ k: "int", v: q }, { k: "int", v: x - q * y }] };
  });
  set("pow", ([a, b]) => {
    const x = numberOf(a);
    const y = numberOf(b);
    if (x === undefined || y === undefined) return unknownValue("pow of symbolic values");
    const r = x ** y;
    return a.k === "int" && b.k === "int" && y >= 0 && Number.isSafeInteger(r) ? { k: "int", v: r } : { k: "float", v: r };
  });
  set("zip", (args) => {
    const lists = args.map((a) => iterate(ip(), a));
    const n = lists.length === 0 ? 0 : Math.min(...lists.map((l) => l.length));
    const items: Value[] = [];
    for (let i = 0; i < n; i++) items.push({ k: "tuple", items: lists.map((l) => l[i]) });
    return { k: "list", items };
  });
  set("enumerate", (args, kwargs) => {
    const start = numberOf(args[1] ?? kw(kwargs, "start") ?? { k: "int", v: 0 }) ?? 0;
    return { k: "list", items: iterate(ip(), args[0]).map((v, i) => ({ k: "tuple", items: [{ k: "int", v: start + i }, v] }) as Value) };
  });
  set("reversed", ([v]) => ({ k: "list", items: iterate(ip(), v).reverse() }));
  set("sorted", ([v], kwargs, site) => {
    const items = iterate(ip(), v);
    const key = kw(kwargs, "key");
    const keys = items.map((it) => (key ? callValue(ip(), key, [it], [], site) : it));
    const idx = items.map((_, i) => i);
    idx.sort((a, b) => (truthy(ip(), compareOp(ip(), "<", keys[a], keys[b], site)) ? -1 : truthy(ip(), compareOp(ip(), "<", keys[b], keys[a], site)) ? 1 : 0));
    const out = idx.map((i) => items[i]);
    if (kw(kwargs, "reverse")?.k === "bool" && (kw(kwargs, "reverse") as { v: boolean }).v) out.reverse();
    return { k: "list", items: out };
  });
  set("any", ([v]) => anyAll(ip(), v, true));
  set("all", ([v]) => anyAll(ip(), v, false));
  set("map", ([f, ...its], _kw, site) => {
    const lists = its.map((a) => iterate(ip(), a));
    const n = lists.length === 0 ? 0 : Math.min(...lists.map((l) => l.length));
    const items: Value[] = [];
    for (let i = 0; i < n; i++) items.push(callValue(ip(), f, lists.map((l) => l[i]), [], site));
    return { k: "list", items };
  });
  set("filter", ([f, v], _kw, site) => ({
    k: "list",
    items: iterate(ip(), v).filter((it) => truthy(ip(), f.k === "none" ? it : callValue(ip(), f, [it], [], site)) === true),
  }));
  set("iter", ([v]) => ({ k: "iter", items: iterate(ip(), v), pos: 0 }));
  set("next", ([v, d]) => {
    if (v.k === "iter") {
      ip().touch(v);
      if (v.pos < v.items.length) return v.items[v.pos++];
      return d ?? ip().raise("StopIteration", "");
    }
    const items = iterate(ip(), v);
    return items[0] ?? d ?? ip().raise("StopIteration", "");
  });
  set("isinstance", ([v, t]) => {
    const r = isInstance(ip(), v, t);
    return r === undefined ? unknownValue("isinstance of an unknown value") : bool(r);
  });
  set("issubclass", ([a, b]) => bool(a.k === "class" && b.k === "class" && isSubclass(a.cls, b.cls)));
  set("callable", ([v]) => bool(["func", "builtin", "class", "module"].includes(v.k)));
  set("getattr", ([o, n, d], _kw, site) => {
    if (n.k !== "str") return unknownValue("getattr with a computed name");
    try {
      return getAttr(ip(), o, n.v, site);
    } catch (e) {
      if (d && e instanceof Error && (e as { pyType?: string }).pyType === "AttributeError") return d;
      throw e;
    }
  });
  set("hasattr", ([o, n], _kw, site) => {
    if (n.k !== "str") return unknownValue("hasattr with a computed name");
    try {
      getAttr(ip(), o, n.v, site);
      return TRUE;
    } catch (e) {
      if (e instanceof Error && (e as { pyType?: string }).pyType === "AttributeError") return FALSE;
      throw e;
    }
  });
  set("setattr", ([o, n, v], _kw, site) => {
    if (n.k === "str") setAttr({ ip: ip(), unit: site.unit, scope: s }, o, n.v, v);
    return NONE;
  });
  set("type", ([v]) => {
    if (v.k === "module") return { k: "class", cls: v.m.cls };
    if (v.k === "instance") return { k: "class", cls: v.cls };
    if (isPartial(v)) return stdlibAttr(ip(), "functools", "partial")!;
    const b = s.vars.get(typeName(v));
    return b ?? unknownValue("type() of a built-in value");
  });
  set("print", () => NONE);
  set("id", () => unknownValue("object identity"));
  set("hash", () => unknownValue("a hash value"));
  set("repr", ([v]) => ({ k: "str", v: repr(v) }));
  set("format", ([v]) => ({ k: "str", v: strOf(v) }));
  set("super", (args) => {
    const i = ip();
    if (args.length >= 2) {
      const [c, self] = args;
      if (c.k === "class") return { k: "super", cls: c.cls, self };
      return unknownValue("super() of an unknown class");
    }
    for (let f = i.frames.length - 1; f >= 0; f--) {
      const fr = i.frames[f];
      if (fr.fn?.definingClass && fr.self) return { k: "super", cls: fr.fn.definingClass, self: fr.self };
    }
    return i.raise("RuntimeError", "super(): no arguments");
  });
  set("vars", () => unknownValue("vars()"));
  set("locals", () => unknownValue("locals()"));
  set("globals", () => unknownValue("globals()"));
  set("open", () => unknownValue("file contents are not read"));
  set("input", () => unknownValue("user input"));
  set("eval", () => unknownValue("eval() is never run"));
  set("exec", () => unknownValue("exec() is never run"));
  set("__import__", () => unknownValue("dynamic import"));
  s.vars.set("object", { k: "class", cls: OBJECT_CLASS });
  s.vars.set("__name__", { k: "str", v: "__main__" });
  s.vars.set("__file__", { k: "str", v: "model.py" });
  for (const name of [
    "Exception", "ValueError", "TypeError", "RuntimeError", "NotImplementedError", "KeyError", "IndexError",
    "AttributeError", "AssertionError", "StopIteration", "ZeroDivisionError", "ImportError", "ModuleNotFoundError",
    "NameError", "OSError", "ArithmeticError", "LookupError", "UserWarning", "Warning", "DeprecationWarning",
  ]) {
    s.vars.set(name, { k: "class", cls: name === "Exception" ? EXCEPTION_CLASS : pyClass(name, [EXCEPTION_CLASS]) });
  }
  for (const name of ["staticmethod", "classmethod", "property"]) set(name, ([f]) => f ?? NONE);
  return s;
}

export function binaryOpLazy(ip: Interp, op: string, a: Value, b: Value): Value {
  return binaryOp(ip, op, a, b, { unit: ip.frame.unit, node: ip.frame.callNode as never });
}

function dedupe(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const it of items) if (!out.some((o) => sameKey(o, it))) out.push(it);
  return out;
}

function anyAll(ip: Interp, v: Value, isAny: boolean): Value {
  let unknownSeen = false;
  for (const it of iterate(ip, v)) {
    const t = truthy(ip, it);
    if (t === undefined) unknownSeen = true;
    else if (t === isAny) return bool(isAny);
  }
  return unknownSeen ? unknownValue(`${isAny ? "any" : "all"}() of undecidable values`) : bool(!isAny);
}
