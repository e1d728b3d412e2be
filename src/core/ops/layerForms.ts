// Functional forms of layers without a FLOPs rule (F.embedding_bag, F.unfold/fold, cosine_similarity, pairwise_distance, lp_pool, local_response_norm, channel_shuffle, fractional_max_pool, max_unpool), on the layers' own shape maths.
import { sig, type Signature } from "../signature";
import { isTensor, isUnknown, type Args, type Output } from "../types";
import { bagRows } from "../layers/bags";
import { channelShuffleShape, foldShape, lrnShape, pairShape, unfoldShape, type Shaped } from "../layers/misc";
import { fractionalShape } from "../layers/poolExtra";
import { unpoolOutput } from "../layers/unpool";
import { failure, isBad, isFailure, tensorOf, tensorShape, unknownTensor, type Failure, type Shape } from "./common";
import { defineOp } from "./define";
import { poolShape } from "./pool";
import type { OpNamespace, OpRule } from "./rule";

/** The output tensor (input's dtype) from a shape function over the tensor bound to `param`. */
function onInput(args: Args, fn: string, shapeOf: (shape: Shape) => Shaped, param = "input"): Output | Failure {
  const x = tensorShape(args, param, fn);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const r = shapeOf(x.shape);
  if (isFailure(r)) return r;
  return isUnknown(r) ? unknownTensor(r.reason, x.t.dtype) : tensorOf(r, x.t.dtype);
}

function op(name: string, namespaces: readonly OpNamespace[], signature: Signature, output: (args: Args) => Output | Failure): OpRule {
  return defineOp({ name, namespaces, signature, cost: "none", output });
}

function pairOp(kind: "cosine" | "pairwise"): OpRule {
  const name = kind === "cosine" ? "cosine_similarity" : "pairwise_distance";
  const signature = kind === "cosine" ? sig("x1", "x2", ["dim", 1], ["eps", 1e-8]) : sig("x1", "x2", ["p", 2.0], ["eps", 1e-6], ["keepdim", false]);
  return op(name, ["F", "torch"], signature, (args) => {
    const b = tensorShape(args, "x2", name);
    if (isBad(b)) return isUnknown(b) ? unknownTensor(b.reason) : b;
    return onInput(args, name, (a) => pairShape(kind, a, b.shape, args), "x1");
  });
}

/** F.lp_poolNd runs avg_poolNd(x.pow(p), kernel_size, stride, 0, ceil_mode): its shape and errors. */
function lpPoolOp(nd: number): OpRule {
  return op(`lp_pool${nd}d`, ["F"], sig("input", "norm_type", "kernel_size", ["stride", null], ["ceil_mode", false]), (args) => {
    const x = tensorShape(args, "input", `lp_pool${nd}d`);
    // avg_pool2d reads input.size(-3) before checking the rank
    if (!isBad(x) && nd === 2 && x.shape.length < 3) return failure(`Dimension out of range (expected to be in range of [${-x.shape.length}, ${x.shape.length - 1}], but got -3)`);
    const avg: Args = { input: args.input, kernel_size: args.kernel_size, stride: args.stride, padding: 0, ceil_mode: args.ceil_mode, count_include_pad: true, divisor_override: null };
    return poolShape("avg", nd, avg);
  });
}

function fractionalOp(nd: number): OpRule {
  const name = `fractional_max_pool${nd}d`;
  const signature = sig("input", "kernel_size", ["output_size", null], ["output_ratio", null], ["return_indices", false], ["_random_samples", null]);
  return op(name, ["F"], signature, (args) => {
    if (args.output_size === null && args.output_ratio === null) return failure(`${name} requires specifying either an output_size or an output_ratio`, "bad-argument");
    const y = onInput(args, name, (shape) => fractionalShape(nd, shape, args));
    if (isFailure(y) || args.return_indices !== true) return y;
    return [y, { ...y, dtype: "long" }] as Output;
  });
}

/** F.max_unpoolNd: MaxUnpoolNd's sizes and checks, its errors as PyTorch words them. */
function unpoolOp(nd: number): OpRule {
  return op(`max_unpool${nd}d`, ["F"], sig("input", "indices", "kernel_size", ["stride", null], ["padding", 0], ["output_size", null]), (args) => {
    const out = unpoolOutput(nd, args);
    if (isUnknown(out)) return unknownTensor(out.reason);
    return "error" in out ? failure(out.error) : out;
  });
}

/** F.embedding_bag(input, weight, offsets, ...): one row of embedding_dim per bag, PyTorch's checks in its order. */
function embeddingBag(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "embedding_bag");
  const w = tensorShape(args, "weight", "embedding_bag");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (isBad(w)) return isUnknown(w) ? unknownTensor(w.reason) : w;
  const psw = args.per_sample_weights;
  if (isTensor(psw) && !isUnknown(psw.shape) && !sameShape(psw.shape, x.shape)) {
    return failure(`ValueError: embedding_bag: If per_sample_weights (${fmtSize(psw.shape)}) is not None, then it must have the same shape as the input (${fmtSize(x.shape)})`);
  }
  if (w.shape.length !== 2) return failure(`ValueError: weight has to be a 2D Tensor, but got Tensor of dimension ${w.shape.length}`);
  const rows = bagRows(x.shape, args.offsets, args.include_last_offset === true);
  if (typeof rows === "string") return failure(`ValueError: ${rows}`);
  if (!["sum", "mean", "max"].includes(String(args.mode))) return failure("ValueError: mode has to be one of sum, mean or max");
  if (psw !== null && args.mode !== "sum") {
    return failure(`NotImplementedError: embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${String(args.mode)}'). Please open a feature request on GitHub.`);
  }
  return tensorOf([rows, w.shape[1]], w.t.dtype);
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => !(typeof d === "number" && typeof b[i] === "number" && d !== b[i]));
}

const fmtSize = (s: Shape): string => `torch.Size([${s.map((d) => String(d)).join(", ")}])`;

const BAG_SIG = sig(
  "input",
  "weight",
  ["offsets", null],
  ["max_norm", null],
  ["norm_type", 2],
  ["scale_grad_by_freq", false],
  ["mode", "mean"],
  ["sparse", false],
  ["per_sample_weights", null],
  ["include_last_offset", false],
  ["padding_idx", null],
);

export const LAYER_FORM_OPS: readonly OpRule[] = [
  op("embedding_bag", ["F"], BAG_SIG, embeddingBag),
  ...[1, 2, 3].map(unpoolOp),
  op("unfold", ["F"], sig("input", "kernel_size", ["dilation", 1], ["padding", 0], ["stride", 1]), (args) =>
    onInput(args, "unfold", (shape) => unfoldShape(shape, args)),
  ),
  op("fold", ["F"], sig("input", "output_size", "kernel_size", ["dilation", 1], ["padding", 0], ["stride", 1]), (args) =>
    onInput(args, "fold", (shape) => foldShape(shape, args)),
  ),
  pairOp("cosine"),
  pairOp("pairwise"),
  lpPoolOp(1),
  lpPoolOp(2),
  op("local_response_norm", ["F"], sig("input", "size", ["alpha", 1e-4], ["beta", 0.75], ["k", 1.0]), (args) => onInput(args, "local_response_norm", lrnShape)),
  op("channel_shuffle", ["F", "torch"], sig("input", "groups"), (args) => onInput(args, "channel_shuffle", (shape) => channelShuffleShape(shape, args.groups))),
  fractionalOp(2),
  fractionalOp(3),
];
