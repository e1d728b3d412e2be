// Tensor creation: torch.randn/zeros/ones/full/tensor/arange/..., the *_like creators, dtype and size arguments.
import { opRf, isMissing } from "../core/rf";
import { type DType, type TensorMeta, unknown } from "../core/types";
import { MAX_RANK } from "./convert";
import type { Interp } from "./interp";
import { NONE, numberOf, unknownValue, type CallSite, type Value } from "./values";

const FLOAT_DTYPES = new Set(["float32", "float", "float64", "double", "float16", "half", "bfloat16"]);

const INT_DTYPES = new Set(["int64", "long", "int32", "int", "int16", "int8", "uint8", "short"]);

export function dtypeOf(v: Value | undefined, fallback: DType): DType {
  if (!v || v.k !== "opaque" || v.typeName !== "dtype" || !v.v) return fallback;
  if (FLOAT_DTYPES.has(v.v)) return "float";
  if (INT_DTYPES.has(v.v)) return "long";
  if (v.v === "bool") return "bool";
  return fallback;
}

export function kw(kwargs: [string, Value][], name: string): Value | undefined {
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

function dataShape(ip: Interp, v: Value): { dims: Value[]; float: boolean; bool: boolean; unknown?: string } {
  if (v.k === "list" || v.k === "tuple") {
    if (v.items.length === 0) return { dims: [{ k: "int", v: 0 }], float: true, bool: false };
    const inner = dataShape(ip, v.items[0]);
    const rest = v.items.slice(1).map((x) => dataShape(ip, x));
    return {
      unknown: inner.unknown,
      dims: [{ k: "int", v: v.items.length }, ...inner.dims],
      float: inner.float || rest.some((r) => r.float),
      bool: inner.bool && rest.every((r) => r.bool),
    };
  }
  if (v.k === "tensor") {
    const dims = Array.isArray(v.t.shape) ? (v.t.shape as number[]).map((d) => ({ k: "int", v: d }) as Value) : [];
    return { dims, float: v.t.dtype === "float", bool: v.t.dtype === "bool", unknown: Array.isArray(v.t.shape) ? undefined : "the data's shape" };
  }
  // what a call not understood returned (np.array(...), a loader's data): its shape is not known (not a 0-d tensor)
  if (v.k === "unknown" && v.called) return { dims: [], float: true, bool: false, unknown: v.reason };
  return { dims: [], float: v.k === "float", bool: v.k === "bool" };
}

type Maker = (ip: Interp, args: Value[], kwargs: [string, Value][], site: CallSite) => Value;

export const CREATORS: Record<string, Maker> = {
  randn: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  zeros: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  ones: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  empty: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  rand: (ip, a, k) => makeTensor(ip, sizesOf(ip, kw(k, "size") ? [kw(k, "size")!] : a), dtypeOf(kw(k, "dtype"), "float")),
  full: (ip, a, k) => makeTensor(ip, sizesOf(ip, [kw(k, "size") ?? a[0]]), dtypeOf(kw(k, "dtype"), (kw(k, "fill_value") ?? a[1])?.k === "int" ? "long" : "float")),
  randint: (ip, a, k) => {
    const size = kw(k, "size") ?? a[a.length - 1];
    const t = makeTensor(ip, sizesOf(ip, [size]), dtypeOf(kw(k, "dtype"), "long"));
    // randint(high, size) / randint(low, high, size): values drawn uniformly from [low, high)
    const pos = kw(k, "size") ? a : a.slice(0, -1);
    const zero: Value = { k: "int", v: 0 };
    const bounds = (pos.length >= 2 ? [pos[0], pos[1]] : [kw(k, "low") ?? zero, pos[0] ?? kw(k, "high")]).map((v) => (v?.k === "int" && typeof v.v === "number" ? v.v : undefined));
    if (t.k !== "tensor" || t.t.dtype !== "long" || bounds.some((v) => v === undefined)) return t;
    return { k: "tensor", t: { ...t.t, range: { lo: bounds[0]!, hi: bounds[1]! - 1, random: true } } };
  },
  Tensor: (ip, a) => (a.length === 1 && (a[0].k === "list" || a[0].k === "tuple") && !a[0].items.every((x) => x.k === "int") ? fromData(ip, a[0], true) : a.length === 1 && a[0].k === "list" ? fromData(ip, a[0], true) : makeTensor(ip, sizesOf(ip, a), "float")),
  FloatTensor: (ip, a) => (a.length === 1 && a[0].k === "list" ? fromData(ip, a[0], true) : makeTensor(ip, sizesOf(ip, a), "float")),
  LongTensor: (ip, a) => (a.length === 1 && a[0].k === "list" ? withDataRange(withValues(fromData(ip, a[0], false), a[0]), a[0]) : makeTensor(ip, sizesOf(ip, a), "long")),
  tensor: (ip, a, k) => {
    const { dims, float, bool, unknown: why } = dataShape(ip, a[0] ?? NONE);
    if (why) return { k: "tensor", t: { kind: "tensor", shape: unknown(why), dtype: dtypeOf(kw(k, "dtype"), "float") } };
    return withDataRange(withValues(makeTensor(ip, dims, dtypeOf(kw(k, "dtype"), float ? "float" : bool ? "bool" : "long")), a[0]), a[0]);
  },
  as_tensor: (ip, a, k) => CREATORS.tensor(ip, a, k, undefined as unknown as CallSite),
  // numpy arrays the file builds are modelled as CPU tensors (numpyLite.ts): the same shape and dtype
  from_numpy: (_ip, a) => (a[0]?.k === "tensor" ? { k: "tensor", t: a[0].t } : unknownValue("a numpy array's shape")),
  arange: (ip, a, k) => {
    // arange(end) / arange(start, end[, step]), any of them possibly given by keyword
    const given = a.length === 1 && !kw(k, "end") ? [undefined, a[0], undefined] : [a[0], a[1], a[2]];
    const bounds = (["start", "end", "step"] as const).map((name, i) => given[i] ?? kw(k, name));
    if (bounds[1] === undefined) return ip.raise("TypeError", 'arange() missing 1 required positional arguments: "end"');
    const nums = bounds.map((v) => (v === undefined ? undefined : numberOf(v)));
    if (nums.some((n, i) => n === undefined && bounds[i] !== undefined)) return unknownValue("arange with a symbolic bound");
    const [start, end, step] = [nums[0] ?? 0, nums[1] as number, nums[2] ?? 1];
    if (step === 0) return ip.raise("RuntimeError", "step must be nonzero");
    if ((end - start) * step < 0) return ip.raise("RuntimeError", "upper bound and larger bound inconsistent with step sign");
    const n = Math.ceil((end - start) / step);
    const float = bounds.some((v) => v?.k === "float");
    const t = makeTensor(ip, [{ k: "int", v: n }], dtypeOf(kw(k, "dtype"), float ? "float" : "long"));
    if (t.k !== "tensor" || t.t.dtype !== "long" || float || n <= 0) return t;
    const last = start + (n - 1) * step;
    return { k: "tensor", t: { ...t.t, range: { lo: Math.min(start, last), hi: Math.max(start, last), random: false } } };
  },
  linspace: (ip, a, k) => makeTensor(ip, [kw(k, "steps") ?? a[2]], "float"),
  logspace: (ip, a, k) => makeTensor(ip, [kw(k, "steps") ?? a[2]], "float"),
  randperm: (ip, a, k) => makeTensor(ip, [kw(k, "n") ?? a[0] ?? NONE], dtypeOf(kw(k, "dtype"), "long")),
  normal: (ip, a, k) => {
    // normal(mean, std, size) with numbers; with tensors, the shape of the tensor given
    const size = kw(k, "size") ?? a[2];
    if (size) return makeTensor(ip, sizesOf(ip, [size]), "float");
    const t = [a[0] ?? kw(k, "mean"), a[1] ?? kw(k, "std")].find((v) => v?.k === "tensor");
    return t?.k === "tensor" ? { k: "tensor", t: { kind: "tensor", shape: t.t.shape, dtype: "float" } } : unknownValue("normal() without a size");
  },
  eye: (ip, a) => makeTensor(ip, [a[0], a[1] ?? a[0]], "float"),
};

/** Most integers kept as a constant tensor's content (sequence lengths are a handful). */
const MAX_VALUES = 4096;

/** An integer tensor built from a flat list of ints keeps its content (read by pack_padded_sequence). */
function withValues(t: Value, data: Value | undefined): Value {
  if (t.k !== "tensor" || t.t.dtype !== "long" || (data?.k !== "list" && data?.k !== "tuple") || data.items.length > MAX_VALUES) return t;
  const values: number[] = [];
  for (const x of data.items) {
    if (x.k !== "int" || typeof x.v !== "number") return t;
    values.push(x.v);
  }
  return { k: "tensor", t: { ...t.t, values } };
}

/** An integer tensor built from nested lists of ints: the smallest and largest of them (token ids checked against a vocabulary). */
function withDataRange(t: Value, data: Value | undefined): Value {
  if (t.k !== "tensor" || t.t.dtype !== "long" || t.t.values || !data) return t;
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  const walk = (v: Value): boolean => {
    if (v.k === "list" || v.k === "tuple") return v.items.every(walk);
    if (v.k !== "int" || typeof v.v !== "number" || ++count > MAX_VALUES * 16) return false;
    lo = Math.min(lo, v.v);
    hi = Math.max(hi, v.v);
    return true;
  };
  if (!walk(data) || count === 0) return t;
  return { k: "tensor", t: { ...t.t, range: { lo, hi, random: false } } };
}

function fromData(ip: Interp, v: Value, float: boolean): Value {
  const { dims } = dataShape(ip, v);
  return makeTensor(ip, dims, float ? "float" : "long");
}

for (const name of ["zeros_like", "ones_like", "randn_like", "rand_like", "empty_like", "full_like", "randint_like"]) {
  CREATORS[name] = (_ip, a, k) => {
    const x = a[0] ?? kw(k, "input");
    if (x?.k !== "tensor") return unknownValue(`${name} of a non-tensor`);
    const t: TensorMeta = { kind: "tensor", shape: x.t.shape, dtype: dtypeOf(kw(k, "dtype"), x.t.dtype) };
    // PyTorch traces torch.*_like as an op without an RF rule: derived from a spatial input, unknown
    const st = opRf(name, { input: x.t }, t);
    return { k: "tensor", t: isMissing(st) ? t : { ...t, rf: st } };
  };
}

/**
 * Creators PyTorch records as ops without a FLOPs rule (the oracle's zero-cost list holds zeros, ones,
 * empty, full, arange, tensor, rand, randn and the *_like forms but not these): called inside a
 * forward, they make the model's total unknown.
 */
for (const name of ["eye", "linspace", "logspace", "normal", "randint", "randint_like", "randperm"]) {
  const make = CREATORS[name];
  CREATORS[name] = (ip, a, k, site) => {
    const out = make(ip, a, k, site);
    const top = ip.trace?.stack[ip.trace.stack.length - 1];
    if (top) top.ops.push({ name, cost: unknown(`no FLOPs rule for ${name} in spec v1`) });
    return out;
  };
}
