// Less common tensor functions of custom forwards (cdist, outer, kron, diff, diag*, scatter*, index_*, cummax, tril_indices, ...): shapes; no FLOPs rule in spec v1.
import { add, mul, product, sub, type Dim } from "../dim";
import { sig, type Signature } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type DType, type Output, type TensorMeta } from "../types";
import { broadcastShapes } from "./broadcast";
import { concreteInt, dimArg, failure, isBad, pyTypeName, tensorOf, tensorShape, unknownTensor, wrapDim, type Failure, type Shape } from "./common";
import { defineOp } from "./define";
import { reducedShape } from "./reduce";
import type { OpNamespace, OpRule } from "./rule";

const TM: readonly OpNamespace[] = ["torch", "method"];
type Known = { readonly t: TensorMeta; readonly shape: Shape };
type Got = Known | Output | Failure;
const isKnown = (g: Got): g is Known => typeof g === "object" && g !== null && "t" in g && "shape" in g && !("kind" in g);

/** A tensor argument with a known shape, or what the op gives when it is not (unknown tensor / failure). */
function arg(args: Args, name: string, fname: string, dtype?: DType): Got {
  const x = tensorShape(args, name, fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason, dtype) : x;
  return x;
}

/** The tensors of a `*tensors` argument (a single list/tuple given is unpacked). */
function tensorList(v: ArgValue, fname: string): Known[] | Output | Failure {
  if (!Array.isArray(v)) return isUnknown(v) ? unknownTensor(v.reason) : failure(`${fname}(): expected tensors, not ${pyTypeName(v)}`, "bad-argument");
  let list = v as readonly ArgValue[];
  if (list.length === 1 && Array.isArray(list[0])) list = list[0] as readonly ArgValue[];
  const out: Known[] = [];
  for (const t of list) {
    if (isUnknown(t)) return unknownTensor(t.reason);
    if (!isTensor(t)) return failure(`${fname}(): expected Tensor as element ${out.length} in argument 0, but got ${pyTypeName(t)}`, "bad-argument");
    if (isUnknown(t.shape)) return unknownTensor(t.shape.reason);
    out.push({ t, shape: t.shape });
  }
  return out;
}

function op(name: string, namespaces: readonly OpNamespace[], signature: Signature, output: (a: Args) => Output | Failure): OpRule {
  return defineOp({ name, namespaces, signature, cost: "none", output });
}

/** cdist(x1 (..., P, M), x2 (..., R, M)) -> (..., P, R), batch dims broadcast. */
function cdist(a: Args): Output | Failure {
  const x = arg(a, "x1", "cdist");
  if (!isKnown(x)) return x;
  const y = arg(a, "x2", "cdist");
  if (!isKnown(y)) return y;
  if (x.shape.length < 2) return failure(`cdist only supports at least 2D tensors, X1 got: ${x.shape.length}D`);
  if (y.shape.length < 2) return failure(`cdist only supports at least 2D tensors, X2 got: ${y.shape.length}D`);
  const [m1, m2] = [x.shape[x.shape.length - 1], y.shape[y.shape.length - 1]];
  if (typeof m1 === "number" && typeof m2 === "number" && m1 !== m2) return failure(`X1 and X2 must have the same number of columns. X1: ${m1} X2: ${m2}`);
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
  if (isBad(batch)) return batch;
  return tensorOf([...batch, x.shape[x.shape.length - 2], y.shape[y.shape.length - 2]], x.t.dtype);
}

/** outer(a (n), b (m)) -> (n, m). */
function outer(a: Args): Output | Failure {
  const x = arg(a, "input", "outer");
  if (!isKnown(x)) return x;
  const y = arg(a, "vec2", "outer");
  if (!isKnown(y)) return y;
  if (x.shape.length !== 1) return failure(`outer: Expected 1-D argument self, but got ${x.shape.length}-D`);
  if (y.shape.length !== 1) return failure(`outer: Expected 1-D argument vec2, but got ${y.shape.length}-D`);
  return tensorOf([x.shape[0], y.shape[0]], x.t.dtype);
}

/** kron(a, b): ranks padded with leading 1s, sizes multiplied. */
function kron(a: Args): Output | Failure {
  const x = arg(a, "input", "kron");
  if (!isKnown(x)) return x;
  const y = arg(a, "other", "kron");
  if (!isKnown(y)) return y;
  const n = Math.max(x.shape.length, y.shape.length);
  const pad = (s: Shape): Dim[] => [...new Array<Dim>(n - s.length).fill(1), ...s];
  const [px, py] = [pad(x.shape), pad(y.shape)];
  return tensorOf(px.map((d, i) => mul(d, py[i])), x.t.dtype);
}

/** take_along_dim(input, indices, dim): without dim, the flattened input at the flattened indices. */
function takeAlongDim(a: Args): Output | Failure {
  const x = arg(a, "input", "take_along_dim");
  if (!isKnown(x)) return x;
  const idx = arg(a, "indices", "take_along_dim", x.t.dtype);
  if (!isKnown(idx)) return idx;
  if (a.dim === null || a.dim === undefined) return tensorOf([product(idx.shape)], x.t.dtype);
  if (x.shape.length !== idx.shape.length) {
    return failure(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x.shape.length} dimensions for input, and ${idx.shape.length} dimensions for indices`);
  }
  const d = dimArg(a.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  const others = broadcastShapes(x.shape.map((s, i) => (i === d ? 1 : s)), idx.shape.map((s, i) => (i === d ? 1 : s)));
  if (isBad(others)) return others;
  return tensorOf(others.map((s, i) => (i === d ? idx.shape[d] : s)), x.t.dtype);
}

/** diff(input, n, dim, prepend, append): the dim grows by what is prepended/appended, then shrinks by n (not below 0). */
function diff(a: Args): Output | Failure {
  const x = arg(a, "input", "diff");
  if (!isKnown(x)) return x;
  const d = dimArg(a.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  const n = concreteInt(a.n, "n");
  if (isBad(n)) return isUnknown(n) ? unknownTensor(n.reason, x.t.dtype) : n;
  let len: Dim = x.shape[d];
  for (const extra of [a.prepend, a.append]) {
    if (isTensor(extra)) {
      if (isUnknown(extra.shape)) return unknownTensor(extra.shape.reason, x.t.dtype);
      if (extra.shape.length !== x.shape.length) return failure("diff expects prepend or append to be the same dimension as input");
      const e: unknown = extra.shape[d];
      if (isUnknown(e)) return unknownTensor(e.reason, x.t.dtype);
      len = add(len, e as Dim);
    }
  }
  const out = sub(len, n);
  return tensorOf(x.shape.map((s, i) => (i === d ? (typeof out === "number" ? Math.max(0, out) : out) : s)), x.t.dtype);
}

/** block_diag(*tensors): 0-d as (1, 1), 1-D (n) as (1, n); the rows and the columns add up. */
function blockDiag(a: Args): Output | Failure {
  const ts = tensorList(a.tensors, "block_diag");
  if (!Array.isArray(ts)) return ts;
  let rows: Dim = 0;
  let cols: Dim = 0;
  for (const [i, t] of ts.entries()) {
    if (t.shape.length > 2) return failure(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.shape.length} dimensions`);
    const [r, c] = t.shape.length === 2 ? t.shape : t.shape.length === 1 ? [1, t.shape[0]] : [1, 1];
    rows = add(rows, r);
    cols = add(cols, c);
  }
  return tensorOf([rows, cols], ts[0]?.t.dtype ?? "float");
}

/** diag_embed(input, offset, dim1, dim2): the last dim (n) becomes two dims of n + |offset| at dim1 and dim2. */
function diagEmbed(a: Args): Output | Failure {
  const x = arg(a, "input", "diag_embed");
  if (!isKnown(x)) return x;
  const offset = concreteInt(a.offset, "offset");
  if (isBad(offset)) return isUnknown(offset) ? unknownTensor(offset.reason, x.t.dtype) : offset;
  const rank = x.shape.length + 1;
  const d1 = dimArg(a.dim1, rank);
  if (isBad(d1)) return isUnknown(d1) ? unknownTensor(d1.reason, x.t.dtype) : d1;
  const d2 = dimArg(a.dim2, rank);
  if (isBad(d2)) return isUnknown(d2) ? unknownTensor(d2.reason, x.t.dtype) : d2;
  if (d1 === d2) return failure(`diagonal dimensions cannot be identical ${String(a.dim1)}, ${String(a.dim2)}`);
  const n = add(x.shape[x.shape.length - 1], Math.abs(offset));
  const rest = x.shape.slice(0, -1);
  const out: Dim[] = [];
  for (let i = 0, j = 0; i < rank; i++) out.push(i === d1 || i === d2 ? n : rest[j++]);
  return tensorOf(out, x.t.dtype);
}

/** The length of a matrix diagonal with an offset (0 when it misses the matrix). */
function diagLen(r: Dim, c: Dim, offset: number): Dim {
  const len = offset >= 0 ? [r, sub(c, offset)] : [add(r, offset), c];
  if (typeof len[0] === "number" && typeof len[1] === "number") return Math.max(0, Math.min(len[0], len[1]));
  return len[0] === len[1] ? len[0] : unknown("a diagonal of symbolic length");
}

/** diagonal(input, offset, dim1, dim2): both dims removed, the diagonal's length appended. */
function diagonal(a: Args): Output | Failure {
  const x = arg(a, "input", "diagonal");
  if (!isKnown(x)) return x;
  const offset = concreteInt(a.offset, "offset");
  if (isBad(offset)) return isUnknown(offset) ? unknownTensor(offset.reason, x.t.dtype) : offset;
  const d1 = dimArg(a.dim1, x.shape.length);
  if (isBad(d1)) return isUnknown(d1) ? unknownTensor(d1.reason, x.t.dtype) : d1;
  const d2 = dimArg(a.dim2, x.shape.length);
  if (isBad(d2)) return isUnknown(d2) ? unknownTensor(d2.reason, x.t.dtype) : d2;
  if (d1 === d2) return failure(`diagonal dimensions cannot be identical ${String(a.dim1)}, ${String(a.dim2)}`);
  return tensorOf([...x.shape.filter((_, i) => i !== d1 && i !== d2), diagLen(x.shape[d1], x.shape[d2], offset)], x.t.dtype);
}

/** diag(input, diagonal): a vector becomes a square matrix, a matrix gives its diagonal. */
function diag(a: Args): Output | Failure {
  const x = arg(a, "input", "diag");
  if (!isKnown(x)) return x;
  const k = concreteInt(a.diagonal, "diagonal");
  if (isBad(k)) return isUnknown(k) ? unknownTensor(k.reason, x.t.dtype) : k;
  if (x.shape.length === 1) {
    const n = add(x.shape[0], Math.abs(k));
    return tensorOf([n, n], x.t.dtype);
  }
  if (x.shape.length === 2) return tensorOf([diagLen(x.shape[0], x.shape[1], k)], x.t.dtype);
  return failure("diag(): Supports 1D or 2D tensors. Got " + `${x.shape.length}D`);
}

/** scatter/scatter_add/scatter_reduce/index_add/index_copy/index_fill/masked_scatter: the input's shape. */
function sameAsInput(fname: string, indexRank: boolean) {
  return (a: Args): Output | Failure => {
    const x = arg(a, "input", fname);
    if (!isKnown(x)) return x;
    if (indexRank) {
      const idx = a.index;
      if (isTensor(idx) && !isUnknown(idx.shape) && idx.shape.length !== x.shape.length && !(idx.shape.length <= 1 && x.shape.length <= 1)) {
        return failure("Index tensor must have the same number of dimensions as self tensor");
      }
      const d = dimArg(a.dim, x.shape.length);
      if (isBad(d) && !isUnknown(d)) return d;
    }
    return tensorOf(x.shape, x.t.dtype);
  };
}

/** broadcast_tensors(*tensors): every tensor at the common broadcast shape. */
function broadcastTensors(a: Args): Output | Failure {
  const ts = tensorList(a.tensors, "broadcast_tensors");
  if (!Array.isArray(ts)) return ts;
  let shape: Dim[] = [];
  for (const t of ts) {
    const b = broadcastShapes(shape, t.shape);
    if (isBad(b)) return b;
    shape = b;
  }
  return ts.map((t) => tensorOf(shape, t.t.dtype));
}

/** tril_indices/triu_indices(row, col, offset): (2, number of positions in the triangle). */
function triIndices(lower: boolean) {
  return (a: Args): Output | Failure => {
    const [r, c, o] = [concreteInt(a.row, "row"), concreteInt(a.col, "col"), concreteInt(a.offset, "offset")];
    for (const v of [r, c, o]) if (isBad(v)) return isUnknown(v) ? unknownTensor(v.reason, "long") : v;
    if ((r as number) < 0) return failure(`row must be non-negative, got${r as number}`, "bad-argument");
    if ((c as number) < 0) return failure(`col must be non-negative, got${c as number}`, "bad-argument");
    if ((r as number) > 1e7) return unknownTensor("too many rows to count", "long");
    let count = 0;
    for (let i = 0; i < (r as number); i++) {
      // lower: j - i <= offset; upper: j - i >= offset
      const lo = lower ? 0 : Math.max(0, i + (o as number));
      const hi = lower ? Math.min(c as number, i + (o as number) + 1) : (c as number);
      count += Math.max(0, hi - lo);
    }
    return tensorOf([2, count], "long");
  };
}

/** cartesian_prod(*vectors): (prod n, k), or the vector itself for one input. */
function cartesianProd(a: Args): Output | Failure {
  const ts = tensorList(a.tensors, "cartesian_prod");
  if (!Array.isArray(ts)) return ts;
  if (ts.length === 0) return failure("cartesian_prod expects at least one tensor", "bad-argument");
  if (ts.some((t) => t.shape.length !== 1)) return failure("Expect a 1D vector, but got shape " + `[${ts.find((t) => t.shape.length !== 1)!.shape.join(", ")}]`);
  if (ts.length === 1) return tensorOf(ts[0].shape, ts[0].t.dtype);
  return tensorOf([product(ts.map((t) => t.shape[0])), ts.length], ts[0].t.dtype);
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** combinations(vector, r, with_replacement): (C(n, r), r), or C(n + r - 1, r) rows with replacement. */
function combinations(a: Args): Output | Failure {
  const x = arg(a, "input", "combinations");
  if (!isKnown(x)) return x;
  if (x.shape.length !== 1) return failure(`Expect a 1D vector, but got shape [${x.shape.join(", ")}]`);
  const r = concreteInt(a.r, "r");
  if (isBad(r)) return isUnknown(r) ? unknownTensor(r.reason, x.t.dtype) : r;
  const n = x.shape[0];
  if (typeof n !== "number") return unknownTensor("combinations of a symbolic number of items", x.t.dtype);
  if (r === 0) return tensorOf([0], x.t.dtype);
  if (r < 0) return failure(`Expect a non-negative number, but got ${r}`, "bad-argument");
  const rows = a.with_replacement === true ? binom(n + r - 1, r) : r > n ? 0 : binom(n, r);
  return tensorOf([Number.isSafeInteger(rows) ? rows : unknown("too many combinations"), r], x.t.dtype);
}

/** searchsorted(sorted, values) / bucketize(values, boundaries): long indices shaped as the values. */
function indicesLike(fname: string, param: string) {
  return (a: Args): Output | Failure => {
    const v = a[param];
    if (typeof v === "number") return tensorOf([], "long");
    const x = arg(a, param, fname);
    if (!isKnown(x)) return x;
    return tensorOf(x.shape, "long");
  };
}

/** A function of (input, dim) giving same-shaped (values, indices): cummax, cummin. */
function cumPair(fname: string) {
  return (a: Args): Output | Failure => {
    const x = arg(a, "input", fname);
    if (!isKnown(x)) return x;
    const d = wrapDim(typeof a.dim === "number" ? a.dim : 0, x.shape.length);
    if (isBad(d)) return d;
    return [tensorOf(x.shape, x.t.dtype), tensorOf(x.shape, "long")];
  };
}

/** pdist(input (N, M)) -> N(N - 1)/2 distances. */
function pdist(a: Args): Output | Failure {
  const x = arg(a, "input", "pdist");
  if (!isKnown(x)) return x;
  if (x.shape.length !== 2) return failure(`pdist only supports 2D tensors, got: ${x.shape.length}D`);
  const n = x.shape[0];
  const pairs = typeof n === "number" ? (n * (n - 1)) / 2 : NaN;
  return tensorOf([Number.isSafeInteger(pairs) ? pairs : unknown("pdist of a symbolic or huge count")], x.t.dtype);
}

/** Broadcasting binary functions (hypot, logaddexp, heaviside, cross): the broadcast shape. */
function binary(fname: string, other: string) {
  return (a: Args): Output | Failure => {
    const x = arg(a, "input", fname);
    if (!isKnown(x)) return x;
    const y = arg(a, other, fname);
    if (!isKnown(y)) return y;
    const b = broadcastShapes(x.shape, y.shape);
    return isBad(b) ? b : tensorOf(b, x.t.dtype);
  };
}

/** aminmax(input, dim, keepdim): (min, max) reduced. */
function aminmax(a: Args): Output | Failure {
  const x = arg(a, "input", "aminmax");
  if (!isKnown(x)) return x;
  const s = reducedShape(x.shape, a.dim, a.keepdim === true);
  if (isBad(s)) return isUnknown(s) ? unknownTensor(s.reason, x.t.dtype) : s;
  return [tensorOf(s, x.t.dtype), tensorOf(s, x.t.dtype)];
}

/** A reduction of one dim (trapz/trapezoid over `dim`), or of everything (trace, dist): the reduced shape. */
function reduceTo(fname: string, all: boolean) {
  return (a: Args): Output | Failure => {
    const x = arg(a, all ? "input" : "y", fname);
    if (!isKnown(x)) return x;
    if (all) return tensorOf([], x.t.dtype);
    const s = reducedShape(x.shape, typeof a.dim === "number" ? a.dim : -1, false);
    return isBad(s) ? (isUnknown(s) ? unknownTensor(s.reason, x.t.dtype) : s) : tensorOf(s, x.t.dtype);
  };
}

/** bincount(input, weights, minlength): 1-D, as long as the largest value + 1 (not known statically) or minlength. */
function bincount(a: Args): Output | Failure {
  const x = arg(a, "input", "bincount");
  if (!isKnown(x)) return x;
  if (x.shape.length !== 1) return failure("bincount only supports 1-d non-negative integral inputs.");
  if (x.t.dtype !== "long") return failure(`bincount only supports 1-d non-negative integral inputs.`);
  return tensorOf([unknown("bincount's length depends on the largest value")], isTensor(a.weights) ? "float" : "long");
}

const TWO = (x: string, y: string) => sig(x, y);

export const EXTRA_OPS: readonly OpRule[] = [
  op("cdist", ["torch"], sig("x1", "x2", ["p", 2.0], ["compute_mode", null]), cdist),
  op("outer", TM, TWO("input", "vec2"), outer),
  op("ger", TM, TWO("input", "vec2"), outer),
  op("kron", TM, TWO("input", "other"), kron),
  op("take_along_dim", TM, sig("input", "indices", ["dim", null]), takeAlongDim),
  op("diff", TM, sig("input", ["n", 1], ["dim", -1], ["prepend", null], ["append", null]), diff),
  op("block_diag", ["torch"], { params: [], varargs: "tensors" }, blockDiag),
  op("diag_embed", TM, sig("input", ["offset", 0], ["dim1", -2], ["dim2", -1]), diagEmbed),
  op("diagonal", TM, sig("input", ["offset", 0], ["dim1", 0], ["dim2", 1]), diagonal),
  op("diag", TM, sig("input", ["diagonal", 0]), diag),
  op("trace", TM, sig("input"), reduceTo("trace", true)),
  op("dist", TM, sig("input", "other", ["p", 2]), reduceTo("dist", true)),
  op("trapz", ["torch"], { params: [{ name: "y" }, { name: "x", default: null }], kwOnly: [{ name: "dx", default: null }, { name: "dim", default: -1 }] }, reduceTo("trapz", false)),
  op("trapezoid", ["torch"], { params: [{ name: "y" }, { name: "x", default: null }], kwOnly: [{ name: "dx", default: null }, { name: "dim", default: -1 }] }, reduceTo("trapezoid", false)),
  op("scatter", TM, { ...sig("input", "dim", "index", ["src", null]), kwOnly: [{ name: "value", default: null }, { name: "reduce", default: null }] }, sameAsInput("scatter", true)),
  op("scatter_add", TM, sig("input", "dim", "index", "src"), sameAsInput("scatter_add", true)),
  op("scatter_reduce", TM, { ...sig("input", "dim", "index", "src", "reduce"), kwOnly: [{ name: "include_self", default: true }] }, sameAsInput("scatter_reduce", true)),
  op("index_add", TM, { ...sig("input", "dim", "index", "source"), kwOnly: [{ name: "alpha", default: 1 }] }, sameAsInput("index_add", false)),
  op("index_copy", TM, sig("input", "dim", "index", "source"), sameAsInput("index_copy", false)),
  op("index_fill", TM, sig("input", "dim", "index", "value"), sameAsInput("index_fill", false)),
  op("masked_scatter", TM, sig("input", "mask", "source"), sameAsInput("masked_scatter", false)),
  op("renorm", TM, sig("input", "p", "dim", "maxnorm"), sameAsInput("renorm", false)),
  op("logcumsumexp", TM, sig("input", "dim"), sameAsInput("logcumsumexp", false)),
  op("broadcast_tensors", ["torch"], { params: [], varargs: "tensors" }, broadcastTensors),
  op("tril_indices", ["torch"], { ...sig("row", "col", ["offset", 0]), varkw: true }, triIndices(true)),
  op("triu_indices", ["torch"], { ...sig("row", "col", ["offset", 0]), varkw: true }, triIndices(false)),
  op("cartesian_prod", ["torch"], { params: [], varargs: "tensors" }, cartesianProd),
  op("combinations", ["torch"], sig("input", ["r", 2], ["with_replacement", false]), combinations),
  op("searchsorted", ["torch"], { ...sig("sorted_sequence", "input"), kwOnly: [{ name: "out_int32", default: false }, { name: "right", default: false }, { name: "side", default: null }, { name: "sorter", default: null }] }, indicesLike("searchsorted", "input")),
  op("bucketize", ["torch"], { ...sig("input", "boundaries"), kwOnly: [{ name: "out_int32", default: false }, { name: "right", default: false }] }, indicesLike("bucketize", "input")),
  op("bincount", TM, sig("input", ["weights", null], ["minlength", 0]), bincount),
  op("cummax", TM, sig("input", "dim"), cumPair("cummax")),
  op("cummin", TM, sig("input", "dim"), cumPair("cummin")),
  op("pdist", ["torch", "F"], sig("input", ["p", 2]), pdist),
  op("hypot", TM, TWO("input", "other"), binary("hypot", "other")),
  op("logaddexp", TM, TWO("input", "other"), binary("logaddexp", "other")),
  op("heaviside", TM, TWO("input", "values"), binary("heaviside", "values")),
  op("cross", TM, sig("input", "other", ["dim", null]), binary("cross", "other")),
  op("aminmax", TM, { params: [{ name: "input" }], kwOnly: [{ name: "dim", default: null }, { name: "keepdim", default: false }] }, aminmax),
];
