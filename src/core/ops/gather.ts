// Index-driven ops: gather, index_select, masked_select, and the meshgrid of coordinate vectors.
import { type Dim } from "../dim";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type Output, type TensorMeta } from "../types";
import { dimArg, failure, fmtList, isBad, pyTypeName, tensorOf, tensorShape, unknownTensor, type Failure, type Shape } from "./common";
import { broadcastShapes } from "./broadcast";
import { defineOp } from "./define";
import type { OpRule } from "./rule";
import { sig } from "../signature";

/** input.gather(dim, index): the index's shape; it has input's rank and is no larger apart from `dim`. */
function gatherShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "gather");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const idx = tensorShape(args, "index", "gather");
  if (isBad(idx)) return isUnknown(idx) ? unknownTensor(idx.reason, x.t.dtype) : idx;
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  if (idx.t.dtype !== "long") return failure("gather(): Expected dtype int64 for index");
  // a 0-dim input or index counts as 1-D here
  const xs = x.shape.length === 0 ? [1] : x.shape;
  const is = idx.shape.length === 0 ? [1] : idx.shape;
  if (xs.length !== is.length) return failure("Index tensor must have the same number of dimensions as input tensor");
  for (let k = 0; k < xs.length; k++) {
    const [a, b] = [is[k], xs[k]];
    if (k !== d && typeof a === "number" && typeof b === "number" && a > b) {
      return failure(`Size does not match at dimension ${k} expected index ${fmtList(idx.shape)} to be smaller than self ${fmtList(x.shape)} apart from dimension ${d}`);
    }
  }
  return tensorOf(idx.shape, x.t.dtype);
}

/** index_select(input, dim, index): `dim` becomes the length of the (0-dim or 1-D) index. */
function indexSelectShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "index_select");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const idx = tensorShape(args, "index", "index_select");
  if (isBad(idx)) return isUnknown(idx) ? unknownTensor(idx.reason, x.t.dtype) : idx;
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  if (idx.shape.length > 1) return failure("index_select(): Index is supposed to be a vector");
  if (idx.t.dtype !== "long") return failure("index_select(): Expected dtype int32 or int64 for index");
  if (x.shape.length === 0) return tensorOf([], x.t.dtype);
  const out = [...x.shape];
  out[d] = idx.shape.length === 0 ? 1 : idx.shape[0];
  return tensorOf(out, x.t.dtype);
}

/** masked_select(input, mask): 1-D, as long as the number of True values (not known statically). */
function maskedSelectShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "masked_select");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const m = tensorShape(args, "mask", "masked_select");
  if (isBad(m)) return isUnknown(m) ? unknownTensor(m.reason, x.t.dtype) : m;
  const b = broadcastShapes(x.shape, m.shape);
  if (isBad(b)) return b;
  return tensorOf([unknown("the number of True values in a mask")], x.t.dtype);
}

/** torch.meshgrid(*tensors, indexing): each output has one dim per (0-dim or 1-D) input; 'xy' swaps the first two. */
function meshgridShape(args: Args): Output | Failure {
  const raw = args.tensors;
  if (!Array.isArray(raw)) return isUnknown(raw) ? unknownTensor(raw.reason) : failure(`meshgrid(): expected tensors, not ${pyTypeName(raw)}`, "bad-argument");
  let list = raw as readonly ArgValue[];
  if (list.length === 1 && Array.isArray(list[0])) list = list[0] as readonly ArgValue[];
  if (list.length === 0) return failure("meshgrid expects a non-empty TensorList");
  const ts: (TensorMeta & { readonly shape: Shape })[] = [];
  for (const t of list) {
    if (isUnknown(t)) return unknownTensor(t.reason);
    if (!isTensor(t)) return failure(`meshgrid(): argument 'tensors' must be tuple of Tensors, not ${pyTypeName(t)}`, "bad-argument");
    if (isUnknown(t.shape)) return unknownTensor(t.shape.reason);
    ts.push(t as TensorMeta & { readonly shape: Shape });
  }
  if (ts.some((t) => t.dtype !== ts[0].dtype)) return failure("meshgrid expects all tensors to have the same dtype");
  const bad = ts.find((t) => t.shape.length > 1);
  if (bad) return failure(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${bad.shape.length}D`);
  const indexing = args.indexing ?? "ij";
  if (indexing !== "ij" && indexing !== "xy") {
    return failure(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`, "bad-argument");
  }
  const sizes: Dim[] = ts.map((t) => (t.shape.length === 0 ? 1 : t.shape[0]));
  if (indexing === "xy" && sizes.length >= 2) [sizes[0], sizes[1]] = [sizes[1], sizes[0]];
  return ts.map((t) => tensorOf(sizes, t.dtype));
}

export const GATHER_OPS: readonly OpRule[] = [
  defineOp({ name: "gather", namespaces: ["torch", "method"], signature: { ...sig("input", "dim", "index"), kwOnly: [{ name: "sparse_grad", default: false }] }, cost: "none", output: gatherShape }),
  defineOp({ name: "index_select", namespaces: ["torch", "method"], signature: sig("input", "dim", "index"), cost: "zero", output: indexSelectShape }),
  defineOp({ name: "masked_select", namespaces: ["torch", "method"], signature: sig("input", "mask"), cost: "none", output: maskedSelectShape }),
  defineOp({ name: "meshgrid", namespaces: ["torch"], signature: { params: [], varargs: "tensors", kwOnly: [{ name: "indexing", default: null }] }, cost: "none", output: meshgridShape }),
];
