// Tensor ops: applying an op rule (binding, cost, receptive field, graph node), tensor attributes and methods, indexing, iteration and operators.
import { withValueRange } from "./valueRanges";
import { argParserError } from "./argParser";
import { isSym, product } from "../core/dim";
import { findOp } from "../core/ops";
import type { OpNamespace, OpRule } from "../core/ops/rule";
import { opRf, isMissing } from "../core/rf";
import { bindArgs } from "../core/signature";
import { type TensorMeta, isUnknown, unknown } from "../core/types";
import { fromOutput, shapeJson, tensorsIn, toArg, withRf } from "./convert";
import { addNode, costFields } from "./graph";
import { positionOf } from "./source";
import { PyError } from "./errors";
import type { Interp } from "./interp";
import { NONE, FALSE, numberOf, unknownValue, type CallSite, type Value } from "./values";
import { kw, dtypeOf } from "./tensorCreation";
import { TENSOR_NAMES } from "./tensorNames";

export function opBuiltin(ip: Interp, rule: OpRule, label: string, self?: Value): Value {
  return {
    k: "builtin",
    name: label,
    self,
    call: (args, kwargs, site, s) => {
      const all = s ? [s, ...args] : args;
      // PyTorch's argument parser rejects a float / None / method among the sizes before the op runs
      const bad = argParserError(label, all, kwargs);
      if (bad) throw new PyError("TypeError", bad, null, ip.whereOf(site));
      return applyOp(ip, rule, all, kwargs, site);
    },
  };
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

/** Ops whose result is float when a Python float takes part (`i * 1.0`, `torch.where(m, i, 0.0)`), and ops always float on integers. */
const FLOAT_WITH_PY_FLOAT = new Set(["add", "sub", "rsub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod", "pow", "where", "clamp", "clip", "clamp_min", "clamp_max", "subtract", "multiply", "divide", "lerp"]);
const FLOAT_ON_INTEGERS = new Set(["sigmoid", "tanh"]);

/**
 * The rules see a Python float such as 1.0 as the number 1 (an int): an integer tensor combined
 * with one is float in PyTorch, as sigmoid/tanh of an integer tensor are.
 */
function promoteToFloat(name: string, out: Value, args: Value[], kwargs: [string, Value][]): Value {
  if (out.k !== "tensor" || out.t.dtype === "float") return out;
  const withFloat = FLOAT_WITH_PY_FLOAT.has(name) && [...args, ...kwargs.map(([, v]) => v)].some((v) => v.k === "float");
  return withFloat || FLOAT_ON_INTEGERS.has(name) ? { ...out, t: { ...out.t, dtype: "float" } } : out;
}

/** Ops whose tuple result is a torch.return_types named tuple. */
const RETURN_TYPES = new Set(["max", "min", "topk", "sort", "kthvalue", "median", "nanmedian", "mode", "cummax", "cummin", "aminmax", "frexp", "slogdet"]);

/** Apply a functional/tensor op: bind, compute, record its cost and receptive field. */
export function applyOp(ip: Interp, rule: OpRule, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const bound = bindArgs(`${pyFunctionName(rule.name, kwargs)}()`, rule.signature, args.map(toArg), kwargs.map(([k, v]) => [k, toArg(v)] as const));
  if (!bound.ok) throw new PyError("TypeError", bound.problem.message, bound.problem, ip.whereOf(site));
  const res = rule.apply(bound.args);
  const err = res.problems.find((p) => p.severity === "error");
  if (err) {
    // a rule words an exception other than RuntimeError as "ValueError: ..." (as layer rules do)
    const typed = /^([A-Z]\w*Error): ([\s\S]*)$/.exec(err.message);
    const pe = typed ? new PyError(typed[1], typed[2], { ...err, message: typed[2] }, ip.whereOf(site)) : new PyError("RuntimeError", err.message, err, ip.whereOf(site));
    pe.fromOp = true;
    throw pe;
  }
  let out = withValueRange(rule.name, args, promoteToFloat(rule.name, fromOutput(res.output), args, kwargs));
  const trace = ip.trace;
  if (trace) {
    const top = trace.stack[trace.stack.length - 1];
    if (top) top.ops.push({ name: rule.name, cost: res.cost });
    const outs = tensorsIn(out);
    if (outs.length > 0) {
      const st = opRf(rule.tracedName ?? rule.name, bound.args, res.output);
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
  // max(x, dim) & co. give a torch.return_types named tuple (values, indices), printed by that name in errors
  return out.k === "tuple" && RETURN_TYPES.has(rule.name) ? { ...out, pyType: `torch.return_types.${rule.name}` } : out;
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
    case "data": {
      // PyTorch traces the property read (`__get__:data`), an op without an RF rule
      const st = opRf("__get__:data", { input: t.t }, t.t);
      return isMissing(st) ? t : { k: "tensor", t: { ...t.t, rf: st }, param: t.param };
    }
    case "grad":
      // read after backward() (clipping, a hand-written SGD step): a parameter's gradient has its shape
      return t.param && t.param.requiresGrad ? { k: "tensor", t: t.t } : NONE;
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
      // a one-element constant integer tensor (`torch.tensor(shape).prod().item()`) gives its content
      return { k: "builtin", name, call: () => (t.t.values?.length === 1 && Array.isArray(t.t.shape) && t.t.shape.every((d) => d === 1) ? { k: "int", v: t.t.values[0] } : unknownValue("the value of a tensor")) };
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
  // a misspelt method (x.flaten(1)) fails as in PyTorch, at the attribute read
  if (!name.startsWith("_") && !TENSOR_NAMES.has(name)) return ip.raise("AttributeError", `'Tensor' object has no attribute '${name}'`, null, ip.whereOf(site));
  const op = methodOp(ip, t, name) ?? (RESHAPING_INPLACE.has(name) ? methodOp(ip, t, name.slice(0, -1)) : undefined);
  if (op && op.k === "builtin" && RESHAPING_INPLACE.has(name)) {
    // x.squeeze_(1) changes x itself: every name bound to the tensor sees the new shape
    return { ...op, call: (a, k, s, self) => {
      const r = op.call(a, k, s, self);
      if (r.k !== "tensor") return r;
      t.t = r.t;
      t.src = r.src;
      return t;
    } };
  }
  if (op) return op;
  if (name.endsWith("_") && name.length > 1) {
    const inplace = methodOp(ip, t, name.slice(0, -1));
    if (inplace) return inplace;
    // in-place initialisers (normal_, zero_, fill_, uniform_) keep the tensor
    return { k: "builtin", name, call: () => t };
  }
  const reason = `Tensor.${name} is not modelled`;
  if (TENSOR_PROPERTIES.has(name)) return unknownValue(reason);
  // a method without a rule runs in PyTorch: the model's FLOPs become unknown, as the oracle lists it
  return { k: "builtin", name: `Tensor.${name}`, call: () => {
    const top = ip.trace?.stack[ip.trace.stack.length - 1];
    if (top) top.ops.push({ name, cost: unknown(reason) });
    return unknownValue(reason);
  } };
}

/** In-place methods that change the tensor's shape. */
const RESHAPING_INPLACE = new Set(["squeeze_", "unsqueeze_", "t_", "transpose_", "swapdims_", "swapaxes_", "resize_", "resize_as_"]);

/** Tensor attributes that are properties, not methods. */
const TENSOR_PROPERTIES = new Set(["real", "imag", "grad_fn", "is_leaf", "layout", "names", "H", "mH", "output_nr", "retains_grad", "itemsize", "nbytes", "is_nested", "is_mkldnn", "is_sparse_csr", "_base", "_version"]);

/**
 * A tensor used as a Python index (`classes[labels[j]]`): its __index__ takes one integer element,
 * whose value only the data knows (unknown); a float or many-element tensor is PyTorch's TypeError.
 */
export function tensorAsIndex(ip: Interp, t: Extract<Value, { k: "tensor" }>, where?: Parameters<Interp["raise"]>[3]): Value {
  const n = Array.isArray(t.t.shape) ? product(t.t.shape) : undefined;
  if (t.t.dtype === "float" || (typeof n === "number" && n !== 1)) {
    return ip.raise("TypeError", "only integer tensors of a single element can be converted to an index", null, where);
  }
  return unknownValue("an index read from a tensor's values");
}

/** x[index] */
export function tensorItem(ip: Interp, t: Value, index: Value, site: CallSite): Value {
  const rule = findOp("method", "getitem") ?? findOp("torch", "getitem");
  if (!rule) return unknownValue("tensor indexing has no rule");
  const out = applyOp(ip, rule, [t, indexArg(index)], [], site);
  // PyTorch 1.13 indexes by a lone int, slice, None, ..., bool or tensor without dispatching
  // __torch_function__, so the oracle's tracer never sees the op: its result has no rf state
  return index.k === "tuple" || index.k === "list" || index.k === "unknown" ? out : withRf(out, undefined);
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
  // PyTorch 1.13 iterates through __iter__ (unbind run untraced inside it): the rows carry no rf state
  const row: TensorMeta = { kind: "tensor", shape: shape.slice(1), dtype: t.t.dtype };
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
