// nn.Module semantics: construction, attributes and registration, containers, calls and their trace entries.
import { product } from "../core/dim";
import { layerParamShape, layerRule } from "../core/layers";
import { layerRf, isMissing } from "../core/rf";
import { bindArgs } from "../core/signature";
import { isUnknown, unknown, type ArgValue, type Args, type CostOrUnknown, type Problem } from "../core/types";
import { bindMethod, callValue, iterate, sliceIndices } from "./calls";
import { fromOutput, shapeJson, tensorsIn, toArg, withRf } from "./convert";
import { PyError, type Where } from "./errors";
import { UnitPosition } from "./source";
import { lookupClassAttr, mroOf, type Interp } from "./interp";
import { deepCopy } from "./torch";
import { memoDriverCall } from "./drivermemo";
import type { CallFrame, Entry } from "./trace";
import { addNode, collapseSince, costFields } from "./graph";
import { recordInitOps } from "./initOps";
import {
  FALSE,
  NONE,
  newModule,
  numberOf,
  unknownValue,
  type CallSite,
  type ClassKind,
  type ClassObj,
  type ModuleObj,
  type ParamObj,
  type Value,
} from "./values";
import { formatShape } from "../core/format";
import { NN_NAMES } from "./names";
import { lazyClass } from "./lazy";

function builtinClass(name: string, kind: ClassKind, bases: ClassObj[], attrs: Record<string, Value> = {}): ClassObj {
  return { name, kind, bases, attrs: new Map(Object.entries(attrs)), isUser: false };
}

/** Positional arguments the container methods need (their rules read them unchecked). */
const METHOD_ARGS: Readonly<Record<string, number>> = { "Sequential.append": 1, "ModuleList.append": 1, "ModuleList.extend": 1, "ModuleList.insert": 2, "ModuleDict.update": 1 };

function method(name: string, call: (self: ModuleObj, args: Value[], kwargs: [string, Value][], site: CallSite) => Value, ipRef: { ip: Interp | null }): Value {
  const need = METHOD_ARGS[name] ?? 0;
  return {
    k: "builtin",
    name,
    call: (args, kwargs, site, self) => {
      if (!self || self.k !== "module") return ipRef.ip!.raise("TypeError", `${name}() needs a module`);
      if (args.length < need) return ipRef.ip!.raise("TypeError", `${name}() takes ${need} positional argument${need === 1 ? "" : "s"} (${args.length} given)`);
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
    forward: method("Module.forward", (m) => ip.raise("NotImplementedError", `Module [${m.cls.name}] is missing the required "forward" function`), ref),
  });
  const sequential = builtinClass("Sequential", "sequential", [module], {
    __init__: method("Sequential.__init__", (m, args) => {
      if (args.length === 1 && args[0].k === "dict") {
        args[0].keys.forEach((k, i) => addChild(ip, m, k.k === "str" ? k.v : String(i), args[0].k === "dict" ? args[0].vals[i] : NONE));
      } else args.forEach((a, i) => addChild(ip, m, String(i), a));
      return NONE;
    }, ref),
    forward: method("Sequential.forward", (m, args, _kw, site) => {
      let x = args[0] ?? NONE;
      for (const item of containerItems(m)) x = item.k === "module" ? callModule(ip, item.m, [x], [], site) : unknownValue(`the output of ${item.k === "unknown" ? item.reason : "an unknown module"}`);
      return x;
    }, ref),
    append: method("Sequential.append", (m, [v]) => (addChild(ip, m, String(m.children.size), v), { k: "module", m }), ref),
  });
  const listAppend = method("ModuleList.append", (m, [v]) => (addChild(ip, m, String(m.children.size), v), { k: "module", m }), ref);
  const modulelist = builtinClass("ModuleList", "modulelist", [module], {
    __init__: method("ModuleList.__init__", (m, args) => {
      if (args[0] && args[0].k !== "none") iterate(ip, args[0]).forEach((v, i) => addChild(ip, m, String(i), v));
      return NONE;
    }, ref),
    append: listAppend,
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

function moduleValue(m: ModuleObj | null): Value {
  return m ? { k: "module", m } : NONE;
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
  } else ip.raise("TypeError", `${v.k} is not a Module subclass`);
}

/** Unknown values given to a container (a module from an unknown library), with their place among the children. */
const unknownSlots = new WeakMap<ModuleObj, { readonly at: number; readonly v: Value }[]>();

/** A container's items in order, unknown ones included (running through one makes the result unknown). */
function containerItems(m: ModuleObj): Value[] {
  const slots = unknownSlots.get(m) ?? [];
  const out: Value[] = [];
  let i = 0;
  for (const child of m.children.values()) {
    for (const s of slots) if (s.at === i) out.push(s.v);
    if (child) out.push(moduleValue(child));
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
    c.layers.set(name, cls);
    return cls;
  }
  const composite = ip.preludeScope?.vars.get(name);
  if (composite && composite.k === "class") return composite.cls;
  if (/^[A-Z]/.test(name) && !name.startsWith("Uninitialized") && NN_NAMES.includes(name)) return unmodelledClass(ip, name);
  return undefined;
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

function layerClassOf(m: ModuleObj): ClassObj | undefined {
  return mroOf(m.cls).find((c) => c.kind === "layer");
}

/** Layer families costed by what the module is (isinstance), whatever its forward does (spec §3's layer rules). */
const COSTED_AS_LAYER =
  /^((Lazy)?(Conv|ConvTranspose)[123]d|(Lazy)?Linear|NonDynamicallyQuantizableLinear|Bilinear|(Max|Avg|AdaptiveMax|AdaptiveAvg)Pool[123]d|(Lazy)?BatchNorm[123]d|SyncBatchNorm|LayerNorm|GroupNorm|(Lazy)?InstanceNorm[123]d|Upsample|Upsampling(Nearest|Bilinear)2d|(RNN|LSTM|GRU)(Cell)?)$/;

/**
 * A user subclass of such a layer with its own forward (`class StdConv2d(nn.Conv2d)` standardizing
 * its weight) costs what its layer's rule gives for the call's inputs, not the ops its forward runs.
 */
function subclassRuleCost(m: ModuleObj, inputs: Value[]): CostOrUnknown | null {
  const cls = layerClassOf(m);
  const rule = cls?.rule;
  if (!cls || !rule || !m.args || cls === m.cls || !COSTED_AS_LAYER.test(cls.name)) return null;
  const res = rule.forward(m.args, { inputs: inputs.map(toArg), kwargs: {} });
  return res.problems.some((p) => p.severity === "error") ? null : res.cost;
}

export function containerKind(m: ModuleObj): ClassKind {
  for (const c of mroOf(m.cls)) if (c.kind !== "user" && c.kind !== "object") return c.kind;
  return "module-base";
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
  const inputs = args.map(toArg);
  const kw = Object.fromEntries(kwargs.map(([k, v]) => [k, toArg(v)])) as Record<string, ArgValue>;
  const res = rule.forward(m.args, { inputs, kwargs: kw });
  const err = res.problems.find((p) => p.severity === "error");
  if (err) {
    const where = moduleWhere(m) ?? ip.whereOf(site);
    const e = new PyError("RuntimeError", err.message, err, where);
    e.located = true; // layer rules word their errors with the layer and its input
    throw e;
  }
  let out = fromOutput(res.output);
  const trace = ip.trace;
  if (trace) {
    const top = trace.stack[trace.stack.length - 1];
    if (top && top.module === m) top.ruleCost = res.cost;
    const st = layerRf(cls!.name, m.args, inputs, kw, res.output);
    out = withRf(out, isMissing(st) ? null : st);
  }
  return out;
}

/** Where a module was built (its errors are reported there), following later edits; null when not in the user's file. */
export function moduleWhere(m: ModuleObj): Where | null {
  return m.site ? new UnitPosition(m.site.unit, m.site.node.from) : null;
}

/** Build a module: a new object, then `__init__` through the class's MRO. */
export function constructModule(ip: Interp, cls: ClassObj, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const userSite = ip.userSite();
  const m = newModule({ cls, site: userSite, driver: ip.moduleMethodDepth === 0 });
  m.attrs.set("training", FALSE);
  const self: Value = { k: "module", m };
  const init = lookupClassAttr(cls, "__init__");
  try {
    if (init) callValue(ip, bindMethod(init, self), args, kwargs, site);
  } catch (e) {
    m.failed = true;
    throw e;
  }
  if (m.driver) ip.addDriverInstance(m);
  return self;
}

export function paramValue(p: ParamObj): Value {
  return { k: "tensor", t: p.tensor ?? { kind: "tensor", shape: { kind: "unknown", reason: "the parameter's shape is not tracked" }, dtype: "float" }, param: p };
}

export function setModuleAttr(ip: Interp, m: ModuleObj, name: string, value: Value, asChild = false): void {
  ip.touch(m);
  if (value.k === "module") {
    m.attrs.delete(name);
    m.params.delete(name);
    m.children.set(name, value.m);
    return;
  }
  if (value.k === "tensor" && value.param) {
    const p = value.param.owner ? value.param : { ...value.param, name, owner: m, tensor: value.t, numel: numelOf(value) };
    m.params.set(name, p);
    m.attrs.delete(name);
    return;
  }
  if (value.k === "none" && (m.children.has(name) || asChild)) {
    m.children.set(name, null);
    return;
  }
  if (m.children.has(name) && value.k !== "unknown") m.children.delete(name);
  m.attrs.set(name, value);
  void ip;
}

function numelOf(v: Extract<Value, { k: "tensor" }>): number | null {
  const s = v.t.shape;
  if (!Array.isArray(s)) return null;
  const p = product(s);
  return typeof p === "number" ? p : null;
}

/** named_modules(): every module once, with its first dotted path (the root is ""). */
export function namedModules(root: ModuleObj): [string, ModuleObj][] {
  const out: [string, ModuleObj][] = [];
  const seen = new Set<ModuleObj>();
  const walk = (m: ModuleObj, prefix: string): void => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push([prefix, m]);
    for (const [name, child] of m.children) if (child) walk(child, prefix ? `${prefix}.${name}` : name);
  };
  walk(root, "");
  return out;
}

/** parameters(): each parameter once. */
export function parametersOf(root: ModuleObj): ParamObj[] {
  const seen = new Set<ParamObj>();
  const out: ParamObj[] = [];
  for (const [, m] of namedModules(root)) {
    for (const p of m.params.values()) {
      if (!seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
    }
  }
  return out;
}

function layerArgAttr(m: ModuleObj, name: string): Value | undefined {
  if (!m.args || !(name in m.args)) return undefined;
  const v = m.args[name];
  const tupled = ["kernel_size", "stride", "padding", "dilation", "output_padding"];
  const type = layerClassOf(m)?.name ?? "";
  if (/^Conv/.test(type) && tupled.includes(name) && typeof v === "number") {
    const nd = Number(/(\d)d$/.exec(type)?.[1] ?? 2);
    return fromOutput(Array.from({ length: nd }, () => v));
  }
  return fromOutput(v);
}

export function moduleAttr(ip: Interp, m: ModuleObj, name: string, site: CallSite): Value {
  const own = m.attrs.get(name);
  if (own !== undefined) return own;
  const cls = lookupClassAttr(m.cls, name);
  if (cls !== undefined) {
    if (cls.k === "builtin" && cls.name === "property" && cls.self) return callValue(ip, bindMethod(cls.self, { k: "module", m }), [], [], site);
    return bindMethod(cls, { k: "module", m });
  }
  const p = m.params.get(name);
  if (p) return paramValue(p);
  if (m.children.has(name)) return moduleValue(m.children.get(name)!);
  const arg = layerArgAttr(m, name);
  if (arg !== undefined) return arg;
  const api = moduleApi(ip, m, name);
  if (api) return api;
  if (name === "__class__") return { k: "class", cls: m.cls };
  if (name === "_modules") {
    return { k: "dict", keys: [...m.children.keys()].map((k) => ({ k: "str", v: k }) as Value), vals: [...m.children.values()].map(moduleValue) };
  }
  if (m.failed) return unknownValue(`${m.cls.name} failed to build`);
  return ip.raise("AttributeError", `'${m.cls.name}' object has no attribute '${name}'`, null, ip.whereOf(site));
}

function moduleApi(ip: Interp, m: ModuleObj, name: string): Value | undefined {
  const self: Value = { k: "module", m };
  const fn = (call: (args: Value[], kwargs: [string, Value][], site: CallSite) => Value): Value => ({ k: "builtin", name: `Module.${name}`, call });
  switch (name) {
    case "parameters":
      return fn(() => ({ k: "list", items: parametersOf(m).map(paramValue) }));
    case "named_parameters":
      return fn(() => ({
        k: "list",
        items: namedModules(m).flatMap(([path, mod]) =>
          [...mod.params.entries()].map(([n, p]) => ({ k: "tuple", items: [{ k: "str", v: path ? `${path}.${n}` : n }, paramValue(p)] }) as Value),
        ),
      }));
    case "children":
      return fn(() => ({ k: "list", items: [...new Set([...m.children.values()].filter((c): c is ModuleObj => c !== null))].map(moduleValue) }));
    case "named_children":
      return fn(() => ({
        k: "list",
        items: [...m.children.entries()].filter(([, c]) => c).map(([n, c]) => ({ k: "tuple", items: [{ k: "str", v: n }, moduleValue(c)] }) as Value),
      }));
    case "modules":
      return fn(() => ({ k: "list", items: namedModules(m).map(([, x]) => moduleValue(x)) }));
    case "named_modules":
      return fn(() => ({ k: "list", items: namedModules(m).map(([p, x]) => ({ k: "tuple", items: [{ k: "str", v: p }, moduleValue(x)] }) as Value) }));
    case "add_module":
    case "register_module":
    case "register_buffer":
    case "register_parameter":
      return fn((args) => {
        const [n, v] = args;
        if (!n || !v) return ip.raise("TypeError", `${name}() missing ${2 - args.length} required positional argument${args.length === 1 ? "" : "s"}`);
        if (n.k !== "str") return NONE;
        if (name === "register_buffer") {
          ip.touch(m);
          m.attrs.set(n.v, v);
        } else setModuleAttr(ip, m, n.v, v, name !== "register_parameter");
        return NONE;
      });
    case "requires_grad_":
      return fn(([flag]) => {
        const on = !flag || flag.k !== "bool" || flag.v;
        for (const p of parametersOf(m)) {
          ip.touch(p.owner);
          p.requiresGrad = on;
        }
        return self;
      });
    case "eval":
    case "train":
    case "to":
    case "cuda":
    case "cpu":
    case "float":
    case "double":
    case "half":
    case "share_memory":
    case "type":
      return fn(() => self);
    case "apply":
      return fn(([f], _kw, site) => {
        for (const [, x] of namedModules(m).reverse()) callValue(ip, f, [moduleValue(x)], [], site);
        return self;
      });
    case "zero_grad":
      return fn(() => NONE);
    case "state_dict":
    case "load_state_dict":
      return fn(() => unknownValue("state dicts are not modelled"));
    case "extra_repr":
      return fn(() => ({ k: "str", v: "" }));
  }
  return undefined;
}

export function moduleItem(ip: Interp, m: ModuleObj, index: Value, site: CallSite): Value {
  const custom = lookupClassAttr(m.cls, "__getitem__");
  if (custom) return callValue(ip, bindMethod(custom, { k: "module", m }), [index], [], site);
  const kind = containerKind(m);
  if (kind === "moduledict") {
    if (index.k !== "str") return ip.raise("KeyError", "ModuleDict keys are strings");
    if (!m.children.has(index.v)) return ip.raise("KeyError", `'${index.v}'`);
    return moduleValue(m.children.get(index.v)!);
  }
  if (kind !== "sequential" && kind !== "modulelist") return ip.raise("TypeError", `'${m.cls.name}' object is not subscriptable`);
  const entries = [...m.children.entries()];
  if (index.k === "slice") {
    const picked = sliceIndices(ip, index, entries.length).map((i) => entries[i]);
    const copy = newModule({ cls: m.cls, site: m.site, driver: false });
    picked.forEach(([k, v], i) => copy.children.set(kind === "sequential" ? k : String(i), v));
    return { k: "module", m: copy };
  }
  const n = numberOf(index);
  if (n === undefined || index.k === "float") return ip.raise("TypeError", "indices must be integers");
  const j = n < 0 ? n + entries.length : n;
  if (j < 0 || j >= entries.length) return ip.raise("IndexError", `index ${n} is out of range`);
  return moduleValue(entries[j][1]);
}

export function moduleIter(ip: Interp, m: ModuleObj): Value[] {
  const custom = lookupClassAttr(m.cls, "__iter__");
  if (custom) return iterate(ip, callValue(ip, bindMethod(custom, { k: "module", m }), [], [], { unit: ip.frame.unit, node: ip.frame.callNode! }));
  const kind = containerKind(m);
  if (kind === "moduledict") return [...m.children.keys()].map((k) => ({ k: "str", v: k }) as Value);
  if (kind === "sequential" || kind === "modulelist") return containerItems(m);
  return ip.raise("TypeError", `'${m.cls.name}' object is not iterable`);
}

function firstTensorShape(args: Value[], kwargs: [string, Value][]): string | undefined {
  const ts = tensorsIn({ k: "tuple", items: [...args, ...kwargs.map(([, v]) => v)] });
  if (ts.length === 0) return undefined;
  const s = ts[0].t.shape;
  return Array.isArray(s) ? formatShape(s) : undefined;
}

/** module(*args): run forward; while tracing, record the call as an entry when it calls no child module. */
export function callModule(ip: Interp, m: ModuleObj, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const driverCall = !ip.trace && ip.moduleCallDepth === 0 && ip.moduleMethodDepth === 0;
  if (driverCall) ip.noteTopCall(m, args, kwargs);
  const forward = lookupClassAttr(m.cls, "forward");
  if (!forward) return ip.raise("NotImplementedError", `Module [${m.cls.name}] is missing the required "forward" function`);
  const trace = ip.trace;
  const frame: CallFrame | null = trace ? { module: m, isRoot: trace.stack.length === 0, childCalls: 0, ops: [], graphStart: trace.graph.nodes.length } : null;
  if (trace && frame) {
    const parent = trace.stack[trace.stack.length - 1];
    if (parent) parent.childCalls++;
    trace.stack.push(frame);
  }
  ip.moduleCallDepth++;
  let out: Value;
  try {
    const run = (): Value => callValue(ip, bindMethod(forward, { k: "module", m }), args, kwargs, site);
    out = driverCall ? memoDriverCall(ip, m, args, kwargs, run) : run();
  } catch (e) {
    // errors of a driver call's forward are reported when the model itself is analysed
    if (driverCall && e instanceof PyError) e.inForward = true;
    if (e instanceof PyError && !e.module) {
      e.module = m;
      e.moduleInput = firstTensorShape(args, kwargs);
      if (trace && frame && !frame.isRoot && frame.childCalls === 0) trace.entries.push(makeEntry(ip, m, null, frame, args, true));
    }
    throw e;
  } finally {
    ip.moduleCallDepth--;
    if (trace) trace.stack.pop();
  }
  if (trace && frame) {
    if (frame.isRoot || frame.childCalls > 0) trace.totalOps.push(...frame.ops);
    else {
      const entry = makeEntry(ip, m, out, frame, args, false);
      trace.entries.push(entry);
      collapseSince(trace, frame.graphStart);
      addNode(
        trace,
        {
          kind: "module",
          label: entry.type,
          path: entry.path,
          // a module built inside forward has no path: the module whose forward called it
          ...(entry.scope !== undefined ? { scope: entry.scope } : {}),
          entry: trace.entries.length - 1,
          output: shapeJson(out),
          ...costFields(entry.cost),
          line: m.line,
          from: m.from,
          to: m.to,
        },
        [...args, ...kwargs.map(([, v]) => v)],
        out,
      );
    }
  }
  return out;
}

/** Dotted path of the innermost running module that the model holds ("" for the model's own forward). */
function callerPath(trace: NonNullable<Interp["trace"]>): string {
  for (let i = trace.stack.length - 1; i >= 0; i--) {
    const p = trace.names.get(trace.stack[i].module.id);
    if (p !== undefined) return p;
  }
  return "";
}

function makeEntry(ip: Interp, m: ModuleObj, out: Value | null, frame: CallFrame, inputs: Value[], failed: boolean): Entry {
  const trace = ip.trace!;
  let cost = frame.ruleCost ?? (failed ? null : subclassRuleCost(m, inputs));
  let unknownOps: string[] | undefined;
  if (!failed && cost === null) {
    const bad = frame.ops.filter((o) => isUnknown(o.cost));
    if (bad.length > 0) {
      unknownOps = [...new Set(bad.map((o) => o.name))].sort();
      cost = { kind: "unknown", reason: `no FLOPs rule for ${unknownOps.join(", ")}` };
    } else {
      let macs = 0;
      let flops = 0;
      for (const o of frame.ops) {
        const c = o.cost as { macs: number; flops: number };
        macs += c.macs;
        flops += c.flops;
      }
      cost = { macs, flops };
    }
  }
  const path = trace.names.get(m.id) ?? null;
  return {
    module: m,
    path,
    // a module built inside forward is not in named_modules(): where it was called from
    ...(path === null ? { scope: callerPath(trace) } : {}),
    type: m.cls.name,
    output: out,
    cost: failed ? null : cost,
    // only a single-tensor output has a receptive field in the report (tuples report null)
    rfState: out && out.k === "tensor" ? out.t.rf ?? null : null,
    error: failed,
    inputs,
    unknownOps,
  };
}

/** copy.deepcopy of a module: fresh objects, same arguments and creation sites. */
export function cloneModule(ip: Interp, m: ModuleObj, memo = new Map<ModuleObj, ModuleObj>()): ModuleObj {
  const hit = memo.get(m);
  if (hit) return hit;
  const c = newModule({ cls: m.cls, args: m.args, site: m.site, driver: false });
  memo.set(m, c);
  for (const [k, v] of m.attrs) c.attrs.set(k, v.k === "module" ? { k: "module", m: cloneModule(ip, v.m, memo) } : deepCopy(ip, v));
  for (const [k, p] of m.params) c.params.set(k, { ...p, owner: c });
  for (const [k, child] of m.children) c.children.set(k, child ? cloneModule(ip, child, memo) : null);
  return c;
}

