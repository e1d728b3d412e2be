// torch.nn.utils.rnn pack_padded_sequence / pack_sequence / pad_packed_sequence: PackedSequence shapes from the sequence lengths.
import type { Dim } from "../dim";
import { asPacked, isPacked } from "../packed";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type Output, type TensorMeta } from "../types";
import { failure, isBad, pyTypeName, tensorOf, tensorShape, unknownTensor, type Failure } from "./common";
import { defineOp } from "./define";
import type { OpRule } from "./rule";

/** The lengths' values when known: a list of ints, or a constant integer tensor's content. */
function lengthValues(v: ArgValue): number[] | undefined {
  if (isTensor(v)) return v.values && Array.isArray(v.shape) && v.shape.length === 1 ? [...v.values] : undefined;
  if (Array.isArray(v) && (v as readonly ArgValue[]).every((x) => typeof x === "number" && Number.isInteger(x))) return [...(v as number[])];
  return undefined;
}

/** How many lengths there are (the batch), when known from the lengths' shape. */
function lengthCount(v: ArgValue): Dim | undefined {
  if (isTensor(v)) return Array.isArray(v.shape) && v.shape.length === 1 ? v.shape[0] : undefined;
  if (Array.isArray(v)) return v.length;
  return undefined;
}

/** PyTorch's batch_sizes: at step t, how many sequences are longer than t. */
function batchSizes(lengths: readonly number[]): number[] {
  const T = Math.max(...lengths);
  return Array.from({ length: T }, (_, t) => lengths.filter((l) => l > t).length);
}

const long = (shape: readonly Dim[], values?: readonly number[]): TensorMeta => ({ ...tensorOf(shape, "long"), ...(values ? { values } : {}) });

/** The packed 4-tuple for time-first padded data of (T, B, *rest) and the lengths. */
function packed(T: Dim, B: Dim, rest: readonly Dim[], dtype: TensorMeta["dtype"], lengths: ArgValue, sorted: boolean): Output | Failure {
  const vals = lengthValues(lengths);
  const n = lengthCount(lengths);
  if (typeof n === "number" && typeof B === "number" && n !== B) return failure(`Expected \`len(lengths)\` to be equal to batch_size, but got ${n} (batch_size=${B})`);
  const idx = sorted ? null : long([B]);
  if (!vals) {
    const why = unknown("the sequence lengths are not known statically");
    return asPacked([tensorOf([why, ...rest], dtype), long([why]), idx, idx]);
  }
  const order = sorted ? vals : [...vals].sort((a, b) => b - a);
  if (order.length > 0 && order[order.length - 1] <= 0) return failure("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  if (sorted && order.some((l, i) => i > 0 && order[i - 1] < l)) {
    return failure(
      "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.",
    );
  }
  // lengths past the padded time axis: PyTorch's result is not modelled
  if (typeof T !== "number" || order[0] > T) return asPacked([unknownTensor("sequence lengths past the padded length", dtype), long([unknown("sequence lengths past the padded length")]), idx, idx]);
  const steps = order.reduce((s, l) => s + l, 0);
  const bs = batchSizes(order);
  return asPacked([tensorOf([steps, ...rest], dtype), long([bs.length], bs), idx, idx]);
}

function packPadded(a: Args): Output | Failure {
  const x = tensorShape(a, "input", "pack_padded_sequence");
  if (isBad(x)) return isUnknown(x) ? asPacked([unknownTensor(x.reason), unknownTensor(x.reason, "long"), null, null]) : x;
  if (x.shape.length < 2) return failure(`Dimension out of range (expected to be in range of [-${Math.max(x.shape.length, 1)}, ${Math.max(x.shape.length, 1) - 1}], but got 1)`, "shape-mismatch");
  const bf = a.batch_first === true;
  const [T, B] = bf ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  return packed(T, B, x.shape.slice(2), x.t.dtype, a.lengths, a.enforce_sorted !== false);
}

function packSequence(a: Args): Output | Failure {
  const v = a.sequences;
  if (isUnknown(v)) return asPacked([unknownTensor(v.reason), unknownTensor(v.reason, "long"), null, null]);
  if (!Array.isArray(v)) return failure(`pack_sequence(): argument 'sequences' must be a list of Tensors, not ${pyTypeName(v)}`, "bad-argument");
  const list = v as readonly ArgValue[];
  if (list.length === 0) return failure("received an empty list of sequences");
  const lens: ArgValue[] = [];
  let rest: readonly Dim[] | undefined;
  let T: Dim = 0;
  for (const t of list) {
    if (!isTensor(t) || isUnknown(t.shape) || t.shape.length === 0) return asPacked([unknownTensor("pack_sequence of unknown sequences"), unknownTensor("unknown", "long"), null, null]);
    lens.push(t.shape[0]);
    rest ??= t.shape.slice(1);
    T = typeof T === "number" && typeof t.shape[0] === "number" ? Math.max(T, t.shape[0]) : unknown("a symbolic sequence length");
  }
  const dtype = (list[0] as TensorMeta).dtype;
  return packed(T, list.length, rest ?? [], dtype, lens, a.enforce_sorted !== false);
}

function padPacked(a: Args): Output | Failure {
  const p = a.sequence;
  if (isUnknown(p)) return [unknownTensor(p.reason), unknownTensor(p.reason, "long")];
  if (!isPacked(p)) return failure(`'${isTensor(p) ? "Tensor" : pyTypeName(p)}' object is not iterable`, "bad-argument");
  const [data, bs, , unsorted] = p as readonly ArgValue[];
  if (!isTensor(data) || !isTensor(bs) || isUnknown(data.shape) || isUnknown(bs.shape)) return [unknownTensor("an unknown PackedSequence"), unknownTensor("unknown", "long")];
  let T: Dim = bs.shape[0];
  const total = a.total_length;
  if (typeof total === "number") {
    if (typeof T === "number" && total < T) {
      return failure(`Expected total_length to be at least the length of the longest sequence in input, but got total_length=${total} and max sequence length being ${T}`, "bad-argument");
    }
    T = total;
  } else if (total !== null && total !== undefined) T = unknown("a total_length not known statically");
  const B: Dim = bs.values ? bs.values[0] : isTensor(unsorted) && Array.isArray(unsorted.shape) ? unsorted.shape[0] : unknown("the batch of a PackedSequence of unknown lengths");
  const rest = data.shape.slice(1);
  const out = tensorOf(a.batch_first === true ? [B, T, ...rest] : [T, B, ...rest], data.dtype);
  return [out, tensorOf([B], "long")];
}

/** Reached as torch.nn.utils.rnn.* (see torch.ts), recorded as PyTorch names them; no FLOPs rule in spec v1. */
export const PACKING_OPS: readonly OpRule[] = [
  defineOp({ name: "pack_padded_sequence", namespaces: ["torch"], costName: "_pack_padded_sequence", signature: sig("input", "lengths", ["batch_first", false], ["enforce_sorted", true]), cost: "none", output: packPadded }),
  defineOp({ name: "pack_sequence", namespaces: ["torch"], costName: "_pack_padded_sequence", signature: sig("sequences", ["enforce_sorted", true]), cost: "none", output: packSequence }),
  defineOp({
    name: "pad_packed_sequence",
    namespaces: ["torch"],
    costName: "_pad_packed_sequence",
    signature: sig("sequence", ["batch_first", false], ["padding_value", 0.0], ["total_length", null]),
    cost: "none",
    output: padPacked,
  }),
];

/** Tokens a PackedSequence holds (its data's first dim), for the RNN cost. */
export function packedSteps(p: readonly ArgValue[]): Dim {
  const data = p[0];
  return isTensor(data) && Array.isArray(data.shape) && data.shape.length > 0 ? data.shape[0] : unknown("an unknown PackedSequence");
}
