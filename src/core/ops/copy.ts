// Copies, casts and broadcasting views: contiguous/clone/detach/to/type_as, expand/broadcast_to/repeat/tile, new_*.
import { mul, product, type Dim } from "../dim";
import { sig, type Signature } from "../signature";
import { isTensor, isUnknown, type ArgValue, type Args, type DType, type Output } from "../types";
import { expandShape } from "./broadcast";
import { dimArg, dtypeFromArg, failure, intArg, isBad, sizesFromVarargs, tensorOf, tensorShape, unknownTensor, type Failure } from "./common";
import { defineOp } from "./define";
import type { OpNamespace, OpRule } from "./rule";
import { varargsSig } from "./shape";

function copyWithDtype(fname: string, args: Args, dtype?: (keep: DType) => DType): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const dt = dtype ? dtype(x.t.dtype) : x.t.dtype;
  // a constant integer tensor's content survives copies and moves (lengths.cpu(), lengths.long())
  const values = x.t.values && dt === "long" ? { values: x.t.values } : {};
  return { ...tensorOf(x.shape, dt), ...values };
}

/** x.to(other), x.to(dtype), x.to(device, dtype), x.to(dtype=...): the dtype named, else kept. */
function toDtype(args: Args, keep: DType): DType {
  const positional = Array.isArray(args.args) ? (args.args as readonly ArgValue[]) : [];
  const candidates: ArgValue[] = [...positional, args.dtype ?? null];
  for (const c of candidates) {
    if (isTensor(c)) return c.dtype;
    const d = dtypeFromArg(c);
    if (d) return d;
  }
  return keep;
}

function copyRule(name: string, namespaces: readonly OpNamespace[], signature: Signature, dtype?: (a: Args, keep: DType) => DType): OpRule {
  return defineOp({
    name,
    namespaces,
    signature,
    cost: "zero",
    output: (args) => copyWithDtype(name, args, dtype ? (keep) => dtype(args, keep) : undefined),
  });
}

const RI_SIG: Signature = { params: [{ name: "input" }, { name: "repeats" }, { name: "dim", default: null }], kwOnly: [{ name: "output_size", default: null }] };
const KW: Signature = { params: [{ name: "input" }], varkw: true };
const fixed =
  (dt: DType) =>
  (): DType =>
    dt;

const COPIES: readonly OpRule[] = [
  copyRule("contiguous", ["method"], { params: [{ name: "input" }, { name: "memory_format", default: null }] }),
  copyRule("clone", ["torch", "method"], KW),
  copyRule("detach", ["torch", "method"], sig("input")),
  copyRule("detach_", ["method"], sig("input")),
  copyRule("cpu", ["method"], KW),
  copyRule("cuda", ["method"], { params: [{ name: "input" }, { name: "device", default: null }], varkw: true }),
  copyRule("to", ["method"], { params: [{ name: "input" }], varargs: "args", varkw: true }, toDtype),
  copyRule("type_as", ["method"], sig("input", "other"), (a, keep) => (isTensor(a.other) ? a.other.dtype : keep)),
  copyRule("float", ["method"], KW, fixed("float")),
  copyRule("double", ["method"], KW, fixed("float")),
  copyRule("half", ["method"], KW, fixed("float")),
  copyRule("long", ["method"], KW, fixed("long")),
  copyRule("int", ["method"], KW, fixed("long")),
  copyRule("bool", ["method"], KW, fixed("bool")),
];

function expandOp(fname: string, args: Args, sizes: Dim[] | ReturnType<typeof sizesFromVarargs>): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (isBad(sizes)) return isUnknown(sizes) ? unknownTensor(sizes.reason, x.t.dtype) : sizes;
  const r = expandShape(x.shape, sizes, x.t.dtype === "float" ? "torch.FloatTensor" : x.t.dtype === "long" ? "torch.LongTensor" : "torch.BoolTensor");
  return isBad(r) ? r : tensorOf(r, x.t.dtype);
}

/** repeat(*repeats): at least rank entries; the shape, padded with leading 1s, times repeats. */
function repeatShape(fname: string, args: Args, reps: ReturnType<typeof sizesFromVarargs>, tile: boolean): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (isBad(reps)) return isUnknown(reps) ? unknownTensor(reps.reason, x.t.dtype) : reps;
  let r = reps;
  if (tile && r.length < x.shape.length) r = [...new Array<Dim>(x.shape.length - r.length).fill(1), ...r];
  if (r.length < x.shape.length) {
    return failure("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  }
  const padded = [...new Array<Dim>(r.length - x.shape.length).fill(1), ...x.shape];
  return tensorOf(
    padded.map((d, i) => mul(d, r[i])),
    x.t.dtype,
  );
}

/** repeat_interleave(repeats, dim=None): dim's size times an int `repeats`, or all elements flattened; tensor repeats are data. */
function repeatInterleave(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "repeat_interleave");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const reps = args.repeats;
  const dim = args.dim === null || args.dim === undefined ? null : dimArg(args.dim, x.shape.length);
  if (dim !== null && isBad(dim)) return isUnknown(dim) ? unknownTensor(dim.reason, x.t.dtype) : dim;
  if (isTensor(reps) || isUnknown(reps)) return unknownTensor("repeat_interleave with a tensor of repeats depends on its values", x.t.dtype);
  const r = intArg(reps, "repeats");
  if (isBad(r)) return isUnknown(r) ? unknownTensor(r.reason, x.t.dtype) : r;
  if (typeof r === "number" && r < 0) return failure("repeats can not be negative");
  if (dim === null) return tensorOf([mul(product(x.shape), r)], x.t.dtype);
  return tensorOf(x.shape.map((d, i) => (i === dim ? mul(d, r) : d)), x.t.dtype);
}

function shapeRule(name: string, namespaces: readonly OpNamespace[], signature: Signature, output: (a: Args) => Output | Failure): OpRule {
  return defineOp({ name, namespaces, signature, cost: "zero", output });
}

/** x.new_zeros(size) and friends: a new tensor of that size, x's dtype unless given. */
function newRule(name: string, extra: readonly string[]): OpRule {
  return shapeRule(name, ["method"], { params: [{ name: "input" }], varargs: "size", kwOnly: extra.map((n) => ({ name: n })), varkw: true }, (a) => {
    const x = a.input;
    const sizes = sizesFromVarargs(a.size, "size");
    const dtype = dtypeFromArg(a.dtype ?? null) ?? (isTensor(x) ? x.dtype : "float");
    if (isBad(sizes)) return isUnknown(sizes) ? unknownTensor(sizes.reason, dtype) : sizes;
    return tensorOf(sizes, dtype);
  });
}

/** x.new_full(size, fill_value): size is one sequence (not varargs); x's dtype unless given. */
const NEW_FULL = shapeRule("new_full", ["method"], { params: [{ name: "input" }, { name: "size" }, { name: "fill_value" }], kwOnly: [{ name: "dtype", default: null }], varkw: true }, (a) => {
  const x = a.input;
  const dtype = dtypeFromArg(a.dtype ?? null) ?? (isTensor(x) ? x.dtype : "float");
  if (!Array.isArray(a.size) && !isUnknown(a.size)) return failure(`TypeError: new_full(): argument 'size' (position 1) must be tuple of SymInts, not ${typeof a.size === "number" ? "int" : "a non-sequence"}`, "bad-argument");
  const sizes = sizesFromVarargs(a.size, "size");
  if (isBad(sizes)) return isUnknown(sizes) ? unknownTensor(sizes.reason, dtype) : sizes;
  return tensorOf(sizes, dtype);
});

/** The nested lengths of literal data ([[1, 2], [3, 4]] -> [2, 2]), as torch.tensor reads it. */
function dataDims(v: ArgValue, depth = 0): Dim[] | Failure | null {
  if (!Array.isArray(v)) return typeof v === "number" || typeof v === "boolean" ? [] : null;
  const items = v as readonly ArgValue[];
  if (items.length === 0) return [0];
  const first = dataDims(items[0], depth + 1);
  if (first === null || isBad(first)) return first;
  for (const it of items.slice(1)) {
    const d = dataDims(it, depth + 1);
    if (d === null || isBad(d)) return d;
    if (d.length !== first.length || (first.length > 0 && d[0] !== first[0])) {
      return failure(`ValueError: expected sequence of length ${first[0] ?? 0} at dim ${depth + 1} (got ${d[0] ?? 0})`, "bad-argument");
    }
  }
  return [items.length, ...first];
}

/** x.new_tensor(data): data's nested shape, x's dtype unless given (no FLOPs rule: PyTorch records it as an op). */
const NEW_TENSOR = defineOp({
  name: "new_tensor",
  namespaces: ["method"],
  signature: { params: [{ name: "input" }, { name: "data" }], kwOnly: [{ name: "dtype", default: null }], varkw: true },
  cost: "none",
  output(a) {
    const x = a.input;
    const dtype = dtypeFromArg(a.dtype ?? null) ?? (isTensor(x) ? x.dtype : "float");
    if (isTensor(a.data)) return tensorOf(a.data.shape, dtype);
    const dims = dataDims(a.data);
    if (dims === null) return unknownTensor("new_tensor() of data whose shape is not known", dtype);
    return isBad(dims) ? dims : tensorOf(dims, dtype);
  },
});

export const COPY_OPS: readonly OpRule[] = [
  NEW_FULL,
  NEW_TENSOR,
  ...COPIES,
  shapeRule("expand", ["method"], varargsSig("size"), (a) => expandOp("expand", a, sizesFromVarargs(a.size, "size"))),
  shapeRule("expand_as", ["method"], sig("input", "other"), (a) => {
    const o = tensorShape(a, "other", "expand_as");
    return expandOp("expand_as", a, isBad(o) ? o : [...o.shape]);
  }),
  shapeRule("broadcast_to", ["torch", "method"], sig("input", "size"), (a) =>
    expandOp("broadcast_to", a, sizesFromVarargs(a.size, "size")),
  ),
  shapeRule("repeat", ["method"], varargsSig("repeats"), (a) => repeatShape("repeat", a, sizesFromVarargs(a.repeats, "repeats"), false)),
  shapeRule("tile", ["torch"], sig("input", "dims"), (a) => repeatShape("tile", a, sizesFromVarargs(a.dims, "dims"), true)),
  shapeRule("tile", ["method"], varargsSig("dims"), (a) => repeatShape("tile", a, sizesFromVarargs(a.dims, "dims"), true)),
  // no FLOPs rule in spec v1 (a copy the oracle does not count)
  defineOp({ name: "repeat_interleave", namespaces: ["torch", "method"], signature: RI_SIG, cost: "none", output: repeatInterleave }),
  newRule("new_zeros", []),
  newRule("new_ones", []),
  newRule("new_empty", []),
  // TransformerEncoder's nested-tensor check (PyTorch 1.13, eval mode, with a key padding mask):
  // a bool out of the mask's values, an op without a FLOPs rule that makes the model's total unknown
  defineOp({ name: "_nested_tensor_from_mask_left_aligned", namespaces: ["torch"], signature: sig("input", "mask"), cost: "none", output: () => true }),
];
