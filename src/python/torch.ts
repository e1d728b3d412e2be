// The torch API surface: namespace attributes (torch, nn, F, math and other modules), imports of known modules, copy.deepcopy.
import { findOp } from "../core/ops";
import { initFunction } from "./initOps";
import { unknown } from "../core/types";
import { closeMatch, F_NAMES, NN_NAMES, TORCH_NAMES } from "./names";
import { tensorsIn } from "./convert";
import { iterate } from "./calls";
import { PyError } from "./errors";
import type { Interp } from "./interp";
import { cloneModule } from "./modules";
import { moduleClassFor } from "./moduleClasses";
import { dataclassesAttr } from "./dataclass";
import { namedtupleFactory } from "./namedtuple";
import { autogradFunctionClass } from "./autogradFunction";
import { nnUtilsAttr } from "./nnutils";
import { stdlibAttr } from "./stdlib";
import { abcAttr } from "./abcModule";
import { libAttr } from "./libprelude";
import { torchvisionAttr } from "./torchvision";
import { statelessAttr } from "./stateless";
import { NONE, FALSE, calledUnknown, numberOf, unknownValue, type CallSite, type Value } from "./values";
import { CREATORS, kw } from "./tensorCreation";
import { opBuiltin } from "./tensorOps";

const KNOWN_MODULES = new Set([
  "torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.optim", "torch.utils", "torch.utils.data",
  "collections", "collections.abc", "math", "copy", "typing", "functools", "operator", "numpy", "os", "sys", "random", "itertools", "dataclasses",
  "torchvision", "torchvision.transforms", "torchvision.datasets", "torch.nn.modules", "__future__", "warnings", "argparse", "time", "types", "abc",
]);

export function importModule(name: string): Value {
  if (name === "torch.nn.functional") return { k: "ns", name: "F" };
  if (name === "torch.nn") return { k: "ns", name: "nn" };
  return { k: "ns", name: KNOWN_MODULES.has(name) || name.startsWith("torch") ? name : `?${name}` };
}

const DTYPE_NAMES = ["float32", "float", "float64", "double", "float16", "half", "bfloat16", "int64", "long", "int32", "int", "int16", "int8", "uint8", "bool", "short", "cfloat", "cdouble", "complex64", "complex128"];

/** torch.X, nn.X, F.X and other namespace attributes. */
export function nsAttr(ip: Interp, ns: string, name: string, site: CallSite): Value {
  if (ns === "nn" || ns === "torch.nn.modules") return nnAttr(ip, name, site);
  if (ns === "F") return fnAttr(ip, "F", name, site);
  if (ns === "torch") {
    if (name === "nn") return { k: "ns", name: "nn" };
    if (["optim", "utils", "cuda", "cpu", "amp", "backends", "jit", "onnx", "distributions", "autograd", "fft", "linalg", "hub", "testing"].includes(name)) return { k: "ns", name: `torch.${name}` };
    if (DTYPE_NAMES.includes(name)) return { k: "opaque", typeName: "dtype", v: name };
    if (name === "Size") return { k: "builtin", name: "torch.Size", call: (a) => ({ k: "tuple", items: a[0] ? iterate(ip, a[0]) : [], isSize: true }) };
    if (name === "device") {
      return { k: "builtin", name: "torch.device", call: ([a]) => ({ k: "opaque", typeName: "device", v: a?.k === "str" ? a.v.split(":")[0] : undefined }) };
    }
    // the forward is evaluated as the oracle runs it: on the CPU, with autograd enabled
    if (name === "is_grad_enabled") return { k: "builtin", name, call: () => ({ k: "bool", v: true }) };
    if (name === "no_grad" || name === "enable_grad" || name === "inference_mode" || name === "autocast") return { k: "builtin", name, call: () => ({ k: "opaque", typeName: "context" }) };
    if (["manual_seed", "set_grad_enabled", "save", "set_printoptions", "set_num_threads"].includes(name)) return { k: "builtin", name, call: () => NONE };
    if (name === "load") return { k: "builtin", name, call: () => calledUnknown("torch.load reads a file") };
    if (name === "Tensor" || name === "FloatTensor" || name === "LongTensor") return { k: "builtin", name: `torch.${name}`, call: (a, k, s) => CREATORS[name](ip, a, k, s) };
    const creator = CREATORS[name];
    if (creator) return { k: "builtin", name: `torch.${name}`, call: (a, k, s) => creator(ip, a, k, s) };
    if (name === "is_tensor") return { k: "builtin", name, call: ([v]) => ({ k: "bool", v: v?.k === "tensor" }) };
    return fnAttr(ip, "torch", name, site);
  }
  if (ns === "torch.jit") {
    // the oracle runs eager PyTorch: not scripting nor tracing; script/trace/ignore/unused give back what they wrap
    if (name === "is_scripting" || name === "is_tracing") return { k: "builtin", name, call: () => FALSE };
    if (["script", "trace", "ignore", "unused", "export", "script_if_tracing"].includes(name)) {
      return { k: "builtin", name, call: ([v]) => v ?? { k: "builtin", name, call: ([w]) => w ?? NONE } };
    }
    if (name === "annotate") return { k: "builtin", name, call: ([, v]) => v ?? NONE };
  }
  if (ns === "torch.nn.utils" && (name === "rnn" || name === "stateless")) return { k: "ns", name: `torch.nn.utils.${name}` };
  const stateless = ns === "torch.nn.utils.stateless" ? statelessAttr(ip, name) : undefined;
  if (stateless) return stateless;
  if (ns === "torch.nn.utils.rnn" && ["pad_sequence", "pack_padded_sequence", "pack_sequence", "pad_packed_sequence"].includes(name)) {
    return opBuiltin(ip, findOp("torch", name)!, `${ns}.${name}`);
  }
  if (ns === "torch.nn.utils") {
    const util = nnUtilsAttr(ip, name);
    if (util) return util;
  }
  if (ns === "torch.cuda" || ns === "torch.cpu") {
    if (name === "amp") return { k: "ns", name: `${ns}.amp` };
    if (name === "is_available") return { k: "builtin", name, call: () => FALSE };
    return { k: "builtin", name, call: () => unknownValue("CUDA state") };
  }
  if (ns === "torch.nn.init") return initFunction(ip, name);
  if (ns === "torch.autograd" || ns === "torch.autograd.function") {
    if (name === "Function") return autogradFunctionClass(ip);
    if (name === "function") return { k: "ns", name: "torch.autograd.function" };
    // the pre-0.4 wrapper: Variable(t) is the tensor itself
    if (name === "Variable") return { k: "builtin", name: "Variable", call: ([t]) => t ?? unknownValue("Variable() of nothing") };
  }
  if (ns === "torch.fft" || ns === "torch.linalg") {
    // PyTorch runs torch.fft.rfft2 as fft_rfft2, torch.linalg.norm as linalg_norm
    const prefix = ns === "torch.fft" ? "fft" : "linalg";
    const rule = findOp("torch", `${prefix}_${name}`);
    if (rule) return opBuiltin(ip, rule, `${ns}.${name}`);
  }
  // mixed precision changes no shape: autocast is a context manager (or decorator) like no_grad
  if ((ns === "torch.cuda.amp" || ns === "torch.cpu.amp" || ns === "torch.amp") && name === "autocast") return { k: "builtin", name, call: () => ({ k: "opaque", typeName: "context" }) };
  if (ns === "collections") {
    if (name === "OrderedDict") return ip.builtins.vars.get("OrderedDict")!;
    if (name === "namedtuple") return namedtupleFactory(ip);
    if (name === "abc") return { k: "ns", name: "collections.abc" };
  }
  if (ns === "math") return mathAttr(ip, name);
  if (ns === "abc") return abcAttr(name) ?? unknownValue(`abc.${name} is not modelled`);
  if (ns === "torch.utils" && name === "data") return { k: "ns", name: "torch.utils.data" };
  if (ns === "torchvision" && (name === "transforms" || name === "datasets")) return { k: "ns", name: `torchvision.${name}` };
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
        if (top && tensorsIn({ k: "tuple", items: [...args, ...kwargs.map(([, v]) => v)] }).length > 0) top.ops.push({ name, cost: unknown(reason) });
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

