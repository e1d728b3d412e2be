// Joining and splitting: cat/concat/stack, chunk/split/tensor_split/unbind, narrow/select, Tensor.unfold windows.
import { add, equal, floorDiv, format, sub, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type Output, type TensorMeta } from "../types";
import {
  concreteInt,
  dimArg,
  failure,
  fmtList,
  intArg,
  intList,
  isBad,
  promote,
  pyTypeName,
  tensorOf,
  tensorShape,
  unknownTensor,
  wrapDim,
  type Failure,
  type Shape,
} from "./common";
import { defineOp } from "./define";
import type { OpRule } from "./rule";

type Known = TensorMeta & { readonly shape: Shape };

/** The tensors of a `tensors` argument, Unknown if one of them has an unknown shape. */
function tensorList(v: ArgValue, fname: string): Known[] | ReturnType<typeof unknown> | Failure {
  if (isUnknown(v)) return v;
  if (!Array.isArray(v)) {
    return failure(`${fname}(): argument 'tensors' (position 1) must be tuple of Tensors, not ${pyTypeName(v)}`, "bad-argument");
  }
  const out: Known[] = [];
  for (const t of v as readonly ArgValue[]) {
    if (isUnknown(t)) return t;
    if (!isTensor(t)) return failure(`expected Tensor as element ${out.length} in argument 0, but got ${pyTypeName(t)}`, "bad-argument");
    if (isUnknown(t.shape)) return t.shape;
    out.push(t as Known);
  }
  return out;
}

/** A concrete size is preferred over a symbolic one that must equal it. */
function pick(a: Dim, b: Dim): Dim {
  return typeof a !== "number" && typeof b === "number" ? b : a;
}

function catShape(args: Args): Output | Failure {
  const list = tensorList(args.tensors, "cat");
  if (isBad(list)) return isUnknown(list) ? unknownTensor(list.reason) : list;
  if (list.length === 0) return failure("torch.cat(): expected a non-empty list of Tensors");
  const dtype = promote(...list.map((t) => t.dtype));
  // legacy behaviour: 1-D empty tensors are skipped
  const used = list.map((t, i) => [t.shape, i] as const).filter(([s]) => !(s.length === 1 && s[0] === 0));
  if (used.length === 0) return tensorOf([0], dtype);
  const [first, firstIdx] = used[0];
  if (first.length === 0) return failure(`zero-dimensional tensor (at position ${firstIdx}) cannot be concatenated`);
  const d = dimArg(args.dim, first.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, dtype) : d;
  const out = [...first];
  for (const [s, i] of used.slice(1)) {
    if (s.length === 0) return failure(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
    if (s.length !== first.length) return failure(`Tensors must have same number of dimensions: got ${first.length} and ${s.length}`);
    for (let k = 0; k < s.length; k++) {
      if (k === d) continue;
      if (equal(first[k], s[k]) === false && typeof first[k] === "number" && typeof s[k] === "number") {
        return failure(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${format(first[k])} but got size ${format(s[k])} for tensor number ${i} in the list.`,
        );
      }
      out[k] = pick(out[k], s[k]);
    }
    out[d] = add(out[d], s[d]);
  }
  return tensorOf(out, dtype);
}

function stackShape(args: Args): Output | Failure {
  const list = tensorList(args.tensors, "stack");
  if (isBad(list)) return isUnknown(list) ? unknownTensor(list.reason) : list;
  if (list.length === 0) return failure("stack expects a non-empty TensorList");
  const first = list[0].shape;
  const out = [...first];
  for (let i = 1; i < list.length; i++) {
    const s = list[i].shape;
    const clash = s.length !== first.length || s.some((v, k) => equal(v, first[k]) === false && typeof v === "number");
    if (clash) {
      return failure(`stack expects each tensor to be equal size, but got ${fmtList(first)} at entry 0 and ${fmtList(s)} at entry ${i}`);
    }
    s.forEach((v, k) => (out[k] = pick(out[k], v)));
  }
  const d = concreteInt(args.dim, "dim");
  const dtype = promote(...list.map((t) => t.dtype));
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, dtype) : d;
  const w = wrapDim(d, first.length + 1, false);
  if (isBad(w)) return w;
  out.splice(w, 0, list.length);
  return tensorOf(out, dtype);
}

/** The input, its wrapped `dim` and that dim's size, for the splitting ops. */
function splitSetup(args: Args, fname: string) {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return x;
  if (x.shape.length === 0) return failure(`${fname} expects at least a 1-dimensional tensor`);
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return d;
  return { ...x, d, size: x.shape[d] };
}

/** More tensors than this in one split are not listed (the analysis stays within its budget). */
export const MAX_PIECES = 1 << 16;

function tooMany(fname: string, n: number): Output | undefined {
  return n > MAX_PIECES ? unknown(`${fname} into ${n} tensors is more than the analysis lists`) : undefined;
}

/** Pieces along `d` of the given sizes. */
function pieces(t: Known, d: number, sizes: readonly Dim[]): Output {
  return sizes.map((n) => tensorOf(
    t.shape.map((v, k) => (k === d ? n : v)),
    t.dtype,
  ));
}

function symbolicCount(fname: string, size: Dim): Output {
  return unknown(`${fname} of a dim of symbolic size ${format(size)} gives an unknown number of tensors`);
}

function chunkOutput(args: Args): Output | Failure {
  const s = splitSetup(args, "chunk");
  if (isBad(s)) return isUnknown(s) ? unknown(s.reason) : s;
  const chunks = concreteInt(args.chunks, "chunks");
  if (isBad(chunks)) return isUnknown(chunks) ? unknown(chunks.reason) : chunks;
  if (chunks <= 0) return failure(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  if (typeof s.size !== "number") return symbolicCount("chunk", s.size);
  const step = Math.ceil(s.size / chunks);
  const n = step === 0 ? chunks : Math.ceil(s.size / step);
  const many = tooMany("chunk", n);
  if (many) return many;
  if (step === 0) return pieces(s.t as Known, s.d, new Array<number>(chunks).fill(0));
  return pieces(s.t as Known, s.d, Array.from({ length: n }, (_, i) => (i < n - 1 ? step : s.size as number - step * (n - 1))));
}

function splitOutput(args: Args): Output | Failure {
  const s = splitSetup(args, "split");
  if (isBad(s)) return isUnknown(s) ? unknown(s.reason) : s;
  const arg = args.split_size_or_sections;
  if (Array.isArray(arg)) {
    const sizes = intList(arg, "split_sizes");
    if (isBad(sizes)) return isUnknown(sizes) ? unknown(sizes.reason) : sizes;
    const total = sizes.reduce<Dim>((acc, v) => add(acc, v), 0);
    if (equal(total, s.size) === false && typeof total === "number" && typeof s.size === "number") {
      return failure(
        `split_with_sizes expects split_sizes to sum exactly to ${format(s.size)} (input tensor's size at dimension ${typeof args.dim === "number" ? args.dim : s.d}), but got split_sizes=${fmtList(sizes)}`,
      );
    }
    return pieces(s.t as Known, s.d, sizes);
  }
  const size = concreteInt(arg, "split_size");
  if (isBad(size)) return isUnknown(size) ? unknown(size.reason) : size;
  if (size < 0) return failure(`split expects split_size be non-negative, but got split_size=${size}`);
  if (typeof s.size !== "number") return symbolicCount("split", s.size);
  if (size === 0 && s.size !== 0) {
    return failure(`split_size can only be 0 if dimension size is 0, but got dimension size of ${s.size}`);
  }
  const n = size === 0 ? 1 : Math.max(Math.ceil(s.size / size), 1);
  const many = tooMany("split", n);
  if (many) return many;
  return pieces(s.t as Known, s.d, Array.from({ length: n }, (_, i) => (i < n - 1 ? size : s.size as number - size * (n - 1))));
}

function tensorSplitOutput(args: Args): Output | Failure {
  const s = splitSetup(args, "tensor_split");
  if (isBad(s)) return isUnknown(s) ? unknown(s.reason) : s;
  if (typeof s.size !== "number") return symbolicCount("tensor_split", s.size);
  const size = s.size;
  const arg = args.indices_or_sections;
  if (Array.isArray(arg)) {
    const idx = intList(arg, "indices");
    if (isBad(idx)) return isUnknown(idx) ? unknown(idx.reason) : idx;
    if (idx.some((v) => typeof v !== "number")) return unknown("tensor_split at symbolic indices");
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    const bounds = [0, ...(idx as number[]).map(clamp), size];
    const sizes = bounds.slice(1).map((b, i) => Math.max(0, b - bounds[i]));
    return pieces(s.t as Known, s.d, sizes);
  }
  const n = concreteInt(arg, "sections");
  if (isBad(n)) return isUnknown(n) ? unknown(n.reason) : n;
  if (n <= 0) return failure(`number of sections must be larger than 0, got ${n}`);
  const many = tooMany("tensor_split", n);
  if (many) return many;
  const q = Math.floor(size / n);
  const r = size % n;
  return pieces(s.t as Known, s.d, Array.from({ length: n }, (_, i) => (i < r ? q + 1 : q)));
}

function unbindOutput(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "unbind");
  if (isBad(x)) return isUnknown(x) ? unknown(x.reason) : x;
  if (x.shape.length === 0) return failure("Dimension specified as 0 but tensor has no dimensions");
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknown(d.reason) : d;
  const size = x.shape[d];
  if (typeof size !== "number") return symbolicCount("unbind", size);
  const many = tooMany("unbind", size);
  if (many) return many;
  const row = tensorOf(
    x.shape.filter((_, k) => k !== d),
    x.t.dtype,
  );
  return new Array<Output>(size).fill(row);
}

function narrowShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "narrow");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (x.shape.length === 0) return failure("narrow() cannot be applied to a 0-dim tensor.");
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  const start = intArg(args.start, "start");
  const length = intArg(args.length, "length");
  if (isBad(start)) return isUnknown(start) ? unknownTensor(start.reason, x.t.dtype) : start;
  if (isBad(length)) return isUnknown(length) ? unknownTensor(length.reason, x.t.dtype) : length;
  const size = x.shape[d];
  const s0 = typeof start === "number" && start < 0 ? add(start, size) : start;
  const over = sub(add(s0, length), size);
  if (typeof over === "number" && over > 0) {
    return failure(`start (${format(s0)}) + length (${format(length)}) exceeds dimension size (${format(size)}).`);
  }
  return tensorOf(
    x.shape.map((v, k) => (k === d ? length : v)),
    x.t.dtype,
  );
}

/** Tensor.unfold(dimension, size, step): `dimension` holds (n - size) // step + 1 windows, a new last dim their `size`. */
function unfoldWindows(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "unfold");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const d = dimArg(args.dimension, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  const size = intArg(args.size, "size");
  const step = intArg(args.step, "step");
  if (isBad(size)) return isUnknown(size) ? unknownTensor(size.reason, x.t.dtype) : size;
  if (isBad(step)) return isUnknown(step) ? unknownTensor(step.reason, x.t.dtype) : step;
  const n: Dim = x.shape.length === 0 ? 1 : x.shape[d];
  const over = sub(size, n);
  if (typeof over === "number" && over > 0) return failure(`maximum size for tensor at dimension ${d} is ${format(n)} but size is ${format(size)}`);
  if (typeof step === "number" && step <= 0) return failure(`step is ${step} but must be > 0`);
  if (x.shape.length === 0) return tensorOf([size], x.t.dtype);
  const windows = add(floorDiv(sub(n, size), step), 1);
  return tensorOf([...x.shape.map((v, k) => (k === d ? windows : v)), size], x.t.dtype);
}

function selectShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "select");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (x.shape.length === 0) return failure("select() cannot be applied to a 0-dim tensor.");
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  const index = intArg(args.index, "index");
  if (isBad(index)) return isUnknown(index) ? unknownTensor(index.reason, x.t.dtype) : index;
  const size = x.shape[d];
  if (typeof index === "number" && typeof size === "number" && (index < -size || index >= size)) {
    return failure(`select(): index ${index} out of range for tensor of size ${fmtList(x.shape)} at dimension ${d}`);
  }
  return tensorOf(
    x.shape.filter((_, k) => k !== d),
    x.t.dtype,
  );
}

export const JOIN_OPS: readonly OpRule[] = [
  defineOp({ name: "cat", namespaces: ["torch"], aliases: ["concat", "concatenate"], signature: sig("tensors", ["dim", 0]), cost: "zero", output: catShape }),
  defineOp({ name: "stack", namespaces: ["torch"], signature: sig("tensors", ["dim", 0]), cost: "zero", output: stackShape }),
  defineOp({ name: "chunk", namespaces: ["torch", "method"], signature: sig("input", "chunks", ["dim", 0]), cost: "zero", output: chunkOutput }),
  defineOp({
    name: "split",
    namespaces: ["torch", "method"],
    signature: sig("input", "split_size_or_sections", ["dim", 0]),
    cost: "zero",
    output: splitOutput,
  }),
  defineOp({
    name: "tensor_split",
    namespaces: ["torch", "method"],
    signature: sig("input", "indices_or_sections", ["dim", 0]),
    cost: "zero",
    output: tensorSplitOutput,
  }),
  defineOp({ name: "unbind", namespaces: ["torch", "method"], signature: sig("input", ["dim", 0]), cost: "zero", output: unbindOutput }),
  defineOp({ name: "narrow", namespaces: ["torch", "method"], signature: sig("input", "dim", "start", "length"), cost: "zero", output: narrowShape }),
  defineOp({ name: "select", namespaces: ["torch", "method"], signature: sig("input", "dim", "index"), cost: "zero", output: selectShape }),
  defineOp({ name: "unfold", namespaces: ["method"], signature: sig("input", "dimension", "size", "step"), cost: "none", output: unfoldWindows }),
];
