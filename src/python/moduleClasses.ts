// The torch.nn classes of one analysis: Module and its containers (Sequential, ModuleList, ModuleDict), layer classes built from rules, unmodelled classes.
import { layerParamShape, layerRule } from "../core/layers";
import { layerRf, isMissing } from "../core/rf";
import { bindArgs } from "../core/signature";
import { isUnknown, unknown, type ArgValue, type Args, type Problem } from "../core/types";
import { iterate } from "./calls";
import { fromOutput, toArg, withRf } from "./convert";
import { PyError, type Where } from "./errors";
import type { Interp } from "./interp";
import { recordInitOps } from "./initOps";
import { floatSizeError } from "./floatSizes";
import { nonTensorInputError } from "./layerInputTypes";
import { NONE, numberOf, unknownValue, type CallSite, type ClassKind, type ClassObj, type ModuleObj, type Value } from "./values";
import { NN_NAMES } from "./names";
import { lazyClass } from "./lazy";
import { torchTypename } from "./torchTypename";
import { callModule, knownNumel } from "./moduleCall";
import { firstOutputShape } from "../core/layers/util";
import { forwardLoss, initLoss, isLossClass } from "./lossModules";
import { moduleValue, moduleWhere, layerClassOf, setModuleAttr } from "./modules";
import { moduleAttr, moduleDelItem, moduleItem } from "./moduleApi";
import { fromPretrained } from "./pretrained";

function builtinClass(name: string, kind: ClassKind, bases: ClassObj[], attrs: Record<string, Value> = {}): ClassObj {
  return { name, kind, bases, attrs: new Map(Object.entries(attrs)), isUser: false };
}

/** Positional arguments the container methods need (their rules read them unchecked). */
const METHOD_ARGS: Readonly<Record<string, number>> = { "Sequential.append": 1, "ModuleList.append": 1, "ModuleList.extend": 1, "ModuleList.insert": 2, "ModuleDict.update": 1, "Sequential.extend": 1, "Sequential.insert": 2, "Sequential.pop": 1, "ModuleList.pop": 1, "ModuleDict.pop": 1, "Module.__setattr__": 2, "Module.__getattr__": 1 };

function method(name: string, call: (self: ModuleObj, args: Value[], kwargs: [string, Value][], site: CallSite) => Value, ipRef: { ip: Interp | null }): Value {
  const need = METHOD_ARGS[name] ?? 0;
  return {
    k: "builtin",
    name,
    call: (args, kwargs, site, self) => {
      if (!self || self.k !== "module") return ipRef.ip!.raise("TypeError", `${name}() needs a module`);
      if (args.length < need) return ipRef.ip!.raise("TypeError", `${name}() takes ${need} positional argument${need === 1 ? "" : "s"} (${args.length} given)`);
      if (name.endsWith(".__init__")) self.m.preInit = false; // every torch.nn __init__ runs Module.__init__ first
      return call(self.m, args, kwargs, site);
    },
  };
}

/** The classes of torch.nn for one analysis (their builtin methods need the interpreter). */
export interface NnClasses {
  readonly module: ClassObj;
  readonly sequential: ClassObj;
  readonly modulelist: ClassObj;
  readonly moduledict: ClassObj;
  readonly layers: Map<string, ClassObj>;
}

const classesByInterp = new WeakMap<Interp, NnClasses>();

export function nnClasses(ip: Interp): NnClasses {
  const hit = classesByInterp.get(ip);
  if (hit) return hit;
  const ref = { ip };
  const module = builtinClass("Module", "module-base", [], {
    __init__: method("Module.__init__", () => NONE, ref),
    __getattr__: method("Module.__getattr__", (m, [n], _kw, site) => (n?.k === "str" ? moduleAttr(ip, m, n.v, site, false) : ip.raise("TypeError", "attribute name must be string")), ref),
    __setattr__: method("Module.__setattr__", (m, [n, v]) => (n?.k === "str" && v ? setModuleAttr(ip, m, n.v, v) : undefined, NONE), ref),
    forward: method("Module.forward", (m) => ip.raise("NotImplementedError", `Module [${m.cls.name}] is missing the required "forward" function`), ref),
  });
  // pop(key) of the three containers: v = self[key]; del self[key]; return v
  const containerPop = (name: string): Value => method(name, (m, [i], _kw, site) => {
    const v = moduleItem(ip, m, i, site);
    moduleDelItem(ip, m, i, site);
    return v;
  }, ref);
  const sequential = builtinClass("Sequential", "sequential", [module], {
    __init__: method("Sequential.__init__", (m, args) => {
      if (args.length === 1 && args[0].k === "dict") {
        args[0].keys.forEach((k, i) => addChild(ip, m, k.k === "str" ? k.v : String(i), args[0].k === "dict" ? args[0].vals[i] : NONE));
      } else args.forEach((a, i) => addChild(ip, m, String(i), a));
      return NONE;
    }, ref),
    forward: method("Sequential.forward", (m, args, _kw, site) => {
      let x = args[0] ?? NONE;
      for (const item of containerItems(m)) {
        if (item.k === "none") return ip.raise("TypeError", "'NoneType' object is not callable");
        x = item.k === "module" ? callModule(ip, item.m, [x], [], site) : unknownValue(`the output of ${item.k === "unknown" ? item.reason : "an unknown module"}`);
      }
      return x;
    }, ref),
    append: method("Sequential.append", (m, [v]) => (addChild(ip, m, String(m.children.size), v), { k: "module", m }), ref),
    extend: method("Sequential.extend", (m, [v]) => {
      for (const x of iterate(ip, v)) addChild(ip, m, String(m.children.size), x);
      return { k: "module", m };
    }, ref),
    insert: method("Sequential.insert", (m, [i, v]) => {
      if (v.k !== "module") return ip.raise("AssertionError", "module should be of type: <class 'torch.nn.modules.module.Module'>");
      const n = m.children.size;
      const at = numberOf(i) ?? n;
      if (at < -n || at > n) return ip.raise("IndexError", `Index out of range: ${at}`);
      const items = [...m.children.values()];
      items.splice(at < 0 ? at + n : at, 0, v.m);
      ip.touch(m);
      m.children.clear();
      items.forEach((x, j) => m.children.set(String(j), x));
      return { k: "module", m };
    }, ref),
    pop: containerPop("Sequential.pop"),
  });
  const listAppend = method("ModuleList.append", (m, [v]) => (addChild(ip, m, String(m.children.size), v), { k: "module", m }), ref);
  const modulelist = builtinClass("ModuleList", "modulelist", [module], {
    __init__: method("ModuleList.__init__", (m, args) => {
      if (args[0] && args[0].k !== "none") iterate(ip, args[0]).forEach((v, i) => addChild(ip, m, String(i), v));
      return NONE;
    }, ref),
    append: listAppend,
    pop: containerPop("ModuleList.pop"),
    extend: method("ModuleList.extend", (m, [v]) => {
      for (const x of iterate(ip, v)) addChild(ip, m, String(m.children.size), x);
      return { k: "module", m };
    }, ref),
    insert: method("ModuleList.insert", (m, [i, v]) => {
      const items = [...m.children.values()];
      const n = numberOf(i) ?? items.length;
      items.splice(n < 0 ? items.length + n : n, 0, v.k === "module" ? v.m : null);
      ip.touch(m);
      m.children.clear();
      items.forEach((x, j) => m.children.set(String(j), x));
      return NONE;
    }, ref),
  });
  const moduledict = builtinClass("ModuleDict", "moduledict", [module], {
    __init__: method("ModuleDict.__init__", (m, args) => {
      if (args[0]) updateDict(ip, m, args[0]);
      return NONE;
    }, ref),
    update: method("ModuleDict.update", (m, [v]) => (updateDict(ip, m, v), NONE), ref),
    pop: containerPop("ModuleDict.pop"),
    clear: method("ModuleDict.clear", (m) => (ip.touch(m), m.children.clear(), NONE), ref),
    keys: method("ModuleDict.keys", (m) => ({ k: "list", items: [...m.children.keys()].map((k) => ({ k: "str", v: k }) as Value) }), ref),
    values: method("ModuleDict.values", (m) => ({ k: "list", items: [...m.children.values()].map(moduleValue) }), ref),
    items: method("ModuleDict.items", (m) => ({
      k: "list",
      items: [...m.children.entries()].map(([k, v]) => ({ k: "tuple", items: [{ k: "str", v: k }, moduleValue(v)] }) as Value),
    }), ref),
  });
  const classes: NnClasses = { module, sequential, modulelist, moduledict, layers: new Map() };
  classesByInterp.set(ip, classes);
  return classes;
}

function updateDict(ip: Interp, m: ModuleObj, v: Value): void {
  if (v.k === "dict") v.keys.forEach((k, i) => addChild(ip, m, k.k === "str" ? k.v : String(i), v.vals[i]));
  else for (const pair of iterate(ip, v)) {
    const kv = iterate(ip, pair);
    if (kv.length !== 2) ip.raise("ValueError", `dictionary update sequence element has length ${kv.length}; 2 is required`);
    const [k, x] = kv;
    addChild(ip, m, k.k === "str" ? k.v : String(numberOf(k)), x);
  }
}

function addChild(ip: Interp, m: ModuleObj, name: string, v: Value): void {
  ip.touch(m);
  if (v.k === "module") m.children.set(name, v.m);
  else if (v.k === "none") m.children.set(name, null);
  else if (v.k === "unknown") {
    m.attrs.set(name, v);
    const slots = unknownSlots.get(m) ?? [];
    slots.push({ at: m.children.size, v });
    unknownSlots.set(m, slots);
  } else ip.raise("TypeError", `${torchTypename(v)} is not a Module subclass`);
}

/** Unknown values given to a container (a module from an unknown library), with their place among the children. */
const unknownSlots = new WeakMap<ModuleObj, { readonly at: number; readonly v: Value }[]>();

/** A container's items in order, unknown ones included (running through one makes the result unknown). */
export function containerItems(m: ModuleObj): Value[] {
  const slots = unknownSlots.get(m) ?? [];
  const out: Value[] = [];
  let i = 0;
  for (const child of m.children.values()) {
    for (const s of slots) if (s.at === i) out.push(s.v);
    out.push(moduleValue(child)); // a None entry (ModuleList([None, ...]), HRNet's fuse layers) iterates as None, as _modules.values() does
    i++;
  }
  for (const s of slots) if (s.at >= i) out.push(s.v);
  return out;
}

/** The class behind `nn.<name>`: containers, Module, a layer with a rule, or a built-in composite. */
export function moduleClassFor(ip: Interp, name: string): ClassObj | undefined {
  const c = nnClasses(ip);
  if (name === "Module") return c.module;
  if (name === "Sequential") return c.sequential;
  if (name === "ModuleList") return c.modulelist;
  if (name === "ModuleDict") return c.moduledict;
  const cached = c.layers.get(name);
  if (cached) return cached;
  const lazy = lazyClass(ip, name, c.module);
  if (lazy) {
    c.layers.set(name, lazy);
    return lazy;
  }
  const rule = layerRule(name);
  if (rule) {
    const ref = { ip };
    const cls = builtinClass(name, "layer", [c.module], {
      __init__: method(`${name}.__init__`, (m, args, kwargs, site) => (initLayer(ip, m, name, args, kwargs, site), NONE), ref),
      forward: method(`${name}.forward`, (m, args, kwargs, site) => forwardLayer(ip, m, args, kwargs, site), ref),
    });
    (cls as { rule?: unknown }).rule = rule;
    const pretrained = fromPretrained(ip, cls);
    if (pretrained) cls.attrs.set("from_pretrained", pretrained);
    c.layers.set(name, cls);
    return cls;
  }
  const composite = ip.preludeScope?.vars.get(name);
  if (composite && composite.k === "class") return composite.cls;
  if (isLossClass(name)) return lossClass(ip, name);
  if (/^[A-Z]/.test(name) && !name.startsWith("Uninitialized") && NN_NAMES.includes(name)) return unmodelledClass(ip, name);
  return undefined;
}

/** A loss class (nn.CrossEntropyLoss, ...): forward calls its functional op with the constructor's arguments. */
function lossClass(ip: Interp, name: string): ClassObj {
  const c = nnClasses(ip);
  const ref = { ip };
  const cls = builtinClass(name, "module-base", [c.module], {
    __init__: method(`${name}.__init__`, (m, args, kwargs, site) => (initLoss(ip, m, name, args, kwargs, site), NONE), ref),
    forward: method(`${name}.forward`, (m, args, kwargs, site) => forwardLoss(ip, m, name, args, kwargs, site), ref),
  });
  c.layers.set(name, cls);
  return cls;
}

/** Unmodelled torch.nn classes that hold parameters: their count shows as unknown. */
const UNMODELLED_WITH_PARAMS = /^(Lazy.*|AdaptiveLogSoftmaxWithLoss|RNNBase|RNNCellBase|ParameterList|ParameterDict|DataParallel|Container)$/;

/** A real torch.nn class without a rule (a loss, Fold, LPPool1d, ...): a module whose forward gives unknown. */
function unmodelledClass(ip: Interp, name: string): ClassObj {
  const c = nnClasses(ip);
  const ref = { ip };
  const reason = `nn.${name} has no rule`;
  const cls = builtinClass(name, "module-base", [c.module], {
    __init__: method(`${name}.__init__`, (m) => {
      if (UNMODELLED_WITH_PARAMS.test(name)) m.params.set("weight", { name: "weight", numel: null, requiresGrad: true, owner: m });
      return NONE;
    }, ref),
    forward: method(`${name}.forward`, (m) => {
      const top = ip.trace?.stack[ip.trace.stack.length - 1];
      if (top && top.module === m) top.ruleCost = unknown(reason);
      return unknownValue(reason);
    }, ref),
  });
  c.layers.set(name, cls);
  return cls;
}

/**
 * The `__init__` PyTorch 1.13 runs for a layer class, as its TypeErrors name it, and the positional
 * parameters it binds before the declared ones (`self`; RNNBase also `mode`).
 */
export function initOwner(type: string): readonly [string, number] {
  if (/^MaxPool[123]d$/.test(type)) return ["_MaxPoolNd", 1];
  if (/^Adaptive(Avg|Max)Pool[123]d$/.test(type)) return [`_Adaptive${type.slice(8, 11)}PoolNd`, 1];
  if (/^(Dropout[123]?d?|AlphaDropout|FeatureAlphaDropout)$/.test(type)) return ["_DropoutNd", 1];
  if (/^BatchNorm[123]d$/.test(type)) return ["_BatchNorm", 1];
  if (/^InstanceNorm[123]d$/.test(type)) return ["_InstanceNorm", 1];
  if (/^LPPool[12]d$/.test(type)) return ["_LPPoolNd", 1];
  if (/^Lazy(Batch|Instance)Norm[123]d$/.test(type)) return ["_LazyNormBase", 1];
  if (/^(Sigmoid|Tanh|Softsign|Tanhshrink|LogSigmoid|Softmax2d)$/.test(type)) return ["Module", 1];
  if (/^(RNN|LSTM|GRU)$/.test(type)) return ["RNNBase", 2];
  return [type, 1];
}

function initLayer(ip: Interp, m: ModuleObj, type: string, args: Value[], kwargs: [string, Value][], site: CallSite): void {
  const rule = layerRule(type)!;
  ip.touch(m);
  const [owner, leading] = initOwner(type);
  const bound = bindArgs(`${owner}.__init__()`, rule.signature, args.map(toArg), kwargs.map(([k, v]) => [k, toArg(v)] as const), leading);
  const where = moduleWhere(m) ?? ip.whereOf(site);
  if (!bound.ok) throw new PyError("TypeError", bound.problem.message, bound.problem, where);
  const problems = rule.validate?.(bound.args) ?? [];
  const err = problems.find((p) => p.severity === "error");
  if (err) throw initProblemError(err, where);
  const floatSize = floatSizeError(type, rule.signature, bound.args, args, kwargs, leading);
  if (floatSize) throw new PyError("TypeError", floatSize, null, where);
  (m as { args?: Args }).args = bound.args;
  recordInitOps(ip, type, bound.args);
  setLayerParams(ip, m, type, bound.args, where);
}

/** A rule's __init__ error as the Python exception it is ("IndexError: ..." raises IndexError; unprefixed: ValueError). */
export function initProblemError(err: Problem, where: Where): PyError {
  const m = /^([A-Z]\w*Error): ([\s\S]*)$/.exec(err.message);
  return m ? new PyError(m[1], m[2], { ...err, message: m[2] }, where) : new PyError("ValueError", err.message, err, where);
}

/** The layer's parameter tensors from its rule (a lazy layer's once its first input sized it). */
export function setLayerParams(ip: Interp, m: ModuleObj, type: string, args: Args, where: Where): void {
  const rule = layerRule(type)!;
  const count = rule.params(args);
  type Part = readonly [string, number];
  // a negative size (nn.PReLU(-3)) cannot make a weight: PyTorch raises creating it
  const negative = isUnknown(count.total) ? undefined : (count.parts as readonly Part[]).find(([, n]) => typeof n === "number" && n < 0);
  if (negative) ip.raise("RuntimeError", `Trying to create tensor with negative dimension ${negative[1]}`, null, where);
  if (isUnknown(count.total)) m.params.set("weight", { name: "weight", numel: null, requiresGrad: true, owner: m });
  else {
    for (const [name, n] of count.parts as readonly Part[]) {
      // the tensor's shape where it is known, for forwards that use self.weight themselves
      const shape = layerParamShape(type, args, name, n);
      m.params.set(name, { name, numel: n, requiresGrad: true, owner: m, ...(shape ? { tensor: { kind: "tensor", shape, dtype: "float" } } : {}) });
    }
  }
}

export function forwardLayer(ip: Interp, m: ModuleObj, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const cls = layerClassOf(m);
  const rule = cls?.rule;
  if (!rule || !m.args) return unknownValue(`${m.cls.name} was not constructed`);
  const notTensor = nonTensorInputError(cls!.name, args[0] ?? kwargs.find(([k]) => k === "input")?.[1], m.args);
  if (notTensor) ip.raise(notTensor.pyType, notTensor.message, null, moduleWhere(m) ?? ip.whereOf(site));
  const inputs = args.map(toArg);
  const kw = Object.fromEntries(kwargs.map(([k, v]) => [k, toArg(v)])) as Record<string, ArgValue>;
  const res = rule.forward(m.args, { inputs, kwargs: kw });
  const err = res.problems.find((p) => p.severity === "error");
  if (err) {
    const where = moduleWhere(m) ?? ip.whereOf(site);
    // a wrong call of forward itself (bad keyword, argument count) is Python's TypeError, which the
    // oracle words with the module and its input like any other exception
    const badCall = /^\w+\.forward\(\) /.test(err.message);
    const e = new PyError(badCall ? "TypeError" : "RuntimeError", err.message, err, where);
    e.located = !badCall; // layer rules word their errors with the layer and its input
    throw e;
  }
  let out = fromOutput(res.output);
  const trace = ip.trace;
  if (trace) {
    const top = trace.stack[trace.stack.length - 1];
    if (top && top.module === m) {
      top.ruleCost = res.cost;
      top.ruleOn = knownNumel(firstOutputShape(res.output));
    }
    // `self.fc.forward(x)` bypasses __call__: no entry of its own, its functional op runs in the caller
    else if (top) top.ops.push({ name: cls!.name, cost: res.cost });
    const st = layerRf(cls!.name, m.args, inputs, kw, res.output);
    out = withRf(out, isMissing(st) ? null : st);
  }
  return out;
}
