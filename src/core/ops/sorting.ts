// Sorting and selection along a dim: topk, sort, argsort, kthvalue, median, mode ((values, indices) pairs).
import type { Dim } from "../dim";
import { sig } from "../signature";
import { isUnknown, type Args, type DType, type Output } from "../types";
import { dimArg, failure, intArg, isBad, tensorOf, tensorShape, unknownTensor, type Failure } from "./common";
import { defineOp } from "./define";
import { reducedShape } from "./reduce";
import type { OpNamespace, OpRule } from "./rule";

const TM: readonly OpNamespace[] = ["torch", "method"];

/** The input's shape and its wrapped `dim`, or the op's result when either is not known. */
interface Picked {
  readonly picked: true;
  readonly shape: Dim[];
  readonly dim: number;
  readonly dtype: DType;
}

function shapeAndDim(fname: string, args: Args): Picked | Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason, x.t.dtype) : d;
  return { picked: true, shape: [...x.shape], dim: x.shape.length === 0 ? 0 : d, dtype: x.t.dtype };
}

const isPicked = (v: Picked | Output | Failure): v is Picked => typeof v === "object" && v !== null && "picked" in v;

/** torch.topk: the `dim` axis becomes k (values, indices). */
const TOPK = defineOp({
  name: "topk",
  namespaces: TM,
  signature: sig("input", "k", ["dim", -1], ["largest", true], ["sorted", true]),
  cost: "none",
  output(args) {
    const p = shapeAndDim("topk", args);
    if (!isPicked(p)) return p;
    const k = intArg(args.k, "k");
    if (isBad(k)) return isUnknown(k) ? unknownTensor(k.reason, p.dtype) : k;
    const size = p.shape.length === 0 ? 1 : p.shape[p.dim];
    if (typeof k === "number" && (k < 0 || (typeof size === "number" && k > size))) return failure("selected index k out of range");
    const shape = p.shape.length === 0 ? [] : p.shape.map((s, i) => (i === p.dim ? k : s));
    return [tensorOf(shape, p.dtype), tensorOf(shape, "long")];
  },
});

/** sort keeps the shape (values, indices); argsort only the indices. */
function sortOp(name: "sort" | "argsort"): OpRule {
  return defineOp({
    name,
    namespaces: TM,
    signature: { ...sig("input", ["dim", -1], ["descending", false]), kwOnly: [{ name: "stable", default: false }] },
    cost: "none",
    output(args) {
      const p = shapeAndDim(name, args);
      if (!isPicked(p)) return p;
      return name === "sort" ? [tensorOf(p.shape, p.dtype), tensorOf(p.shape, "long")] : tensorOf(p.shape, "long");
    },
  });
}

/** kthvalue/median/mode over `dim`: reduced (values, indices); median without dim is a 0-d tensor. */
function pickOp(name: "kthvalue" | "median" | "mode"): OpRule {
  const params = name === "kthvalue" ? sig("input", "k", ["dim", -1], ["keepdim", false])
    : sig("input", ["dim", name === "mode" ? -1 : null], ["keepdim", false]);
  return defineOp({
    name,
    namespaces: TM,
    signature: params,
    cost: "none",
    output(args) {
      const x = tensorShape(args, "input", name);
      if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
      if (name === "median" && (args.dim === null || args.dim === undefined)) return tensorOf([], x.t.dtype);
      const s = reducedShape(x.shape, args.dim, args.keepdim === true);
      if (isBad(s)) return isUnknown(s) ? unknownTensor(s.reason, x.t.dtype) : s;
      return [tensorOf(s, x.t.dtype), tensorOf(s, "long")];
    },
  });
}

export const SORTING_OPS: readonly OpRule[] = [TOPK, sortOp("sort"), sortOp("argsort"), pickOp("kthvalue"), pickOp("median"), pickOp("mode")];
