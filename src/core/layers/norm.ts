// Normalization layers: BatchNorm1d/2d/3d, SyncBatchNorm, LayerNorm, GroupNorm, InstanceNorm1d/2d/3d.
import { mul, product, type Dim } from "../dim";
import { sig } from "../signature";
import { isUnknown, type Args, type ArgValue, type Problem } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  boolArg,
  dimArg,
  dimOutOfRange,
  elementwiseCost,
  failed,
  forwardError,
  forwardInput,
  initError,
  intArg,
  isNum,
  listText,
  paramCount,
  pyMod,
  result,
  runningMeanMismatch,
  tensor,
  torchSize,
} from "./util";


function affineParams(c: Dim, affine: boolean | ReturnType<typeof boolArg>, bias = true) {
  if (isUnknown(affine)) return paramCount([["weight", affine]]);
  if (!affine) return paramCount([]);
  return paramCount(bias ? [["weight", c], ["bias", c]] : [["weight", c]]);
}

function negativeFeatures(c: Dim): Problem[] {
  return isNum(c) && c < 0 ? [initError("RuntimeError", `Trying to create tensor with negative dimension ${c}: [${c}]`)] : [];
}

// ---------------------------------------------------------------------------------------------
// BatchNorm

const BN_SIG = sig("num_features", ["eps", 1e-5], ["momentum", 0.1], ["affine", true], ["track_running_stats", true], ["device", null], ["dtype", null]);
const SYNC_BN_SIG = sig(
  "num_features",
  ["eps", 1e-5],
  ["momentum", 0.1],
  ["affine", true],
  ["track_running_stats", true],
  ["process_group", null],
  ["device", null],
  ["dtype", null],
);

function bnRankError(type: string, rank: number): string | undefined {
  if (type === "BatchNorm1d") return rank === 2 || rank === 3 ? undefined : `expected 2D or 3D input (got ${rank}D input)`;
  if (type === "BatchNorm2d") return rank === 4 ? undefined : `expected 4D input (got ${rank}D input)`;
  if (type === "BatchNorm3d") return rank === 5 ? undefined : `expected 5D input (got ${rank}D input)`;
  return rank >= 2 ? undefined : `expected at least 2D input (got ${rank}D input)`;
}

function forwardBatchNorm(type: string, args: Args, call: LayerCall): LayerResult {
  const x = forwardInput(type, call);
  if (!x.ok) return x.result;
  const shape = x.shape;
  // PyTorch 1.13 runs SyncBatchNorm on CUDA tensors only (the reference the project follows runs on CPU)
  if (type === "SyncBatchNorm") return failed(forwardError(type, "SyncBatchNorm expected input tensor to be on GPU", shape));
  const rankMsg = bnRankError(type, shape.length);
  if (rankMsg) return failed(forwardError(type, rankMsg, shape));
  const nf = intArg(args.num_features, "num_features");
  const track = boolArg(args.track_running_stats, "track_running_stats");
  const affine = boolArg(args.affine, "affine");
  const c = shape[1];
  // without running stats, eval mode still normalizes with batch statistics
  if (track === false) {
    const perChannel = mul(shape[0], product(shape.slice(2)));
    if (perChannel === 1) {
      return failed(forwardError(type, `Expected more than 1 value per channel when training, got input size ${torchSize(shape)}`, shape));
    }
  }
  if (isNum(nf) && isNum(c) && c !== nf) {
    if (track === true) return failed(runningMeanMismatch(type, nf, c, shape));
    if (affine === true) return failed(forwardError(type, `weight should contain ${c} elements not ${nf}`, shape));
  }
  return result(tensor(shape, x.t.dtype), elementwiseCost(shape, 2));
}

function batchNormRule(type: string): LayerRule {
  return {
    type,
    signature: type === "SyncBatchNorm" ? SYNC_BN_SIG : BN_SIG,
    validate: (args) => negativeFeatures(dimArg(args.num_features, "num_features")),
    params: (args) => affineParams(dimArg(args.num_features, "num_features"), boolArg(args.affine, "affine")),
    forward: (args, call) => forwardBatchNorm(type, args, call),
    explain: () => ["FLOPs = 2 per element (scale and shift after folding the running statistics)"],
  };
}

// ---------------------------------------------------------------------------------------------
// InstanceNorm

const IN_SIG = sig("num_features", ["eps", 1e-5], ["momentum", 0.1], ["affine", false], ["track_running_stats", false], ["device", null], ["dtype", null]);

function forwardInstanceNorm(type: string, nd: number, args: Args, call: LayerCall): LayerResult {
  const x = forwardInput(type, call);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const rank = shape.length;
  if (rank !== nd + 1 && rank !== nd + 2) {
    return failed(forwardError(type, `expected ${nd + 1}D or ${nd + 2}D input (got ${rank}D input)`, shape));
  }
  const batched = rank === nd + 2 ? shape : [1, ...shape];
  const [n, c] = batched;
  const nf = intArg(args.num_features, "num_features");
  const track = boolArg(args.track_running_stats, "track_running_stats");
  const affine = boolArg(args.affine, "affine");
  if (track === false && product(batched.slice(2)) === 1) {
    return failed(forwardError(type, `Expected more than 1 spatial element when training, got input size ${torchSize(batched)}`, shape));
  }
  // instance_norm folds the batch into the channels: the messages count N·C
  if (isNum(nf) && isNum(c) && isNum(n) && c !== nf) {
    if (track === true) return failed(runningMeanMismatch(type, n * nf, n * c, shape));
    if (affine === true) return failed(forwardError(type, `weight should contain ${n * c} elements not ${n * nf}`, shape));
  }
  const perElement = isUnknown(affine) ? affine : affine ? 7 : 5;
  if (isUnknown(perElement)) return result(tensor(shape, x.t.dtype), perElement);
  return result(tensor(shape, x.t.dtype), elementwiseCost(shape, perElement));
}

function instanceNormRule(nd: number): LayerRule {
  const type = `InstanceNorm${nd}d`;
  return {
    type,
    signature: IN_SIG,
    validate: (args) => negativeFeatures(dimArg(args.num_features, "num_features")),
    params: (args) => affineParams(dimArg(args.num_features, "num_features"), boolArg(args.affine, "affine")),
    forward: (args, call) => forwardInstanceNorm(type, nd, args, call),
    explain: (args) => [`FLOPs = ${boolArg(args.affine, "affine") === true ? "5 + 2 (affine)" : "5"} per element`],
  };
}

// ---------------------------------------------------------------------------------------------
// LayerNorm

const LN_SIG = sig("normalized_shape", ["eps", 1e-5], ["elementwise_affine", true], ["bias", true], ["device", null], ["dtype", null]);

function normalizedShape(v: ArgValue | undefined): Dim[] {
  const items: readonly ArgValue[] = Array.isArray(v) ? v : [v ?? null];
  return items.map((d) => dimArg(d, "normalized_shape"));
}

const LAYER_NORM: LayerRule = {
  type: "LayerNorm",
  signature: LN_SIG,
  validate: (args) => {
    const ns = normalizedShape(args.normalized_shape);
    const neg = ns.find((d) => isNum(d) && d < 0);
    const affine = boolArg(args.elementwise_affine, "elementwise_affine") === true;
    return neg !== undefined && affine ? [initError("RuntimeError", `Trying to create tensor with negative dimension ${neg as number}: ${listText(ns)}`)] : [];
  },
  params: (args) => {
    const n = product(normalizedShape(args.normalized_shape));
    const affine = boolArg(args.elementwise_affine, "elementwise_affine");
    const bias = boolArg(args.bias, "bias");
    if (isUnknown(bias)) return paramCount([["weight", bias]]);
    return affineParams(n, affine, bias);
  },
  forward: (args, call) => {
    const type = "LayerNorm";
    const x = forwardInput(type, call);
    if (!x.ok) return x.result;
    const shape = x.shape;
    const ns = normalizedShape(args.normalized_shape);
    const tail = shape.slice(Math.max(0, shape.length - ns.length));
    const mismatch = shape.length < ns.length || tail.some((d, i) => isNum(d) && isNum(ns[i]) && d !== ns[i]);
    if (mismatch) {
      return failed(
        forwardError(type, `Given normalized_shape=${listText(ns)}, expected input with shape [*, ${ns.join(", ")}], but got input of size${listText(shape)}`, shape),
      );
    }
    const affine = boolArg(args.elementwise_affine, "elementwise_affine");
    if (isUnknown(affine)) return result(tensor(shape, x.t.dtype), affine);
    return result(tensor(shape, x.t.dtype), elementwiseCost(shape, affine ? 7 : 5));
  },
  explain: (args) => [`FLOPs = ${boolArg(args.elementwise_affine, "elementwise_affine") === true ? "5 + 2 (affine)" : "5"} per element`],
};

// ---------------------------------------------------------------------------------------------
// GroupNorm

const GN_SIG = sig("num_groups", "num_channels", ["eps", 1e-5], ["affine", true], ["device", null], ["dtype", null]);

const GROUP_NORM: LayerRule = {
  type: "GroupNorm",
  signature: GN_SIG,
  validate: (args) => {
    const g = intArg(args.num_groups, "num_groups");
    const c = intArg(args.num_channels, "num_channels");
    if (g === 0) return [initError("ZeroDivisionError", "integer modulo by zero")];
    if (isNum(g) && isNum(c) && pyMod(c, g) !== 0) return [initError("ValueError", "num_channels must be divisible by num_groups")];
    return boolArg(args.affine, "affine") === true ? negativeFeatures(c) : [];
  },
  params: (args) => affineParams(dimArg(args.num_channels, "num_channels"), boolArg(args.affine, "affine")),
  forward: (args, call) => {
    const type = "GroupNorm";
    const x = forwardInput(type, call);
    if (!x.ok) return x.result;
    const shape = x.shape;
    if (shape.length < 2) return failed(forwardError(type, dimOutOfRange(shape.length, shape.length === 0 ? 0 : 1), shape));
    const g = intArg(args.num_groups, "num_groups");
    const nc = intArg(args.num_channels, "num_channels");
    const c = shape[1];
    const affine = boolArg(args.affine, "affine");
    if (isNum(g) && g > 0 && isNum(c) && c % g !== 0) {
      return failed(
        forwardError(type, `Expected number of channels in input to be divisible by num_groups, but got input of shape ${listText(shape)} and num_groups=${g}`, shape),
      );
    }
    if (affine === true && isNum(nc) && isNum(c) && nc !== c) {
      return failed(
        forwardError(
          type,
          `Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${nc}] and input of shape ${listText(shape)}`,
          shape,
        ),
      );
    }
    if (isUnknown(affine)) return result(tensor(shape, x.t.dtype), affine);
    return result(tensor(shape, x.t.dtype), elementwiseCost(shape, affine ? 7 : 5));
  },
  explain: (args) => [`FLOPs = ${boolArg(args.affine, "affine") === true ? "5 + 2 (affine)" : "5"} per element`],
};

export const NORM_RULES: readonly LayerRule[] = [
  ...["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm"].map(batchNormRule),
  ...[1, 2, 3].map(instanceNormRule),
  LAYER_NORM,
  GROUP_NORM,
];
