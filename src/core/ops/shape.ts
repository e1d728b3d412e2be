// View-like ops: view/reshape (one -1 inferred), flatten/unflatten, permute/transpose/t/movedim, squeeze/unsqueeze.
import { equal, floorDiv, format, mul, product, type Dim } from "../dim";
import { sig, type Signature } from "../signature";
import { isUnknown, unknown, type ArgValue, type Args, type Output, type Unknown } from "../types";
import {
  concreteInt,
  dimArg,
  dtypeFromArg,
  failure,
  fmtList,
  intList,
  isBad,
  sizesFromVarargs,
  tensorOf,
  tensorShape,
  unknownTensor,
  wrapDim,
  type Failure,
} from "./common";
import { defineOp } from "./define";
import { permutedStrides, VIEW_STRIDE_ERROR, viewStrides, withStrides } from "./strides";
import type { OpNamespace, OpRule } from "./rule";

/** `x.view(*shape)`-style signature: the tensor, then the sizes collected as varargs. */
export function varargsSig(name: string): Signature {
  return { params: [{ name: "input" }], varargs: name, kwOnly: [{ name, default: [] }] };
}

/** a / b when it is exact (decidably), else Unknown. */
function exactDiv(a: Dim, b: Dim): Dim {
  const q = floorDiv(a, b);
  if (isUnknown(q)) return q;
  return equal(mul(q, b), a) === true ? q : unknown(`cannot tell whether ${format(b)} divides ${format(a)}`);
}

/** PyTorch's infer_size: resolve one -1 so the sizes hold `numel` elements. */
export function inferSize(sizes: readonly Dim[], numel: Dim): Dim[] | Failure {
  let infer = -1;
  let known: Dim = 1;
  for (let i = 0; i < sizes.length; i++) {
    const d = sizes[i];
    if (d === -1) {
      if (infer >= 0) return failure("only one dimension can be inferred");
      infer = i;
    } else if (typeof d === "number" && d < 0) {
      return failure(`invalid shape dimension ${d}`);
    } else known = mul(known, d);
  }
  const invalid = () => failure(`shape '${fmtList(sizes)}' is invalid for input of size ${format(numel)}`);
  const out = [...sizes];
  if (typeof numel === "number" && typeof known === "number") {
    if (infer < 0) return numel === known ? out : invalid();
    if (known === 0) {
      return numel === 0
        ? failure(
            `cannot reshape tensor of 0 elements into shape ${fmtList(sizes)} because the unspecified dimension size -1 can be any value and is ambiguous`,
          )
        : invalid();
    }
    if (numel % known !== 0) return invalid();
    out[infer] = numel / known;
    return out;
  }
  if (infer < 0) return equal(numel, known) === false ? invalid() : out;
  out[infer] = exactDiv(numel, known);
  return out;
}

function reshapeTo(fname: string, args: Args, sizes: Dim[] | Unknown | Failure): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (isBad(sizes)) return isUnknown(sizes) ? unknownTensor(sizes.reason, x.t.dtype) : sizes;
  const r = inferSize(sizes, product(x.shape));
  if (isBad(r)) return r;
  // view keeps the memory: a transposed tensor cannot always be viewed (reshape copies instead)
  const strides = viewStrides(x.t, r);
  if (strides === null && (fname === "view" || fname === "view_as")) return failure(VIEW_STRIDE_ERROR);
  return withStrides(tensorOf(r, x.t.dtype), strides ?? undefined);
}

/** x.view(dtype) reinterprets the data: the shape is kept (for dtypes of the same size). */
function viewSizes(v: ArgValue): Dim[] | Unknown | Failure | "dtype" {
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return "dtype";
  return sizesFromVarargs(v, "shape");
}

function viewRule(name: string): OpRule {
  return defineOp({
    name,
    namespaces: ["method"],
    signature: varargsSig("shape"),
    cost: "zero",
    output(args) {
      const sizes = viewSizes(args.shape);
      if (sizes === "dtype") {
        const x = tensorShape(args, "input", name);
        if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
        return tensorOf(x.shape, dtypeFromArg((args.shape as readonly ArgValue[])[0]) ?? x.t.dtype);
      }
      return reshapeTo(name, args, sizes);
    },
  });
}

/** view_as / reshape_as: the other tensor's shape. */
function asRule(name: string): OpRule {
  return defineOp({
    name,
    namespaces: ["method"],
    signature: sig("input", "other"),
    cost: "zero",
    output(args) {
      const o = tensorShape(args, "other", name);
      return reshapeTo(name, args, isBad(o) ? o : [...o.shape]);
    },
  });
}

function flattenShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "flatten");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const rank = x.shape.length;
  const s = dimArg(args.start_dim, rank, "start_dim");
  const e = dimArg(args.end_dim, rank, "end_dim");
  if (isBad(s)) return isUnknown(s) ? unknownTensor(s.reason, x.t.dtype) : s;
  if (isBad(e)) return isUnknown(e) ? unknownTensor(e.reason, x.t.dtype) : e;
  if (s > e) return failure("flatten() has invalid args: start_dim cannot come after end_dim");
  if (rank === 0) return tensorOf([1], x.t.dtype);
  const shape = [...x.shape.slice(0, s), product(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return tensorOf(shape, x.t.dtype);
}

function unflattenShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "unflatten");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (x.shape.length === 0) return failure("Dimension specified as 0 but tensor has no dimensions");
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  const sizes = intList(args.sizes, "sizes");
  if (isBad(sizes)) return isUnknown(sizes) ? unknownTensor(sizes.reason, x.t.dtype) : sizes;
  if (sizes.length === 0) return failure("unflatten: sizes must be non-empty");
  const r = inferSize(sizes, x.shape[d]);
  if (isBad(r)) {
    return failure(
      `unflatten: Provided sizes ${fmtList(sizes)} don't multiply up to the size of dim ${d} (${format(x.shape[d])}) in the input tensor`,
    );
  }
  return tensorOf([...x.shape.slice(0, d), ...r, ...x.shape.slice(d + 1)], x.t.dtype);
}

function permuteShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "permute");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const dims = sizesFromVarargs(args.dims, "dims");
  if (isBad(dims)) return isUnknown(dims) ? unknownTensor(dims.reason, x.t.dtype) : dims;
  const rank = x.shape.length;
  if (dims.length !== rank) {
    return failure(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${rank} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const perm: number[] = [];
  for (const v of dims) {
    const w = dimArg(v, rank);
    if (isBad(w)) return isUnknown(w) ? unknownTensor(w.reason, x.t.dtype) : w;
    if (perm.includes(w)) return failure("permute(): duplicate dims are not allowed.");
    perm.push(w);
  }
  return withStrides(
    tensorOf(
      perm.map((p) => x.shape[p]),
      x.t.dtype,
    ),
    permutedStrides(x.t, perm),
  );
}

function transposeShape(fname: string, a: string, b: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const rank = x.shape.length;
  const d0 = dimArg(args[a], rank);
  const d1 = dimArg(args[b], rank);
  if (isBad(d0)) return isUnknown(d0) ? unknownTensor(d0.reason, x.t.dtype) : d0;
  if (isBad(d1)) return isUnknown(d1) ? unknownTensor(d1.reason, x.t.dtype) : d1;
  if (rank === 0) return tensorOf([], x.t.dtype);
  const shape = [...x.shape];
  [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  const perm = shape.map((_, i) => (i === d0 ? d1 : i === d1 ? d0 : i));
  return withStrides(tensorOf(shape, x.t.dtype), permutedStrides(x.t, perm));
}

function tShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "t");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (x.shape.length > 2) return failure(`t() expects a tensor with <= 2 dimensions, but self is ${x.shape.length}D`);
  return withStrides(tensorOf([...x.shape].reverse(), x.t.dtype), permutedStrides(x.t, x.shape.map((_, i) => x.shape.length - 1 - i)));
}

/** The attributes x.T (all dims reversed) and x.mT (the last two swapped). */
function attrTranspose(name: "T" | "mT", args: Args): Output | Failure {
  const x = tensorShape(args, "input", name);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const s = [...x.shape];
  const perm = s.map((_, i) => i);
  if (name === "T") return withStrides(tensorOf(s.reverse(), x.t.dtype), permutedStrides(x.t, perm.reverse()));
  if (s.length === 1) return failure("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.");
  if (s.length >= 2) {
    const n = s.length;
    [s[n - 2], s[n - 1]] = [s[n - 1], s[n - 2]];
    [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  }
  return withStrides(tensorOf(s, x.t.dtype), permutedStrides(x.t, perm));
}

function movedimShape(fname: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const rank = x.shape.length;
  const read = (v: ArgValue): number[] | Unknown | Failure => {
    const list = intList(v, "dims");
    if (isBad(list)) return list;
    const out: number[] = [];
    for (const d of list) {
      const w = dimArg(d, rank);
      if (isBad(w)) return w;
      out.push(w);
    }
    return out;
  };
  const src = read(args.source);
  const dst = read(args.destination);
  if (isBad(src)) return isUnknown(src) ? unknownTensor(src.reason, x.t.dtype) : src;
  if (isBad(dst)) return isUnknown(dst) ? unknownTensor(dst.reason, x.t.dtype) : dst;
  if (src.length !== dst.length) {
    return failure(
      `movedim: Invalid source or destination dims: source (${fmtList(src)} dims) should contain the same number of dims as destination (${fmtList(dst)} dims)`,
    );
  }
  if (new Set(src).size !== src.length) return failure(`movedim: repeated dim in \`source\` (${fmtList(src)})`);
  if (new Set(dst).size !== dst.length) return failure(`movedim: repeated dim in \`destination\` (${fmtList(dst)})`);
  if (rank === 0) return tensorOf([], x.t.dtype);
  const perm: (number | undefined)[] = new Array<number | undefined>(rank).fill(undefined);
  src.forEach((s, i) => (perm[dst[i]] = s));
  const rest = Array.from({ length: rank }, (_, i) => i).filter((i) => !src.includes(i));
  const full = perm.map((p) => (p !== undefined ? p : (rest.shift() as number)));
  return withStrides(
    tensorOf(
      full.map((p) => x.shape[p]),
      x.t.dtype,
    ),
    permutedStrides(x.t, full),
  );
}

/** squeeze(dim=None): drops size-1 dims (only those; a dim of another size is kept). */
function squeezeShape(fname: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const rank = x.shape.length;
  // symbolic sizes are taken to be other than 1; a size not known at all may be 1
  const unsure = (d: Dim) => (isUnknown(d) ? unknownTensor(`${fname}() of a dim of unknown size`, x.t.dtype) : undefined);
  if (args.dim === null || args.dim === undefined) {
    for (const d of x.shape) if (unsure(d)) return unsure(d) as Output;
    return tensorOf(
      x.shape.filter((d) => d !== 1),
      x.t.dtype,
    );
  }
  const list = intList(args.dim, "dim");
  if (isBad(list)) return isUnknown(list) ? unknownTensor(list.reason, x.t.dtype) : list;
  const drop = new Set<number>();
  for (const d of list) {
    const w = dimArg(d, rank);
    if (isBad(w)) return isUnknown(w) ? unknownTensor(w.reason, x.t.dtype) : w;
    if (rank > 0 && unsure(x.shape[w])) return unsure(x.shape[w]) as Output;
    if (rank > 0 && x.shape[w] === 1) drop.add(w);
  }
  return tensorOf(
    x.shape.filter((_, i) => !drop.has(i)),
    x.t.dtype,
  );
}

function unsqueezeShape(fname: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const d = concreteInt(args.dim, "dim");
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  const w = wrapDim(d, x.shape.length + 1, false);
  if (isBad(w)) return w;
  const shape = [...x.shape];
  shape.splice(w, 0, 1);
  return tensorOf(shape, x.t.dtype);
}

function rule(name: string, namespaces: readonly OpNamespace[], signature: Signature, output: (a: Args) => Output | Failure): OpRule {
  return defineOp({ name, namespaces, signature, cost: "zero", output });
}

const TM: readonly OpNamespace[] = ["torch", "method"];

export const SHAPE_OPS: readonly OpRule[] = [
  viewRule("view"),
  viewRule("reshape"),
  rule("reshape", ["torch"], sig("input", "shape"), (a) => reshapeTo("reshape", a, sizesFromVarargs(a.shape, "shape"))),
  asRule("view_as"),
  asRule("reshape_as"),
  rule("flatten", TM, sig("input", ["start_dim", 0], ["end_dim", -1]), flattenShape),
  rule("unflatten", TM, sig("input", "dim", "sizes"), unflattenShape),
  rule("permute", ["torch"], sig("input", "dims"), permuteShape),
  rule("permute", ["method"], varargsSig("dims"), permuteShape),
  rule("transpose", TM, sig("input", "dim0", "dim1"), (a) => transposeShape("transpose", "dim0", "dim1", a)),
  rule("swapdims", TM, sig("input", "dim0", "dim1"), (a) => transposeShape("swapdims", "dim0", "dim1", a)),
  rule("swapaxes", TM, sig("input", "axis0", "axis1"), (a) => transposeShape("swapaxes", "axis0", "axis1", a)),
  rule("t", TM, sig("input"), tShape),
  rule("T", ["method"], sig("input"), (a) => attrTranspose("T", a)),
  rule("mT", ["method"], sig("input"), (a) => attrTranspose("mT", a)),
  rule("movedim", TM, sig("input", "source", "destination"), (a) => movedimShape("movedim", a)),
  rule("moveaxis", TM, sig("input", "source", "destination"), (a) => movedimShape("moveaxis", a)),
  rule("squeeze", TM, sig("input", ["dim", null]), (a) => squeezeShape("squeeze", a)),
  rule("squeeze_", ["method"], sig("input", ["dim", null]), (a) => squeezeShape("squeeze_", a)),
  rule("unsqueeze", TM, sig("input", "dim"), (a) => unsqueezeShape("unsqueeze", a)),
  rule("unsqueeze_", ["method"], sig("input", "dim"), (a) => unsqueezeShape("unsqueeze_", a)),
];

