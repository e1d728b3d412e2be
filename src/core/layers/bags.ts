// nn.EmbeddingBag (bags of lookups reduced to one vector each) and nn.GLU (the gate halves a dim); no FLOPs rule for either.
import { floorDiv, format as formatDim, mul, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  dimArg,
  dimOutOfRange,
  failed,
  forwardError,
  initError,
  intArg,
  isNum,
  NO_PARAMS,
  paramCount,
  result,
  tensor,
  tensorInput,
} from "./util";

const BAG_SIG = sig(
  "num_embeddings",
  "embedding_dim",
  ["max_norm", null],
  ["norm_type", 2.0],
  ["scale_grad_by_freq", false],
  ["mode", "mean"],
  ["sparse", false],
  ["_weight", null],
  ["include_last_offset", false],
  ["padding_idx", null],
  ["device", null],
  ["dtype", null],
);

const NO_RULE = unknown("the spec has no FLOPs rule for EmbeddingBag");

function forwardBag(args: Args, call: LayerCall): LayerResult {
  const type = "EmbeddingBag";
  const bound = bindForward(type, sig("input", ["offsets", null], ["per_sample_weights", null]), call);
  if (!bound.ok) return bound.result;
  const x = tensorInput(type, bound.args.input);
  if (!x.ok) return x.result;
  const { offsets } = bound.args;
  const dim = dimArg(args.embedding_dim, "embedding_dim");
  const err = (m: string) => failed(forwardError(type, m, x.shape));
  if (x.t.dtype !== "long") {
    const got = x.t.dtype === "bool" ? "CPUBoolType" : "torch.FloatTensor";
    return err(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${got} instead (while checking arguments for embedding_bag)`);
  }
  if (bound.args.per_sample_weights !== null && args.mode !== "sum") {
    return err(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${String(args.mode)}'). Please open a feature request on GitHub.`);
  }
  const rows = bagRows(x.shape, offsets, args.include_last_offset === true);
  return typeof rows === "string" ? err(rows) : result(tensor([rows, dim]), NO_RULE);
}

/** How many bags an embedding_bag call makes (one row each), or PyTorch's ValueError message. */
export function bagRows(shape: readonly Dim[], offsets: ArgValue, includeLast: boolean): Dim | string {
  if (shape.length === 2) {
    if (offsets !== null) {
      return "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>";
    }
    return shape[0];
  }
  if (shape.length !== 1) return `input has to be 1D or 2D Tensor, but got Tensor of dimension ${shape.length}`;
  if (offsets === null) return "offsets has to be a 1D Tensor but got None";
  if (!isTensor(offsets) || isUnknown(offsets.shape)) return unknown("the number of bags");
  if (offsets.shape.length !== 1) return "offsets has to be a 1D Tensor";
  const bags = offsets.shape[0];
  return includeLast ? (isNum(bags) ? bags - 1 : unknown("the number of bags")) : bags;
}

const EMBEDDING_BAG: LayerRule = {
  type: "EmbeddingBag",
  signature: BAG_SIG,
  validate: (args) => {
    const n = intArg(args.num_embeddings, "num_embeddings");
    const pad = args.padding_idx;
    if (isNum(n) && typeof pad === "number" && ((pad > 0 && pad >= n) || (pad < 0 && pad < -n))) {
      return [initError("AssertionError", "padding_idx must be within num_embeddings")];
    }
    return [];
  },
  params: (args) => paramCount([["weight", mul(dimArg(args.num_embeddings, "num_embeddings"), dimArg(args.embedding_dim, "embedding_dim"))]]),
  forward: forwardBag,
  explain: (args) => [
    `params = num_embeddings·embedding_dim = ${formatDim(dimArg(args.num_embeddings, "num_embeddings"))}·${formatDim(dimArg(args.embedding_dim, "embedding_dim"))}`,
    `one ${String(args.mode)} of embeddings per bag; FLOPs unknown (no rule in the spec)`,
  ],
};

const GLU: LayerRule = {
  type: "GLU",
  signature: sig(["dim", -1]),
  params: () => NO_PARAMS,
  forward: (args, call) => {
    const type = "GLU";
    const bound = bindForward(type, sig("input"), call);
    if (!bound.ok) return bound.result;
    const x = tensorInput(type, bound.args.input);
    if (!x.ok) return x.result;
    const rank = x.shape.length;
    if (rank === 0) return failed(forwardError(type, "glu does not support scalars because halving size must be even", x.shape));
    const d0 = args.dim;
    if (typeof d0 !== "number") return result(tensor(unknown("GLU's dim is not known")), unknown("GLU's dim is not known"));
    if (d0 < -rank || d0 >= rank) return failed(forwardError(type, dimOutOfRange(rank, d0), x.shape));
    const d = d0 < 0 ? d0 + rank : d0;
    const size = x.shape[d];
    if (isNum(size) && size % 2 !== 0) return failed(forwardError(type, `Halving dimension must be even, but dimension ${d} is size ${size}`, x.shape));
    return result(tensor(x.shape.map((s, i) => (i === d ? floorDiv(s, 2) : s)), x.t.dtype), unknown("the spec has no FLOPs rule for GLU"));
  },
  explain: () => ["a = first half, b = second half along dim; a·sigmoid(b); FLOPs unknown (no rule in the spec)"],
};

export const BAG_RULES: readonly LayerRule[] = [EMBEDDING_BAG, GLU];
