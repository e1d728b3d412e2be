// Reductions over dims: sum/mean (costed), amax/amin/max/min/argmax/argmin/prod/std/var/std_mean/var_mean/logsumexp/norm/all/any.
import { type Dim } from "../dim";
import { sig, type Signature } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type CostOrUnknown, type DType, type Output } from "../types";
import { broadcastShapes } from "./broadcast";
import { failure, intList, isBad, promote, tensorOf, tensorShape, unknownTensor, wrapDim, type Failure, type Shape } from "./common";
import { defineOp, fromDims, numel, type CostSpec } from "./define";
import type { OpNamespace, OpRule } from "./rule";

/** The reduced shape: `dim` None (or an empty list) reduces all dims; keepdim leaves 1s. */
export function reducedShape(shape: Shape, dim: ArgValue, keepdim: boolean): Dim[] | ReturnType<typeof unknown> | Failure {
  const rank = shape.length;
  let dims: number[];
  if (dim === null || dim === undefined || (Array.isArray(dim) && dim.length === 0)) {
    dims = shape.map((_, i) => i);
  } else {
    const list = intList(dim, "dim");
    if (isBad(list)) return list;
    dims = [];
    for (const d of list) {
      if (typeof d !== "number") return unknown("a reduction over a symbolic dim");
      const w = wrapDim(d, rank);
      if (isBad(w)) return w;
      if (dims.includes(w)) return failure(`dim ${w} appears multiple times in the list of dims`);
      dims.push(w);
    }
  }
  if (rank === 0) return [];
  return keepdim ? shape.map((s, i) => (dims.includes(i) ? 1 : s)) : shape.filter((_, i) => !dims.includes(i));
}

type OutDtype = (input: DType, args: Args) => DType;

function reduceOutput(fname: string, args: Args, dtype: OutDtype, withIndices: boolean): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const dt = dtype(x.t.dtype, args);
  const s = reducedShape(x.shape, args.dim, args.keepdim === true);
  if (isBad(s)) return isUnknown(s) ? unknownTensor(s.reason, dt) : s;
  if (withIndices) return [tensorOf(s, dt), tensorOf(s, "long")];
  return { ...tensorOf(s, dt), ...constantContent(fname, x.t.values, s, dt) };
}

/** sum/prod of a whole constant integer tensor (`torch.tensor(img_shape).prod()`) keep the exact result as its content. */
function constantContent(fname: string, values: readonly number[] | undefined, s: Dim[], dt: DType): { values?: number[] } {
  if (!values || dt !== "long" || s.length !== 0 || (fname !== "sum" && fname !== "prod")) return {};
  const r = values.reduce((a, b) => (fname === "sum" ? a + b : a * b), fname === "sum" ? 0 : 1);
  return Number.isSafeInteger(r) ? { values: [r] } : {};
}

/** The input's and the output's element counts, for the reduction costs. */
function counts(args: Args, out: Output, f: (i: number, o: number) => number): CostOrUnknown {
  const x = args.input;
  if (!isTensor(x) || !isTensor(out)) return unknown("FLOPs unknown: shape unknown");
  return fromDims([numel(x.shape), numel(out.shape)], ([i, o]) => {
    const n = Math.floor(i / Math.max(o, 1));
    return [0, f(n, o)];
  });
}

/** mean costs like an average pool: n per output element; sum n − 1 (spec §3). */
const MEAN_COST: CostSpec = (args, out) => counts(args, out, (n, o) => o * n);
const SUM_COST: CostSpec = (args, out) => counts(args, out, (n, o) => o * (n - 1));

const keep: OutDtype = (d) => d;
const sumDtype: OutDtype = (d) => (d === "bool" ? "long" : d);

function meanOutput(args: Args): Output | Failure {
  const x = args.input;
  if (isTensor(x) && x.dtype !== "float" && (args.dtype === null || args.dtype === undefined)) {
    const got = x.dtype === "long" ? "Long" : "Bool";
    return failure(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${got}`,
    );
  }
  return reduceOutput("mean", args, () => "float", false);
}

const TM: readonly OpNamespace[] = ["torch", "method"];
const DIM_KEEP = (dimDefault: ArgValue): Signature => ({
  params: [{ name: "input" }, { name: "dim", default: dimDefault }, { name: "keepdim", default: false }],
  kwOnly: [{ name: "dtype", default: null }],
});

function reduction(name: string, cost: CostSpec, dtype: OutDtype, dimDefault: ArgValue = null, signature?: Signature): OpRule {
  return defineOp({
    name,
    namespaces: TM,
    signature: signature ?? DIM_KEEP(dimDefault),
    cost,
    output: (args) => reduceOutput(name, args, dtype, false),
  });
}

/** max/min: over all (a 0-d tensor), over `dim` ((values, indices)), or elementwise with another tensor. */
function maxMin(name: string): OpRule {
  return defineOp({
    name,
    namespaces: TM,
    signature: { ...sig("input", ["dim", null], ["keepdim", false]), kwOnly: [{ name: "other", default: null }] },
    cost: "none",
    output(args) {
      const other = isTensor(args.other) ? args.other : args.dim;
      if (isTensor(other)) {
        const x = tensorShape(args, "input", name);
        if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
        if (isUnknown(other.shape)) return unknownTensor(other.shape.reason);
        const s = broadcastShapes(x.shape, other.shape);
        return isBad(s) ? s : tensorOf(s, promote(x.t.dtype, other.dtype));
      }
      return reduceOutput(name, args, keep, other !== null && other !== undefined);
    },
  });
}

/** std/var(input, dim, unbiased, keepdim) or std/var(input, unbiased); torch.std_mean/var_mean give (std or var, mean). */
function stdVar(name: string, withMean = false): OpRule {
  return defineOp({
    name,
    namespaces: withMean ? ["torch"] : TM,
    signature: { ...sig("input", ["dim", null], ["unbiased", true], ["keepdim", false]), kwOnly: [{ name: "correction", default: null }] },
    cost: "none",
    output(args) {
      const a = typeof args.dim === "boolean" ? { ...args, dim: null } : args;
      const out = reduceOutput(name, a, () => "float", false);
      return withMean && isTensor(out) ? [out, out] : out;
    },
  });
}

export const REDUCE_OPS: readonly OpRule[] = [
  defineOp({ name: "mean", namespaces: TM, signature: DIM_KEEP(null), cost: MEAN_COST, output: meanOutput }),
  reduction("sum", SUM_COST, sumDtype),
  reduction("amax", "none", keep, []),
  reduction("amin", "none", keep, []),
  maxMin("max"),
  maxMin("min"),
  reduction("argmax", "none", () => "long", null, sig("input", ["dim", null], ["keepdim", false])),
  reduction("argmin", "none", () => "long", null, sig("input", ["dim", null], ["keepdim", false])),
  reduction("prod", "none", sumDtype),
  stdVar("std"),
  stdVar("var"),
  stdVar("std_mean", true),
  stdVar("var_mean", true),
  reduction("logsumexp", "none", () => "float", null, sig("input", "dim", ["keepdim", false])),
  defineOp({
    name: "norm",
    namespaces: TM,
    signature: sig("input", ["p", "fro"], ["dim", null], ["keepdim", false], ["dtype", null]),
    cost: "none",
    output: (args) => reduceOutput("norm", args, () => "float", false),
  }),
  reduction("all", "zero", () => "bool", null, sig("input", ["dim", null], ["keepdim", false])),
  reduction("any", "zero", () => "bool", null, sig("input", ["dim", null], ["keepdim", false])),
];
