// Loss functions of torch.nn.functional (mse_loss, l1_loss, cross_entropy, ...) and F.one_hot that builds their targets: shapes and target checks; spec v1 has no FLOPs rule for them.
import { sig } from "../signature";
import { format as formatDim, type Dim } from "../dim";
import { isTensor, isUnknown, type ArgValue, type Args, type Output, type TensorMeta } from "../types";
import { broadcastShapes } from "./broadcast";
import { failure, fmtList, isBad, tensorOf, tensorShape, unknownTensor, type Failure, type Shape } from "./common";
import { defineOp } from "./define";
import type { OpRule } from "./rule";

/** The reduction in effect: the legacy size_average / reduce flags win when given (reduce=False is "none"). */
function reductionOf(args: Args): string | undefined {
  const reduce = args.reduce;
  const sizeAverage = args.size_average;
  if (reduce === false) return "none";
  if ((reduce !== null && reduce !== undefined) || (sizeAverage !== null && sizeAverage !== undefined)) return sizeAverage === false ? "sum" : "mean";
  return typeof args.reduction === "string" ? args.reduction : undefined;
}

/** A reduced loss is a 0-dim tensor; "none" keeps the per-element shape. */
function reduced(args: Args, fname: string, perElement: () => Output | Failure): Output | Failure {
  const r = reductionOf(args);
  if (r === undefined) return unknownTensor(`${fname}: the reduction is not known`);
  if (r === "none") return perElement();
  if (r === "mean" || r === "sum" || (r === "batchmean" && fname === "kl_div")) {
    const checked = perElement(); // the shapes are checked whatever the reduction
    return isBad(checked) ? checked : tensorOf([]);
  }
  return failure(`${r} is not a valid value for reduction`, "bad-argument");
}

/** input and target broadcast together (PyTorch warns when their sizes differ). */
function pairwise(fname: string, sameSize?: (input: string, target: string) => string): (args: Args) => Output | Failure {
  return (args) => {
    const x = tensorShape(args, "input", fname);
    const y = tensorShape(args, "target", fname);
    if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
    if (isBad(y)) return isUnknown(y) ? unknownTensor(y.reason) : y;
    return reduced(args, fname, () => {
      if (sameSize && fmtList(x.shape) !== fmtList(y.shape)) return failure(sameSize(`torch.Size(${fmtList(x.shape)})`, `torch.Size(${fmtList(y.shape)})`));
      const b = broadcastShapes(x.shape, y.shape);
      return isBad(b) ? b : tensorOf(b);
    });
  };
}

/** Two dims known to differ. */
function differ(a: Dim, b: Dim): boolean {
  return typeof a === "number" && typeof b === "number" && a !== b;
}

const DTYPE_NAMES: Record<TensorMeta["dtype"], string> = { float: "Float", long: "Long", bool: "Bool" };

/**
 * PyTorch 1.13's target checks of cross_entropy / nll_loss (nll_loss_nd, then nll_loss or nll_loss2d):
 * a target of the input's own shape is class probabilities (cross_entropy only), else class indices.
 */
function targetProblem(fname: string, x: Shape, t: TensorMeta): Failure | undefined {
  if (isUnknown(t.shape)) return undefined;
  const y = t.shape;
  if (fname === "cross_entropy" && x.length === y.length && x.every((d, i) => !differ(d, y[i]))) {
    return t.dtype === "float" ? undefined : failure(`Expected floating point type for target with class probabilities, got ${DTYPE_NAMES[t.dtype]}`);
  }
  if (x.length < 1) return failure(`ValueError: Expected 1 or more dimensions (got ${x.length})`);
  if (x.length !== 1 && y.length >= 1 && differ(x[0], y[0])) {
    return failure(`ValueError: Expected input batch_size (${formatDim(x[0])}) to match target batch_size (${formatDim(y[0])}).`);
  }
  if (x.length <= 2) {
    if (y.length > 1) return failure("0D or 1D target tensor expected, multi-target not supported");
    if (!(x.length === 1 && y.length === 0) && differ(x[0], y[0] ?? 1)) return failure(`size mismatch (got input: ${fmtList(x)}, target: ${fmtList(y)})`);
  } else if (x.length === 4) {
    if (y.length !== 3) return failure(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${y.length}`);
    if (differ(x[0], y[0]) || differ(x[2], y[1]) || differ(x[3], y[2])) return failure(`size mismatch (got input: ${fmtList(x)} , target: ${fmtList(y)}`);
  } else if (y.length !== x.length - 1 || x.slice(2).some((d, i) => differ(d, y[i + 1]))) {
    return failure(`Expected target size ${fmtList([x[0], ...x.slice(2)])}, got ${fmtList(y)}`);
  }
  return t.dtype === "long" ? undefined : failure(`expected scalar type Long but found ${DTYPE_NAMES[t.dtype]}`);
}

/** cross_entropy / nll_loss: "none" gives the input's shape without the class dim (dim 1; a 1-D input has none). */
function classLoss(fname: string): (args: Args) => Output | Failure {
  return (args) => {
    const x = tensorShape(args, "input", fname);
    if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
    const t = args.target;
    const bad = isTensor(t) ? targetProblem(fname, x.shape, t) : undefined;
    if (bad) return bad;
    return reduced(args, fname, () => tensorOf(x.shape.length >= 2 ? [x.shape[0], ...x.shape.slice(2)] : []));
  };
}

const LEGACY: readonly (readonly [string, ArgValue])[] = [["size_average", null], ["reduce", null], ["reduction", "mean"]];

/** F.one_hot: a long tensor with a trailing class dim (its size read from the data when num_classes is -1). */
function oneHot(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "one_hot");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason, "long") : x;
  if (x.t.dtype !== "long") return failure("one_hot is only applicable to index tensor.");
  const n = args.num_classes;
  if (typeof n !== "number" || n === -1) return unknownTensor("one_hot: the number of classes comes from the data", "long");
  return tensorOf([...x.shape, n], "long");
}

export const LOSS_OPS: readonly OpRule[] = [
  defineOp({ name: "one_hot", namespaces: ["F"], signature: sig("input", ["num_classes", -1]), cost: "none", output: oneHot }),
  defineOp({ name: "mse_loss", namespaces: ["F"], signature: sig("input", "target", ...LEGACY), cost: "none", output: pairwise("mse_loss") }),
  defineOp({ name: "l1_loss", namespaces: ["F"], signature: sig("input", "target", ...LEGACY), cost: "none", output: pairwise("l1_loss") }),
  defineOp({ name: "smooth_l1_loss", namespaces: ["F"], signature: sig("input", "target", ...LEGACY, ["beta", 1.0]), cost: "none", output: pairwise("smooth_l1_loss") }),
  defineOp({ name: "huber_loss", namespaces: ["F"], signature: sig("input", "target", ["reduction", "mean"], ["delta", 1.0]), cost: "none", output: pairwise("huber_loss") }),
  defineOp({ name: "kl_div", namespaces: ["F"], signature: sig("input", "target", ...LEGACY, ["log_target", false]), cost: "none", output: pairwise("kl_div") }),
  defineOp({
    name: "binary_cross_entropy",
    namespaces: ["F"],
    signature: sig("input", "target", ["weight", null], ...LEGACY),
    cost: "none",
    output: pairwise("binary_cross_entropy", (i, t) => `Using a target size (${t}) that is different to the input size (${i}) is deprecated. Please ensure they have the same size.`),
  }),
  defineOp({
    name: "binary_cross_entropy_with_logits",
    namespaces: ["F"],
    signature: sig("input", "target", ["weight", null], ["size_average", null], ["reduce", null], ["reduction", "mean"], ["pos_weight", null]),
    cost: "none",
    output: pairwise("binary_cross_entropy_with_logits", (i, t) => `Target size (${t}) must be the same as input size (${i})`),
  }),
  defineOp({
    name: "cross_entropy",
    namespaces: ["F"],
    signature: sig("input", "target", ["weight", null], ["size_average", null], ["ignore_index", -100], ["reduce", null], ["reduction", "mean"], ["label_smoothing", 0.0]),
    cost: "none",
    output: classLoss("cross_entropy"),
  }),
  defineOp({
    name: "nll_loss",
    namespaces: ["F"],
    signature: sig("input", "target", ["weight", null], ["size_average", null], ["ignore_index", -100], ["reduce", null], ["reduction", "mean"]),
    cost: "none",
    output: classLoss("nll_loss"),
  }),
];
