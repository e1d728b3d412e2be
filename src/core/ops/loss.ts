// Loss functions of torch.nn.functional (mse_loss, l1_loss, cross_entropy, ...): their shapes; spec v1 has no FLOPs rule for them.
import { sig } from "../signature";
import { isUnknown, type ArgValue, type Args, type Output } from "../types";
import { broadcastShapes } from "./broadcast";
import { failure, fmtList, isBad, tensorOf, tensorShape, unknownTensor, type Failure } from "./common";
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

/** cross_entropy / nll_loss: "none" gives the input's shape without the class dim (dim 1; a 1-D input has none). */
function classLoss(fname: string): (args: Args) => Output | Failure {
  return (args) => {
    const x = tensorShape(args, "input", fname);
    if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
    return reduced(args, fname, () => tensorOf(x.shape.length >= 2 ? [x.shape[0], ...x.shape.slice(2)] : []));
  };
}

const LEGACY: readonly (readonly [string, ArgValue])[] = [["size_average", null], ["reduce", null], ["reduction", "mean"]];

export const LOSS_OPS: readonly OpRule[] = [
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
