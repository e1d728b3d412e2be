// The torch API surface: namespaces (torch, nn, F), tensor creation, tensor attributes and methods, ops.
import { isSym, product } from "../core/dim";
import { findOp } from "../core/ops";
import type { OpNamespace, OpRule } from "../core/ops/rule";
import { opRf, isMissing } from "../core/rf";
import { bindArgs } from "../core/signature";
import type { DType, TensorMeta } from "../core/types";
import { isUnknown, unknown } from "../core/types";
import { closeMatch, F_NAMES, NN_NAMES, TORCH_NAMES } from "./names";
import { fromOutput, MAX_RANK, shapeJson, tensorsIn, toArg, withRf } from "./convert";
import { addNode, costFields } from "./graph";
import { positionOf } from "./source";
import { iterate } from "./calls";
import { PyError } from "./errors";
import type { Interp } from "./interp";
import { cloneModule } from "./modules";
import { moduleClassFor } from "./moduleClasses";
import { dataclassesAttr } from "./dataclass";
import { nnUtilsAttr } from "./nnutils";
import { stdlibAttr } from "./stdlib";
import { libAttr } from "./libprelude";
import { torchvisionAttr } from "./torchvision";
import { NONE, FALSE, calledUnknown, numberOf, unknownValue, type CallSite, type Value } from "./values";

const KNOWN_MODULES = new Set([
  "torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.optim", "torch.utils", "torch.utils.data",
  "collections", "collections.abc", "math", "copy", "typing", "functools", "operator", "numpy", "os", "sys", "random", "itertools", "dataclasses",
  "torchvision", "torchvision.transforms", "torch.nn.modules", "__future__", "warnings", "argparse", "time",
]);

export function importModule(name: string): Value {
  if (name === "torch.nn.functional") return { k: "ns", name: "F" };
  if (name === "torch.nn") return { k: "ns", name: "nn" };
  return { k: "ns", name: KNOWN_MODULES.has(name) || name.startsWith("torch") ? name : `?${name}` };
}

const FLOAT_DTYPES = new Set(["float32", "float", "float64", "double", "float16", "half", "bfloat16"]);
const INT_DTYPES = new Set(["int64", "long", "int32", "int", "int16", "int8", "uint8", "short"]);

function dtypeOf(v: Value | undefined, fallback: DType): DType {
  if (!v || v.k !== "opaque" || v.typeName !== "dtype" || !v.v) return fallback;
  if (FLOAT_DTYPES.has(v.v)) return "float";
  if (INT_DTYPES.has(v.v)) return "long";
  if (v.v === "bool") return "bool";
  return fallback;
}

function kw(kwargs: [string, Value][], name: string): Value | undefined {
  return kwargs.find(([k]) => k === name)?.[1];
}

/** Sizes given as `*ints`, a tuple/list, or a torch.Size. */
function sizesOf(_ip: Interp, args: Value[]): Value[] {
  if (args.length === 1 && (args[0].k === "tuple" || args[0].k === "list")) return args[0].items;
  return args;
}

export function makeTensor(ip: Interp, dims: Value[], dtype: DType): Value {
  const shape = dims.map((d) => {
    if (d.k === "int") return d.v;
    if (d.k === "bool") return d.v ? 1 : 0;
    if (d.k === "unknown") return { kind: "unknown", reason: d.reason } as const;
    return ip.raise("TypeError", "tensor sizes must be integers");
  });
  for (const d of shape) if (typeof d === "number" && d < 0) ip.raise("RuntimeError", `Trying to create tensor with negative dimension ${d}`);
  if (shape.length > MAX_RANK) return { k: "tensor", t: { kind: "tensor", shape: unknown(`a tensor of ${shape.length} dimensions (more than ${MAX_RANK})`), dtype } };
  return { k: "tensor", t: { kind: "tensor", shape, dtype } };
}

function dataShape(ip: Interp, v: Value): { dims: Value[]; float: boolean; bool: boolean } {
  if (v.k === "list" || v.k === "tuple") {
    if (v.items.length === 0) return { dims: [{ k: "int", v: 0 }], float: true, bool: false };
    const inner = dataShape(ip, v.items[0]);
    const rest = v.items.slice(1).map((x) => dataShape(ip, x));
    return {
      dims: [{ k: "int", v: v.items.length }, ...inner.dims],
      float: inner.float || rest.some((r) => r.float),
      bool: inner.bool && rest.every((r) => r.bool),
    };
  }
  if (v.k === "tensor") {
    const dims = Array.isArray(v.t.shape) ? (v.t.shape as number[]).map((d) => ({ k: "int", v: d }) as Value) : [];
    return { dims, float: v.t.dtype === "float", bool: v.t.dtype === "bool" };
  }
  return { dims: [], float: v.k === "float", bool: v.k === "bool" };
}

type Maker = (ip: Interp, args: Value[], kwargs: [string, Value][], site: CallSite) => Value;

const CREATORS: Record<string, Maker> = {
  randn: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  zeros: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  ones: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  empty: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  rand: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  full: (ip, a, k) => makeTensor(ip, sizesOf(ip, [kw(k, "size") ?? a[0]]), dtypeOf(kw(k, "dtype"), (kw(k, "fill_value") ?? a[1])?.k === "int" ? "long" : "float")),
  randint: (ip, a, k) => {
    const size = kw(k, "size") ?? a[a.length - 1];
    return makeTensor(ip, sizesOf(ip, [size]), dtypeOf(kw(k, "dtype"), "long"));
  },
  Tensor: (ip, a) => (a.length === 1 && (a[0].k === "list" || a[0].k === "tuple") && !a[0].items.every((x) => x.k === "int") ? fromData(ip, a[0], true) : a.length === 1 && a[0].k === "list" ? fromData(ip, a[0], true) : makeTensor(ip, sizesOf(ip, a), "float")),
  FloatTensor: (ip, a) => (a.length === 1 && a[0].k === "list" ? fromData(ip, a[0], true) : makeTensor(ip, sizesOf(ip, a), "float")),
  LongTensor: (ip, a) => (a.length === 1 && a[0].k === "list" ? fromData(ip, a[0], false) : makeTensor(ip, sizesOf(ip, a), "long")),
  tensor: (ip, a, k) => {
    const { dims, float, bool } = dataShape(ip, a[0] ?? NONE);
    return makeTensor(ip, dims, dtypeOf(kw(k, "dtype"), float ? "float" : bool ? "bool" : "long"));
  },
  as_tensor: (ip, a, k) => CREATORS.tensor(ip, a, k, undefined as unknown as CallSite),
  from_numpy: () => unknownValue("a numpy array's shape"),
  arange: (ip, a, k) => {
    const nums = a.map(numberOf);
    if (nums.some((n) => n === undefined)) return unknownValue("arange with a symbolic bound");
    const [x, y, s] = nums as number[];
    const [start, end, step] = a.length === 1 ? [0, x, 1] : [x, y, s ?? 1];
    const n = Math.max(0, Math.ceil((end - start) / step));
    return makeTensor(ip, [{ k: "int", v: n }], dtypeOf(kw(k, "dtype"), a.some((v) => v.k === "float") ? "float" : "long"));
  },
  linspace: (ip, a, k) => makeTensor(ip, [kw(k, "steps") ?? a[2]], "float"),
  eye: (ip, a) => makeTensor(ip, [a[0], a[1] ?? a[0]], "float"),
};

function fromData(ip: Interp, v: Value, float: boolean): Value {
  const { dims } = dataShape(ip, v);
  return makeTensor(ip, dims, float ? "float" : "long");
}

for (const name of ["zeros_like", "ones_like", "randn_like", "rand_like", "empty_like", "full_like"]) {
  CREATORS[name] = (_ip, a) => (a[0]?.k === "tensor" ? { k: "tensor", t: { kind: "tensor", shape: a[0].t.shape, dtype: a[0].t.dtype } } : unknownValue(`${name} of a non-tensor`));
}

const DTYPE_NAMES = ["float32", "float", "float64", "double", "float16", "half", "bfloat16", "int64", "long", "int32", "int", "int16", "int8", "uint8", "bool", "short"];

/** torch.X, nn.X, F.X and other namespace attributes. */
export function nsAttr(ip: Interp, ns: string, name: string, site: CallSite): Value {
  if (ns === "nn" || ns === "torch.nn.modules") return nnAttr(ip, name, site);
  if (ns === "F") return fnAttr(ip, "F", name, site);
  if (ns === "torch") {
    if (name === "nn") return { k: "ns", name: "nn" };
    if (["optim", "utils", "cuda", "backends", "jit", "onnx", "distributions", "autograd", "fft", "linalg", "hub", "testing"].includes(name)) return { k: "ns", name: `torch.${name}` };
    if (DTYPE_NAMES.includes(name)) return { k: "opaque", typeName: "dtype", v: name };
    if (name === "Size") return { k: "builtin", name: "torch.Size", call: (a) => ({ k: "tuple", items: a[0] ? iterate(ip, a[0]) : [], isSize: true }) };
    if (name === "device") {
      return { k: "builtin", name: "torch.device", call: ([a]) => ({ k: "opaque", typeName: "device", v: a?.k === "str" ? a.v.split(":")[0] : undefined }) };
    }
    // the forward is evaluated as the oracle runs it: on the CPU, with autograd enabled
    if (name === "is_grad_enabled") return { k: "builtin", name, call: () => ({ k: "bool", v: true }) };
    if (name === "no_grad" || name === "enable_grad" || name === "inference_mode") return { k: "builtin", name, call: () => ({ k: "opaque", typeName: "context" }) };
    if (["manual_seed", "set_grad_enabled", "save", "set_printoptions", "set_num_threads"].includes(name)) return { k: "builtin", name, call: () => NONE };
    if (name === "load") return { k: "builtin", name, call: () => calledUnknown("torch.load reads a file") };
    if (name === "Tensor" || name === "FloatTensor" || name === "LongTensor") return { k: "builtin", name: `torch.${name}`, call: (a, k, s) => CREATORS[name](ip, a, k, s) };
    const creator = CREATORS[name];
    if (creator) return { k: "builtin", name: `torch.${name}`, call: (a, k, s) => creator(ip, a, k, s) };
    if (name === "is_tensor") return { k: "builtin", name, call: ([v]) => ({ k: "bool", v: v?.k === "tensor" }) };
    return fnAttr(ip, "torch", name, site);
  }
  if (ns === "torch.nn.utils") {
    const util = nnUtilsAttr(ip, name);
    if (util) return util;
  }
  if (ns === "torch.cuda") {
    if (name === "is_available") return { k: "builtin", name, call: () => FALSE };
    return { k: "builtin", name, call: () => unknownValue("CUDA state") };
  }
  if (ns === "torch.nn.init") return { k: "builtin", name: `nn.init.${name}`, call: (a) => a[0] ?? NONE };
  if (ns === "collections") {
    if (name === "OrderedDict") return ip.builtins.vars.get("OrderedDict")!;
    if (name === "namedtuple") return { k: "builtin", name, call: () => unknownValue("a namedtuple class") };
    if (name === "abc") return { k: "ns", name: "collections.abc" };
  }
  if (ns === "math") return mathAttr(ip, name);
  if (ns === "torch.utils" && name === "data") return { k: "ns", name: "torch.utils.data" };
  if (ns === "torchvision" && name === "transforms") return { k: "ns", name: "torchvision.transforms" };
  const tv = ns.startsWith("torchvision") ? torchvisionAttr(ip, ns, name) : undefined;
  if (tv) return tv;
  const lib = libAttr(ip, ns, name);
  if (lib) return lib;
  const std = stdlibAttr(ip, ns, name);
  if (std) return std;
  if (ns === "copy" && (name === "deepcopy" || name === "copy")) {
    return { k: "builtin", name: `copy.${name}`, call: ([v]) => deepCopy(ip, v, name === "copy") };
  }
  if (ns === "dataclasses") {
    const d = dataclassesAttr(ip, name);
    if (d) return d;
  }
  if (ns === "typing" || ns === "collections.abc") return { k: "opaque", typeName: `typing.${name}` };
  return unknownValue(`${ns.replace(/^\?/, "")}.${name} is not modelled`);
}

function mathAttr(ip: Interp, name: string): Value {
  const unary: Record<string, (x: number) => number> = { sqrt: Math.sqrt, log: Math.log, exp: Math.exp, log2: Math.log2, log10: Math.log10, sin: Math.sin, cos: Math.cos, tanh: Math.tanh };
  if (name === "pi") return { k: "float", v: Math.PI };
  if (name === "e") return { k: "float", v: Math.E };
  if (name === "inf") return { k: "float", v: Infinity };
  if (name === "ceil" || name === "floor") {
    return { k: "builtin", name, call: ([v]) => {
      const n = numberOf(v);
      return n === undefined ? unknownValue(`math.${name} of a symbolic value`) : { k: "int", v: name === "ceil" ? Math.ceil(n) : Math.floor(n) };
    } };
  }
  if (name === "prod") return { k: "builtin", name, call: ([v]) => iterate(ip, v).reduce<Value>((acc, x) => {
    const a = numberOf(acc);
    const b = numberOf(x);
    return a === undefined || b === undefined ? unknownValue("math.prod of symbolic values") : { k: x.k === "float" || acc.k === "float" ? "float" : "int", v: a * b } as Value;
  }, { k: "int", v: 1 }) };
  if (name === "gcd") return { k: "builtin", name, call: ([a, b]) => {
    let x = Math.abs(numberOf(a) ?? NaN);
    let y = Math.abs(numberOf(b) ?? NaN);
    if (Number.isNaN(x) || Number.isNaN(y)) return unknownValue("gcd of symbolic values");
    while (y) [x, y] = [y, x % y];
    return { k: "int", v: x };
  } };
  const f = unary[name];
  if (f) return { k: "builtin", name, call: ([v, base]) => {
    const n = numberOf(v);
    if (n === undefined) return unknownValue(`math.${name} of a symbolic value`);
    if (name !== "log" || base === undefined) return { k: "float", v: f(n) };
    // math.log(x, base) is log(x) / log(base), as CPython computes it
    const b = numberOf(base);
    return b === undefined ? unknownValue("math.log of a symbolic base") : { k: "float", v: Math.log(n) / Math.log(b) };
  } };
  return unknownValue(`math.${name} is not modelled`);
}

function nnAttr(ip: Interp, name: string, site: CallSite): Value {
  if (name === "functional") return { k: "ns", name: "F" };
  if (name === "init") return { k: "ns", name: "torch.nn.init" };
  if (name === "utils" || name === "modules" || name === "parameter") return { k: "ns", name: `torch.nn.${name}` };
  if (name === "Parameter") {
    return { k: "builtin", name: "nn.Parameter", call: (a, k) => {
      const t = a[0] ?? kw(k, "data");
      if (!t || t.k !== "tensor") return unknownValue("a Parameter of an unknown tensor");
      const rg = a[1] ?? kw(k, "requires_grad");
      return { k: "tensor", t: t.t, param: { name: "", numel: null, requiresGrad: rg?.k === "bool" ? rg.v : true, owner: null as never } };
    } };
  }
  const cls = moduleClassFor(ip, name);
  if (cls) return { k: "class", cls };
  const guess = closeMatch(name, NN_NAMES);
  // the message suggests what Python's difflib does (case counts: nn.Relu gets no suggestion); the quick fix also knows case slips
  const fix = guess ?? NN_NAMES.find((n) => n.toLowerCase() === name.toLowerCase());
  const problem = {
    code: "unknown-layer" as const,
    severity: "error" as const,
    message: `nn.${name} is not a known layer${guess ? ` - did you mean ${guess}?` : ""}`,
    ...(fix ? { fix: { arg: "", value: fix } } : {}),
  };
  throw new PyError("AttributeError", `module 'torch.nn' has no attribute '${name}'`, problem, ip.whereOf(site));
}

/** F.name / torch.name: an op rule, or an unknown-name problem with a suggestion. */
function fnAttr(ip: Interp, ns: "F" | "torch", name: string, site: CallSite): Value {
  const rule = findOp(ns, name);
  if (rule) return opBuiltin(ip, rule, `${ns === "F" ? "F" : "torch"}.${name}`);
  const names = ns === "F" ? F_NAMES : TORCH_NAMES;
  if (names.includes(name)) {
    return {
      k: "builtin",
      name,
      call: (args, kwargs) => {
        const reason = `${ns}.${name} has no rule`;
        // a functional op on tensors runs in PyTorch: the model's FLOPs become unknown, as the oracle lists it
        const top = ip.trace?.stack[ip.trace.stack.length - 1];
        if (top && ns === "F" && tensorsIn({ k: "tuple", items: [...args, ...kwargs.map(([, v]) => v)] }).length > 0) top.ops.push({ name, cost: unknown(reason) });
        return unknownValue(reason);
      },
    };
  }
  const guess = closeMatch(name, names);
  // the message names the module as PyTorch does, with torch.nn shortened to nn (the oracle's wording)
  const label = ns === "F" ? "nn.functional" : "torch";
  const problem = {
    code: "unknown-layer" as const,
    severity: "error" as const,
    message: `${label}.${name} is not a known layer${guess ? ` - did you mean ${guess}?` : ""}`,
    ...(guess ? { fix: { arg: "", value: guess } } : {}),
  };
  throw new PyError("AttributeError", `module '${ns === "F" ? "torch.nn.functional" : "torch"}' has no attribute '${name}'`, problem, ip.whereOf(site));
}

function opBuiltin(ip: Interp, rule: OpRule, label: string, self?: Value): Value {
  return { k: "builtin", name: label, self, call: (args, kwargs, site, s) => applyOp(ip, rule, s ? [s, ...args] : args, kwargs, site) };
}

/**
 * The Python function a wrong call reaches, as its TypeError names it: F.max_pool2d & co. are
 * boolean_dispatch wrappers over `_max_pool2d` / `max_pool2d_with_indices`, F.threshold is `_threshold`.
 */
function pyFunctionName(name: string, kwargs: [string, Value][]): string {
  if (/^(adaptive_|fractional_)?max_pool[123]d$/.test(name)) {
    const ri = kwargs.find(([k]) => k === "return_indices")?.[1];
    return ri && ri.k === "bool" && ri.v ? `${name}_with_indices` : `_${name}`;
  }
  return name === "threshold" ? "_threshold" : name;
}

/** Apply a functional/tensor op: bind, compute, record its cost and receptive field. */
export function applyOp(ip: Interp, rule: OpRule, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const bound = bindArgs(`${pyFunctionName(rule.name, kwargs)}()`, rule.signature, args.map(toArg), kwargs.map(([k, v]) => [k, toArg(v)] as const));
  if (!bound.ok) throw new PyError("TypeError", bound.problem.message, bound.problem, ip.whereOf(site));
  const res = rule.apply(bound.args);
  const err = res.problems.find((p) => p.severity === "error");
  if (err) throw new PyError("RuntimeError", err.message, err, ip.whereOf(site));
  let out = fromOutput(res.output);
  const trace = ip.trace;
  if (trace) {
    const top = trace.stack[trace.stack.length - 1];
    if (top) top.ops.push({ name: rule.name, cost: res.cost });
    const outs = tensorsIn(out);
    if (outs.length > 0) {
      const st = opRf(rule.name, bound.args, res.output);
      if (!isMissing(st)) out = withRf(out, st);
      const inputs = [...args, ...kwargs.map(([, v]) => v)];
      const first = tensorsIn({ k: "tuple", items: inputs })[0];
      // the op's own expression (`x + y`, `F.relu(…)`) when it is in the user's file, else the innermost user call
      const user = site.unit.isUser && site.node ? site : ip.userSite();
      const pos = user ? positionOf(user.unit, user.node.from) : null;
      addNode(
        trace,
        {
          kind: "op",
          label: rule.name,
          output: shapeJson(out),
          ...costFields(res.cost),
          line: pos?.line ?? null,
          from: user ? user.unit.offset + user.node.from : null,
          to: user ? user.unit.offset + user.node.to : null,
          shapeChanging: !first || JSON.stringify(shapeJson(first)) !== JSON.stringify(shapeJson(tensorsIn(out)[0])),
          scope: top ? (trace.names.get(top.module.id) ?? "") : "",
        },
        inputs,
        out,
      );
    }
  }
  return out;
}

function methodOp(ip: Interp, t: Value, name: string): Value | undefined {
  const rule = findOp("method" as OpNamespace, name);
  if (!rule) return undefined;
  return opBuiltin(ip, rule, `Tensor.${name}`, t);
}

export function tensorAttr(ip: Interp, t: Extract<Value, { k: "tensor" }>, name: string, site: CallSite): Value {
  const shape = t.t.shape;
  const dims = (): Value[] =>
    Array.isArray(shape) ? shape.map((d) => (typeof d === "number" || isSym(d) ? ({ k: "int", v: d } as Value) : unknownValue((d as { reason: string }).reason))) : [];
  switch (name) {
    case "shape":
      return isUnknown(shape) ? unknownValue(shape.reason) : { k: "tuple", items: dims(), isSize: true };
    case "size":
      return { k: "builtin", name: "Tensor.size", call: (a, k) => {
        if (isUnknown(shape)) return unknownValue(shape.reason);
        const d = a[0] ?? kw(k, "dim");
        if (!d) return { k: "tuple", items: dims(), isSize: true };
        const i = numberOf(d);
        if (i === undefined) return unknownValue("size() of a computed dim");
        if (d.k === "float") return ip.raise("TypeError", "size(): argument 'dim' must be int, not float"); // dims()[0.5] is no size
        const n = shape.length;
        const j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) return ip.raise("IndexError", `Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${i})`);
        return dims()[j];
      } };
    case "dim":
    case "ndimension":
      return { k: "builtin", name: "Tensor.dim", call: () => (isUnknown(shape) ? unknownValue(shape.reason) : { k: "int", v: shape.length }) };
    case "ndim":
      return isUnknown(shape) ? unknownValue(shape.reason) : { k: "int", v: shape.length };
    case "numel":
    case "nelement":
      return { k: "builtin", name: "Tensor.numel", call: () => {
        if (isUnknown(shape)) return unknownValue(shape.reason);
        const p = product(shape);
        return typeof p === "number" || isSym(p) ? { k: "int", v: p } : unknownValue(p.reason);
      } };
    case "dtype":
      return { k: "opaque", typeName: "dtype", v: t.t.dtype === "float" ? "float32" : t.t.dtype === "long" ? "int64" : "bool" };
    case "device":
      return { k: "opaque", typeName: "device" };
    case "requires_grad":
      return { k: "bool", v: t.param ? t.param.requiresGrad : false };
    case "data":
      return t;
    case "grad":
      return NONE;
    case "is_cuda":
    case "is_sparse":
    case "is_quantized":
    case "is_meta":
      return FALSE;
    case "is_floating_point":
      return { k: "builtin", name, call: () => ({ k: "bool", v: t.t.dtype === "float" }) };
    case "is_contiguous":
      return { k: "builtin", name, call: () => ({ k: "bool", v: true }) };
    case "get_device":
      return { k: "builtin", name, call: () => ({ k: "int", v: -1 }) }; // -1: a CPU tensor
    case "T":
    case "mT": {
      // properties, not methods: x.T reverses every dim (unlike t())
      const rule = findOp("method", name);
      return rule ? applyOp(ip, rule, [t], [], site) : unknownValue(`Tensor.${name} has no rule`);
    }
    case "item":
      return { k: "builtin", name, call: () => unknownValue("the value of a tensor") };
    case "tolist":
    case "numpy":
      return { k: "builtin", name, call: () => unknownValue("the values of a tensor") };
    case "requires_grad_":
      return { k: "builtin", name, call: (a) => {
        if (t.param) {
          ip.touch(t.param.owner);
          t.param.requiresGrad = a[0]?.k === "bool" ? a[0].v : true;
        }
        return t;
      } };
    case "long":
    case "int":
      return { k: "builtin", name, call: () => ({ k: "tensor", t: { ...t.t, dtype: "long" } }) };
    case "bool":
      return { k: "builtin", name, call: () => ({ k: "tensor", t: { ...t.t, dtype: "bool" } }) };
    case "float":
    case "double":
    case "half":
      return { k: "builtin", name, call: () => ({ k: "tensor", t: { ...t.t, dtype: "float" } }) };
    case "to":
    case "cuda":
    case "cpu":
    case "detach":
    case "clone":
    case "contiguous": {
      const op = methodOp(ip, t, name);
      if (op) return op;
      return { k: "builtin", name, call: (a, k) => {
        const dt = a.find((x) => x.k === "opaque" && x.typeName === "dtype") ?? kw(k, "dtype");
        return dt ? { k: "tensor", t: { ...t.t, dtype: dtypeOf(dt, t.t.dtype) } } : t;
      } };
    }
  }
  const op = methodOp(ip, t, name);
  if (op) return op;
  if (name.endsWith("_") && name.length > 1) {
    const inplace = methodOp(ip, t, name.slice(0, -1));
    if (inplace) return inplace;
    // in-place initialisers (normal_, zero_, fill_, uniform_) keep the tensor
    return { k: "builtin", name, call: () => t };
  }
  return unknownValue(`Tensor.${name} is not modelled`);
}

/** x[index] */
export function tensorItem(ip: Interp, t: Value, index: Value, site: CallSite): Value {
  const rule = findOp("method", "getitem") ?? findOp("torch", "getitem");
  if (!rule) return unknownValue("tensor indexing has no rule");
  return applyOp(ip, rule, [t, indexArg(index)], [], site);
}

const SEQUENCE_LIKE = new Set(["list", "tuple", "tensor", "slice", "ellipsis", "none"]);

/**
 * The index as the getitem rule takes it: a tuple lists the indices, a list inside it is an index
 * tensor. A list alone is one index, unless it holds sequences, tensors, slices, ... or None
 * (PyTorch's treatSequenceAsTuple): then it is a tuple.
 */
function indexArg(index: Value): Value {
  if (index.k !== "list") return index;
  const asTuple = index.items.length < 32 && index.items.some((x) => SEQUENCE_LIKE.has(x.k));
  return { k: "tuple", items: asTuple ? index.items : [index] };
}

/** for row in x: rows along dim 0 (a known count only). */
export function tensorIter(ip: Interp, t: Extract<Value, { k: "tensor" }>): Value[] {
  const shape = t.t.shape;
  if (!Array.isArray(shape) || shape.length === 0 || typeof shape[0] !== "number") {
    return ip.raise("UnknownIteration", "iteration over a tensor of unknown length");
  }
  if (shape[0] > ip.budget.limits.maxItems) ip.budget.tick(ip.budget.limits.maxSteps);
  ip.budget.tick(shape[0]); // one step per row built
  const row: TensorMeta = { kind: "tensor", shape: shape.slice(1), dtype: t.t.dtype, rf: t.t.rf };
  return Array.from({ length: shape[0] }, () => ({ k: "tensor", t: row }) as Value);
}

const BINARY_OPS: Record<string, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "@": "matmul", "**": "pow", "//": "floor_divide", "%": "remainder" };

/** a op b where at least one side is a tensor. */
export function tensorBinary(ip: Interp, op: string, a: Value, b: Value, site: CallSite, _inPlace: boolean): Value {
  const name = BINARY_OPS[op];
  const rule = name ? findOp("torch", name) ?? findOp("method", name) : undefined;
  if (!rule) {
    // no rule: the shape follows broadcasting of the tensor operand, the cost is unknown
    return unknownValue(`the operator ${op} on tensors has no rule`);
  }
  if (a.k !== "tensor" && op !== "@") {
    // number - tensor, number / tensor: reversed operands
    const rev = findOp("torch", `r${name}`);
    if (rev) return applyOp(ip, rev, [b, a], [], site);
  }
  return applyOp(ip, rule, [a, b], [], site);
}

/** The op `a < b` records, and the one `b > a` records when only b is a tensor (Python reflects the comparison). */
const COMPARE_OPS: Record<string, readonly [string, string]> = {
  "<": ["lt", "gt"], ">": ["gt", "lt"], "<=": ["le", "ge"], ">=": ["ge", "le"], "==": ["eq", "eq"], "!=": ["ne", "ne"],
};

/** a < b (== != > <= >=) where one side is a tensor: a bool tensor of the broadcast shape. */
export function tensorCompare(ip: Interp, op: string, a: Value, b: Value, site: CallSite): Value {
  const names = COMPARE_OPS[op];
  const other = a.k === "tensor" ? b : a;
  if (!names || !["tensor", "int", "float", "bool"].includes(other.k)) return unknownValue("a tensor comparison");
  const rule = findOp("torch", a.k === "tensor" ? names[0] : names[1]);
  if (!rule) return unknownValue("a tensor comparison");
  return applyOp(ip, rule, a.k === "tensor" ? [a, b] : [b, a], [], site);
}

export function tensorUnary(ip: Interp, op: string, v: Value, site: CallSite): Value {
  if (op === "+") return v;
  const rule = op === "-" ? findOp("torch", "neg") : findOp("method", "__invert__");
  if (!rule) return unknownValue(`unary ${op} on a tensor`);
  return applyOp(ip, rule, [v], [], site);
}

/**
 * copy.deepcopy (copy.copy when `shallow`: a new container or object holding the same items): modules
 * are cloned (their creation sites kept), other values copied structurally.
 */
export function deepCopy(ip: Interp, v: Value, shallow = false): Value {
  const item = (x: Value): Value => (shallow ? x : deepCopy(ip, x));
  switch (v.k) {
    case "list":
      return { k: "list", items: v.items.map(item) };
    case "tuple":
      return shallow ? v : { ...v, items: v.items.map(item) };
    case "dict":
      return { ...v, keys: v.keys.slice(), vals: v.vals.map(item) };
    case "instance":
      return { k: "instance", cls: v.cls, attrs: new Map([...v.attrs].map(([k, x]) => [k, item(x)])) };
    case "module":
      return { k: "module", m: cloneModule(ip, v.m) };
    default:
      return v;
  }
}

