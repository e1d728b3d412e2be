// Calls, attribute and item access, iteration: the dispatch points of the evaluator.
import { add, floorDiv, format as formatDim, isSym, mul, sub } from "../core/dim";
import type { Ctx } from "./eval";
import type { Where } from "./errors";
import { bindParams, isModuleClass, isSubclass, lookupClassAttr, mroOf, paramsOf, type Interp } from "./interp";
import { execBody } from "./statements";
import { textOf } from "./source";
import { constructModule, containerKind, setModuleAttr } from "./modules";
import { moduleAttr, moduleDelItem, moduleItem, moduleIter } from "./moduleApi";
import { callModule } from "./moduleCall";
import { nsAttr } from "./torch";
import { tensorAsIndex, tensorAttr, tensorItem, tensorIter } from "./tensorOps";
import { EXCEPTION_CLASS, OBJECT_CLASS } from "./builtins";
import { builtinMethod } from "./builtinMethods";
import { libFunctionAttr } from "./stdlib";
import { checkAbstract } from "./abcModule";
import { NAMEDTUPLE_NEW, namedTupleAttr } from "./namedtuple";
import { generatorResult, isGeneratorBody } from "./generators";
import { evalExpr } from "./eval";
import { dictSet, namespaceView, sameKey } from "./evalCollections";
import { anyOf } from "./speculate";
import { normIndex, sliceIndices } from "./indices";
import { NONE, Scope, calledUnknown, pushAll, repr, typeName, unknownValue, type CallSite, type ClassObj, type Value } from "./values";

export function callValue(ip: Interp, fn: Value, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  ip.budget.tick();
  switch (fn.k) {
    case "func":
      return callFunction(ip, fn, args, kwargs, site);
    case "builtin":
      return fn.call(args, kwargs, site, fn.self);
    case "class":
      return instantiate(ip, fn.cls, args, kwargs, site);
    case "module":
      return callModule(ip, fn.m, args, kwargs, site);
    case "unknown":
      return fn.called ? fn : calledUnknown(fn.reason);
    case "instance": {
      const call = lookupClassAttr(fn.cls, "__call__");
      if (call) return callValue(ip, bindMethod(call, fn), args, kwargs, site);
      return ip.raise("TypeError", `'${fn.cls.name}' object is not callable`);
    }
    default:
      return ip.raise("TypeError", `'${typeName(fn)}' object is not callable`);
  }
}

function callFunction(ip: Interp, fnv: Extract<Value, { k: "func" }>, args: Value[], kwargs: [string, Value][], _site: CallSite): Value {
  const fn = fnv.fn;
  const scope = new Scope(fn.closure, "function");
  const allArgs = fnv.self ? [fnv.self, ...args] : args;
  const params = paramsOf(fn.node.getChild("ParamList"), (n) => textOf(fn.unit, n));
  bindParams(ip, fn.definingClass ? `${fn.definingClass.name}.${fn.name}` : fn.name, params, fn.defaults, allArgs, kwargs, scope);
  const inModuleMethod = allArgs[0]?.k === "module" && fn.definingClass !== undefined;
  const genBody = fn.node.name === "FunctionDefinition" ? fn.node.getChild("Body") : null;
  const yields = genBody && isGeneratorBody(genBody) ? [] : undefined;
  ip.pushFrame({ unit: fn.unit, callNode: null, inModuleMethod, fn, self: allArgs[0], ...(yields ? { yields } : {}) });
  try {
    const c: Ctx = { ip, unit: fn.unit, scope };
    if (fn.node.name === "LambdaExpression") {
      const body = fn.node.lastChild;
      return body ? evalExpr(c, body) : NONE;
    }
    const body = fn.node.getChild("Body");
    if (!body) return NONE;
    const r = execBody(c, body);
    if (yields) return generatorResult(ip, yields);
    return r.kind === "return" ? r.value : NONE;
  } finally {
    ip.popFrame();
  }
}

export function bindMethod(fn: Value, self: Value): Value {
  if (fn.k === "func") return { k: "func", fn: fn.fn, self };
  if (fn.k === "builtin" && fn.name !== "staticmethod") return { ...fn, self };
  return fn;
}

function instantiate(ip: Interp, cls: ClassObj, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  if (isModuleClass(cls)) return constructModule(ip, cls, args, kwargs, site);
  checkAbstract(ip, cls);
  const builtinCtor = lookupClassAttr(cls, "__new__");
  if (builtinCtor?.k === "builtin" && (cls.kind === "object" || builtinCtor.name === NAMEDTUPLE_NEW)) return builtinCtor.call(args, kwargs, site);
  const inst: Value = { k: "instance", cls, attrs: new Map() };
  // BaseException.__new__ keeps the arguments: str(e) and the raised message read them
  if (isSubclass(cls, EXCEPTION_CLASS)) inst.attrs.set("args", { k: "tuple", items: args });
  const init = lookupClassAttr(cls, "__init__");
  if (init && init.k === "func") callValue(ip, bindMethod(init, inst), args, kwargs, site);
  else if (init?.k === "builtin" && init.name === "dataclass.__init__") init.call(args, kwargs, site, inst);
  return inst;
}

export function getAttr(ip: Interp, obj: Value, name: string, site: CallSite): Value {
  switch (obj.k) {
    case "unknown":
      return obj;
    case "module":
      return moduleAttr(ip, obj.m, name, site);
    case "tensor":
      return tensorAttr(ip, obj, name, site);
    case "ns":
      return nsAttr(ip, obj.name, name, site);
    case "instance": {
      const own = obj.attrs.get(name);
      if (own !== undefined) return own;
      if (name === "__dict__") {
        return namespaceView(obj.attrs, (k, v) => {
          ip.touch(obj);
          obj.attrs.set(k, v);
        });
      }
      const v = lookupClassAttr(obj.cls, name);
      if (v !== undefined) return attrFromClass(ip, v, obj, site);
      if (name === "__class__") return { k: "class", cls: obj.cls };
      return ip.raise("AttributeError", `'${obj.cls.name}' object has no attribute '${name}'`, null, ip.whereOf(site));
    }
    case "class": {
      if (name === "__name__") return { k: "str", v: obj.cls.name };
      if (obj.cls === OBJECT_CLASS && name === "__setattr__") return objectSetattr(ip);
      const v = lookupClassAttr(obj.cls, name);
      if (v !== undefined) return v.k === "builtin" && v.name === "classmethod" ? { ...v, self: obj } : unboundBuiltin(obj.cls, name, v);
      return ip.raise("AttributeError", `type object '${obj.cls.name}' has no attribute '${name}'`, null, ip.whereOf(site));
    }
    case "super": {
      const v = lookupClassAttr(obj.self.k === "module" ? obj.self.m.cls : obj.self.k === "instance" ? obj.self.cls : obj.cls, name, obj.cls);
      if (v !== undefined) return bindMethod(v, obj.self);
      if (name === "__init__") {
        const self = obj.self;
        return { k: "builtin", name: "object.__init__", call: (a) => {
          if (self.k === "instance" && isSubclass(self.cls, EXCEPTION_CLASS)) self.attrs.set("args", { k: "tuple", items: a });
          return NONE;
        } };
      }
      return ip.raise("AttributeError", `'super' object has no attribute '${name}'`, null, ip.whereOf(site));
    }
    default: {
      if (obj.k === "opaque" && obj.typeName === "device" && (name === "type" || name === "index")) {
        return name === "type" ? { k: "str", v: obj.v ?? "cpu" } : NONE;
      }
      // attributes of a modelled library function (itertools.chain.from_iterable, partial.func)
      const fnAttr = libFunctionAttr(ip, obj, name);
      if (fnAttr) return fnAttr;
      const nt = obj.k === "tuple" ? namedTupleAttr(ip, obj, name, site) : undefined;
      if (nt) return nt;
      const m = builtinMethod(ip, obj, name);
      if (m) return m;
      return ip.raise("AttributeError", `'${typeName(obj)}' object has no attribute '${name}'`, null, ip.whereOf(site));
    }
  }
}

/** `object.__setattr__(obj, name, value)`: sets the attribute without nn.Module's registration (a module kept out of the tree). */
function objectSetattr(ip: Interp): Value {
  return { k: "builtin", name: "object.__setattr__", call: ([o, n, v]) => {
    if (!o || !n || !v) return ip.raise("TypeError", "expected 3 arguments");
    if (n.k !== "str") return ip.raise("TypeError", `attribute name must be string, not '${typeName(n)}'`);
    if (o.k === "module" || o.k === "instance") {
      const attrs = o.k === "module" ? o.m.attrs : o.attrs;
      ip.touch(o.k === "module" ? o.m : o);
      attrs.set(n.v, v);
    }
    return NONE;
  } };
}

/** A method of a torch class read from the class (`nn.Module.__init__(self)`, `nn.Sequential.__init__(self, *layers)`): called unbound, its first argument is self. */
function unboundBuiltin(cls: ClassObj, name: string, v: Value): Value {
  if (v.k !== "builtin" || v.self || v.name === "staticmethod" || v.name === "property") return v;
  const owner = mroOf(cls).find((c) => c.attrs.has(name));
  if (!owner || owner.isUser || !isModuleClass(owner)) return v;
  return { k: "builtin", name: v.name, call: (args, kwargs, site) => (args.length ? v.call(args.slice(1), kwargs, site, args[0]) : v.call(args, kwargs, site)) };
}

/** A class attribute read through an instance: methods bind, properties run. */
export function attrFromClass(ip: Interp, v: Value, self: Value, site: CallSite): Value {
  if (v.k === "builtin" && v.name === "property" && v.self) return callValue(ip, bindMethod(v.self, self), [], [], site);
  if (v.k === "func" || (v.k === "builtin" && v.name !== "staticmethod")) return bindMethod(v, self);
  return v;
}

export function setAttr(c: Ctx, obj: Value, name: string, value: Value, where?: Where): void {
  if (obj.k === "module" && obj.m.preInit && (value.k === "module" || (value.k === "tensor" && value.param))) {
    // Module.__setattr__ before Module.__init__ has made _modules / _parameters
    c.ip.raise("AttributeError", `cannot assign ${value.k === "module" ? "module" : "parameters"} before Module.__init__() call`, null, where);
  }
  if (obj.k === "module") setModuleAttr(c.ip, obj.m, name, value);
  else if (obj.k === "instance") {
    c.ip.touch(obj);
    obj.attrs.set(name, value);
  } else if (obj.k === "tensor" && name === "requires_grad" && obj.param) {
    c.ip.touch(obj.param.owner);
    obj.param.requiresGrad = value.k === "bool" ? value.v : true;
  }
  // attributes of other values are not tracked
}

/** `del obj.name`: a module forgets the submodule, parameter or attribute (named_modules() no longer sees it). */
export function delAttr(c: Ctx, obj: Value, name: string): void {
  if (obj.k === "module") {
    const m = obj.m;
    c.ip.touch(m);
    if (!m.children.delete(name) && !m.params.delete(name) && !m.attrs.delete(name)) {
      c.ip.raise("AttributeError", `'${m.cls.name}' object has no attribute '${name}'`);
    }
  } else if (obj.k === "instance") {
    c.ip.touch(obj);
    if (!obj.attrs.delete(name)) c.ip.raise("AttributeError", `'${obj.cls.name}' object has no attribute '${name}'`);
  }
}

/** `del xs[i]` of a list item, a dict key or a module container's entry. */
export function delItem(c: Ctx, obj: Value, index: Value, site: CallSite): void {
  if (obj.k === "list" && index.k === "slice") {
    const drop = new Set(sliceIndices(c.ip, index, obj.items.length));
    c.ip.touch(obj);
    const kept = obj.items.filter((_, i) => !drop.has(i));
    obj.items.length = 0;
    obj.items.push(...kept);
  } else if (obj.k === "list") {
    c.ip.touch(obj);
    obj.items.splice(normIndex(c.ip, index, obj.items.length, "list assignment", c.ip.whereOf(site)), 1);
  } else if (obj.k === "module") moduleDelItem(c.ip, obj.m, index, site);
  else if (obj.k === "dict") {
    c.ip.touch(obj);
    const i = obj.keys.findIndex((k) => sameKey(k, index));
    if (i < 0) c.ip.raise("KeyError", repr(index), null, c.ip.whereOf(site));
    obj.keys.splice(i, 1);
    obj.vals.splice(i, 1);
  }
}

export function getItem(ip: Interp, obj: Value, index: Value, site: CallSite): Value {
  if (obj.k === "unknown") return obj;
  // an index not known statically reads what every item has in common
  if (index.k === "unknown" && obj.k !== "tensor") return obj.k === "list" || obj.k === "tuple" ? anyOf(obj.items, index.reason) : obj.k === "dict" ? anyOf(obj.vals, index.reason) : index;
  if (index.k === "tensor" && (obj.k === "list" || obj.k === "tuple" || obj.k === "str" || obj.k === "range")) return tensorAsIndex(ip, index, ip.whereOf(site));
  switch (obj.k) {
    case "tensor":
      return tensorItem(ip, obj, index, site);
    case "module":
      return moduleItem(ip, obj.m, index, site);
    case "list":
    case "tuple": {
      if (index.k === "slice") {
        const items = sliceIndices(ip, index, obj.items.length).map((i) => obj.items[i]);
        return obj.k === "list" ? { k: "list", items } : { k: "tuple", items, isSize: obj.isSize };
      }
      return obj.items[normIndex(ip, index, obj.items.length, obj.k, ip.whereOf(site))];
    }
    case "str": {
      if (index.k === "slice") return { k: "str", v: sliceIndices(ip, index, obj.v.length).map((i) => obj.v[i]).join("") };
      return { k: "str", v: obj.v[normIndex(ip, index, obj.v.length, "string", ip.whereOf(site))] };
    }
    case "range": {
      const items = rangeItems(ip, obj);
      if (index.k === "slice") return { k: "list", items: sliceIndices(ip, index, items.length).map((i) => items[i]) };
      return items[normIndex(ip, index, items.length, "range", ip.whereOf(site))];
    }
    case "dict": {
      const i = obj.keys.findIndex((k) => sameKey(k, index));
      if (i < 0) return ip.raise("KeyError", repr(index), null, ip.whereOf(site));
      return obj.vals[i];
    }
    case "instance": {
      const m = lookupClassAttr(obj.cls, "__getitem__");
      if (m) return callValue(ip, bindMethod(m, obj), [index], [], site);
      return ip.raise("TypeError", `'${obj.cls.name}' object is not subscriptable`);
    }
    case "class":
      return obj; // typing: List[int]
    case "ns":
      return unknownValue("a subscripted type");
    default:
      return ip.raise("TypeError", `'${typeName(obj)}' object is not subscriptable`);
  }
}

export function setItem(c: Ctx, obj: Value, index: Value, value: Value): void {
  if (obj.k === "list" || obj.k === "dict") c.ip.touch(obj);
  const ip = c.ip;
  if (obj.k === "list") {
    if (index.k === "slice") {
      const idx = sliceIndices(ip, index, obj.items.length);
      const items = iterate(ip, value);
      if (idx.length > 0 && idx.every((v, i) => i === 0 || v === idx[i - 1] + 1)) {
        const rest = obj.items.splice(idx[0]).slice(idx.length); // no spread: `xs[a:b] = big` may hold 100k+ items
        pushAll(obj.items, items);
        pushAll(obj.items, rest);
      }
      return;
    }
    obj.items[normIndex(ip, index, obj.items.length, "list assignment")] = value;
  } else if (obj.k === "dict") dictSet(obj, index, value);
  else if (obj.k === "module" || obj.k === "instance") {
    // a class's own __setitem__ (ParameterList, user containers); else the container's rule
    const custom = lookupClassAttr(obj.k === "module" ? obj.m.cls : obj.cls, "__setitem__");
    if (custom) {
      callValue(ip, bindMethod(custom, obj), [index, value], [], { unit: ip.frame.unit, node: ip.frame.callNode! });
      return;
    }
    if (obj.k !== "module") return;
    const kind = containerKind(obj.m);
    if (kind === "moduledict" && index.k === "str") setModuleAttr(ip, obj.m, index.v, value, true);
    else if ((kind === "modulelist" || kind === "sequential") && index.k !== "slice") {
      // layers[i] = module replaces the child at that place (its name stays)
      const keys = [...obj.m.children.keys()];
      setModuleAttr(ip, obj.m, keys[normIndex(ip, index, keys.length, "container")], value, true);
    }
  }
  // tensor item assignment keeps the tensor's shape
}

export function rangeItems(ip: Interp, r: Extract<Value, { k: "range" }>): Value[] {
  const n = Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  if (n > ip.budget.limits.maxItems) ip.budget.tick(ip.budget.limits.maxSteps);
  ip.budget.tick(n); // one step per item built
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push({ k: "int", v: r.start + i * r.step });
  return out;
}

/** The items `for x in v` visits (materialised; huge ranges exhaust the budget). */
export function iterate(ip: Interp, v: Value): Value[] {
  switch (v.k) {
    case "list":
    case "tuple":
    case "set":
    case "iter":
      ip.budget.tick(v.items.length); // copies cost steps: a loop copying a big list stops within the budget
      return v.k === "iter" ? v.items.slice(v.pos) : v.items.slice();
    case "dict":
      ip.budget.tick(v.keys.length);
      return v.keys.slice();
    case "str":
      ip.budget.tick(v.v.length);
      return [...v.v].map((ch) => ({ k: "str", v: ch }) as Value);
    case "range":
      return rangeItems(ip, v);
    case "module":
      return moduleIter(ip, v.m);
    case "tensor":
      return tensorIter(ip, v);
    case "instance": {
      const m = lookupClassAttr(v.cls, "__iter__");
      if (m) return iterate(ip, callValue(ip, bindMethod(m, v), [], [], { unit: ip.frame.unit, node: ip.frame.callNode! }));
      return ip.raise("TypeError", `'${v.cls.name}' object is not iterable`);
    }
    case "unknown":
      throw ip.raise("UnknownIteration", `cannot iterate over an unknown value (${v.reason})`);
    default:
      return ip.raise("TypeError", `'${typeName(v)}' object is not iterable`);
  }
}

/** int(x) for dims: keeps symbolic ints. */
export function toIntValue(ip: Interp, v: Value): Value {
  if (v.k === "int") return v;
  if (v.k === "bool") return { k: "int", v: v.v ? 1 : 0 };
  if (v.k === "float") return { k: "int", v: Math.trunc(v.v) };
  if (v.k === "str" && /^\s*[-+]?\d+\s*$/.test(v.v)) return { k: "int", v: parseInt(v.v, 10) };
  if (v.k === "unknown") return v;
  if (v.k === "tensor") return v.t.values?.length === 1 && Array.isArray(v.t.shape) && v.t.shape.every((d) => d === 1) ? { k: "int", v: v.t.values[0] } : unknownValue("the value of a tensor");
  return ip.raise("TypeError", `int() argument must be a string or a number, not '${typeName(v)}'`);
}

export const dimOps = { add, sub, mul, floorDiv, isSym, formatDim };
