// Layers without a FLOPs rule in the spec: LocalResponseNorm, CrossMapLRN2d, ChannelShuffle, CosineSimilarity, PairwiseDistance, Unfold, Fold (shapes and errors).
import { floorDiv, mul, product, type Dim } from "../dim";
import { broadcastShapes } from "../ops/broadcast";
import { sig, type Signature } from "../signature";
import { isUnknown, unknown, type ArgValue, type Args, type DType, type Unknown } from "../types";
import { failure, isFailure, type Failure } from "../ops/common";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  convOutSize,
  dimOutOfRange,
  failed,
  firstUnknown,
  forwardError,
  forwardInput,
  intArg,
  isNum,
  listText,
  NO_PARAMS,
  pyMod,
  result,
  tensor,
  tensorInput,
  tup,
  unknownResult,
  unknownTensor,
} from "./util";

const noRule = (type: string) => unknown(`the spec has no FLOPs rule for ${type}`);

function simple(type: string, signature: Signature, forward: LayerRule["forward"]): LayerRule {
  return { type, signature, params: () => NO_PARAMS, forward, explain: () => [`FLOPs: unknown (the spec has no rule for ${type})`] };
}

/** A shape-preserving layer whose forward only checks the input's rank. */
function rankChecked(type: string, signature: Signature, check: (rank: number, shape: readonly Dim[]) => LayerResult | undefined): LayerRule {
  return simple(type, signature, (_args, call) => {
    const x = forwardInput(type, call);
    if (!x.ok) return x.result;
    return check(x.shape.length, x.shape) ?? result(tensor(x.shape, x.t.dtype), noRule(type));
  });
}

const LRN_SIG = sig("size", ["alpha", 1e-4], ["beta", 0.75], ["k", 1.0]);

/** What PyTorch's ops report: the output shape, Unknown, or the raw error message as a Failure. */
export type Shaped = readonly Dim[] | Unknown | Failure;

/** A layer's forward result from the shape its functional form gives (errors worded as the layer's). */
function layerOut(type: string, input: readonly Dim[], dtype: DType, r: Shaped): LayerResult {
  if (isFailure(r)) return failed(forwardError(type, r.problem.message, input));
  if (isUnknown(r)) return unknownResult(r.reason, unknownTensor(r.reason, dtype));
  return result(tensor(r, dtype), noRule(type));
}

/** F.local_response_norm: the input's shape, 3-D or more. */
export function lrnShape(shape: readonly Dim[]): Shaped {
  // (F.local_response_norm's message keeps its source's line-continuation indent)
  if (shape.length < 3) return failure(`Expected 3D or higher dimensionality                          input (got ${shape.length} dimensions)`);
  return shape;
}

const LOCAL_RESPONSE_NORM = rankChecked("LocalResponseNorm", LRN_SIG, (_rank, shape) => {
  const r = lrnShape(shape);
  return isFailure(r) ? failed(forwardError("LocalResponseNorm", r.problem.message, shape)) : undefined;
});

const CROSS_MAP_LRN = rankChecked("CrossMapLRN2d", LRN_SIG, (rank, shape) =>
  rank !== 4 ? failed(forwardError("CrossMapLRN2d", "assert input.dim() == 4", shape)) : undefined,
);

/** torch.channel_shuffle(input, groups): the input's shape once its channels split into groups. */
export function channelShuffleShape(shape: readonly Dim[], groups: ArgValue | undefined): Shaped {
  if (shape.length <= 2) return failure(`channel_shuffle expects input with > 2 dims, but got input with sizes ${listText(shape)}`);
  const g = intArg(groups, "groups");
  if (isUnknown(g)) return shape;
  if (g <= 0) return failure(`Number of groups to divide channels in must be positive. Value of groups:${g}`);
  const c = shape[1];
  if (isNum(c) && pyMod(c, g) !== 0) return failure(`Number of channels must be divisible by groups. Got ${c} channels and ${g} groups.`, "groups-mismatch");
  return shape;
}

const CHANNEL_SHUFFLE: LayerRule = simple("ChannelShuffle", sig("groups"), (args, call) => {
  const x = forwardInput("ChannelShuffle", call);
  if (!x.ok) return x.result;
  return layerOut("ChannelShuffle", x.shape, x.t.dtype, channelShuffleShape(x.shape, args.groups));
});

// ---------------------------------------------------------------------------------------------
// CosineSimilarity / PairwiseDistance: forward(x1, x2) over the broadcast of both inputs

const PAIR_FWD = sig("x1", "x2");

/**
 * F.cosine_similarity (reduces `dim`) / F.pairwise_distance (reduces the innermost dim, kept
 * with keepdim) over the broadcast of both inputs.
 */
export function pairShape(kind: "cosine" | "pairwise", a: readonly Dim[], b: readonly Dim[], args: Args): Shaped {
  const both = broadcastShapes(a, b);
  if (isFailure(both)) return both;
  const rank = both.length;
  let dim: number;
  let keep = false;
  if (kind === "cosine") {
    const d = intArg(args.dim, "dim");
    if (isUnknown(d)) return d;
    if (rank === 0 ? d < -1 || d > 0 : d < -rank || d >= rank) return failure(dimOutOfRange(rank, d));
    dim = d < 0 ? d + Math.max(rank, 1) : d;
  } else {
    // pairwise_distance: a norm over the innermost dim of max(x1.dim(), x2.dim())
    dim = rank - 1;
    if (typeof args.keepdim !== "boolean") return unknown("keepdim is not known");
    keep = args.keepdim;
  }
  if (rank === 0) return [];
  return keep ? both.map((v, i) => (i === dim ? 1 : v)) : both.filter((_v, i) => i !== dim);
}

function forwardPair(type: string, args: Args, call: LayerCall): LayerResult {
  const bound = bindForward(type, PAIR_FWD, call);
  if (!bound.ok) return bound.result;
  const a = tensorInput(type, bound.args.x1, "x1");
  if (!a.ok) return a.result;
  const b = tensorInput(type, bound.args.x2, "x2");
  if (!b.ok) return b.result;
  return layerOut(type, a.shape, a.t.dtype, pairShape(type === "CosineSimilarity" ? "cosine" : "pairwise", a.shape, b.shape, args));
}

const COSINE = simple("CosineSimilarity", sig(["dim", 1], ["eps", 1e-8]), (args, call) => forwardPair("CosineSimilarity", args, call));
const PAIRWISE = simple("PairwiseDistance", sig(["p", 2.0], ["eps", 1e-6], ["keepdim", false]), (args, call) => forwardPair("PairwiseDistance", args, call));

// ---------------------------------------------------------------------------------------------
// Unfold (im2col) / Fold (col2im)

interface Window {
  readonly k: number[];
  readonly d: number[];
  readonly p: number[];
  readonly s: number[];
}

function windowOf(args: Args): Window | string {
  const [k, d, p, s] = [tup(args.kernel_size, 2, "kernel_size"), tup(args.dilation, 2, "dilation"), tup(args.padding, 2, "padding"), tup(args.stride, 2, "stride")];
  const u = firstUnknown(k, d, p, s);
  if (u) return u.reason;
  return { k: k as number[], d: d as number[], p: p as number[], s: s as number[] };
}

/** im2col / col2im's argument checks. */
function windowCheck(w: Window): string | undefined {
  if (w.k.some((v) => v <= 0)) return `kernel size should be greater than zero, but got kernel_height: ${w.k[0]} kernel_width: ${w.k[1]}`;
  if (w.s.some((v) => v <= 0)) return `stride should be greater than zero, but got stride_height: ${w.s[0]} stride_width: ${w.s[1]}`;
  if (w.d.some((v) => v <= 0)) return `dilation should be greater than zero, but got dilation_height: ${w.d[0]} dilation_width: ${w.d[1]}`;
  if (w.p.some((v) => v < 0)) return `padding should be non-negative, but got pad_height: ${w.p[0]} pad_width: ${w.p[1]}`;
  return undefined;
}

/** The number of sliding blocks along dim j (im2col / col2im round the division down). */
function blockCount(i: number, w: Window, j: number): number {
  return Math.floor((i + 2 * w.p[j] - (w.d[j] * (w.k[j] - 1) + 1)) / w.s[j]) + 1;
}

const pair = (v: readonly Dim[]) => `(${v.join(", ")})`;

/** F.unfold (im2col): (N, C·∏k, L) from a 3-D or 4-D input. */
export function unfoldShape(shape: readonly Dim[], args: Args): Shaped {
  const rank = shape.length;
  if (rank < 3) return failure(dimOutOfRange(rank, 2));
  const w = windowOf(args);
  if (typeof w === "string") return unknown(w);
  const msg = windowCheck(w);
  if (msg) return failure(msg);
  if (rank > 4) return failure(`Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${listText(shape)}`);
  const spatial = shape.slice(-2);
  const blocks = spatial.map((i, j) => (isNum(i) ? blockCount(i, w, j) : convOutSize(i, w.k[j], w.s[j], w.p[j], w.d[j])));
  if (blocks.every(isNum) && blocks.some((b) => (b as number) < 1)) {
    // (PyTorch 1.13's im2col message prints the input height twice)
    return failure(
      `Given input with spatial size ${pair([spatial[0], spatial[0]])}, kernel_size=${pair(w.k)}, dilation=${pair(w.d)}, padding=${pair(w.p)}, calculated shape of the array of sliding blocks as ${pair(blocks)}, but its components must be at least one.`,
    );
  }
  const c = shape[rank - 3];
  return [...shape.slice(0, rank - 3), mul(c, product(w.k)), mul(blocks[0], blocks[1])];
}

/** F.fold (col2im): (N, C, *output_size) from a 2-D or 3-D input of C·∏k rows and L blocks. */
export function foldShape(shape: readonly Dim[], args: Args): Shaped {
  const rank = shape.length;
  const w = windowOf(args);
  const os = tup(args.output_size, 2, "output_size");
  if (typeof w === "string") return unknown(w);
  const u = firstUnknown(os);
  if (u) return u;
  const size = os as number[];
  const msg = windowCheck(w);
  if (msg) return failure(msg);
  if (rank !== 2 && rank !== 3) {
    return failure(`Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${listText(shape)}`);
  }
  const [cols, len] = shape.slice(-2);
  const kk = w.k[0] * w.k[1];
  if (isNum(cols) && pyMod(cols, kk) !== 0) {
    return failure(`Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${cols} and kernel_size=${pair(w.k)}.`);
  }
  const blocks = size.map((o, j) => blockCount(o, w, j));
  const n = blocks[0] * blocks[1];
  if (isNum(len) && (len !== n || blocks.some((b) => b < 1))) {
    return failure(
      `Given output_size=${pair(size)}, kernel_size=${pair(w.k)}, dilation=${pair(w.d)}, padding=${pair(w.p)}, stride=${pair(w.s)}, expected size of input's dimension 2 to match the calculated number of sliding blocks ${blocks[0]} * ${blocks[1]} = ${n}, but got input.size(2)=${len}.`,
    );
  }
  return [...shape.slice(0, rank - 2), floorDiv(cols, kk), ...size];
}

function forwardWith(type: string, shapeOf: (shape: readonly Dim[], args: Args) => Shaped) {
  return (args: Args, call: LayerCall): LayerResult => {
    const x = forwardInput(type, call);
    return x.ok ? layerOut(type, x.shape, x.t.dtype, shapeOf(x.shape, args)) : x.result;
  };
}

const UNFOLD = simple("Unfold", sig("kernel_size", ["dilation", 1], ["padding", 0], ["stride", 1]), forwardWith("Unfold", unfoldShape));
const FOLD = simple("Fold", sig("output_size", "kernel_size", ["dilation", 1], ["padding", 0], ["stride", 1]), forwardWith("Fold", foldShape));

export const MISC_RULES: readonly LayerRule[] = [LOCAL_RESPONSE_NORM, CROSS_MAP_LRN, CHANNEL_SHUFFLE, COSINE, PAIRWISE, UNFOLD, FOLD];
