// Normalisation and lookup: F.batch_norm/layer_norm/group_norm/instance_norm, F.normalize, F.embedding.
import { indexOutOfRange } from "../valueRange";
import { equal, format, mul, product, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type Output } from "../types";
import { dimArg, failure, fmtList, intList, isBad, tensorOf, tensorShape, unknownTensor, type Failure, type Shape } from "./common";
import { defineOp, perElement, type CostSpec } from "./define";
import type { OpRule } from "./rule";

function clash(a: Dim, b: Dim): boolean {
  return equal(a, b) === false && typeof a === "number" && typeof b === "number";
}

function known(v: ArgValue): Shape | undefined {
  return isTensor(v) && !isUnknown(v.shape) ? v.shape : undefined;
}

/** `name should contain C elements not n` for each per-channel tensor given (weight, bias, running stats). */
function perChannel(args: Args, names: readonly string[], c: Dim, repeat: Dim = 1): Failure | undefined {
  for (const name of names) {
    const s = known(args[name]);
    if (!s) continue;
    const n = mul(product(s), repeat);
    const want = mul(c, repeat);
    if (clash(n, want)) return failure(`${name} should contain ${format(want)} elements not ${format(n)}`, "channel-mismatch");
  }
  return undefined;
}

function batchNormShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "batch_norm");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const c = x.shape.length >= 2 ? x.shape[1] : 0;
  const bad = perChannel(args, ["weight", "bias", "running_mean", "running_var"], c);
  return bad ?? tensorOf(x.shape, x.t.dtype);
}

function instanceNormShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "instance_norm");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (x.shape.length < 2) return failure(`instance_norm(): expected at least 2D input (got ${x.shape.length}D input)`);
  const bad = perChannel(args, ["weight", "bias", "running_mean", "running_var"], x.shape[1], x.shape[0]);
  return bad ?? tensorOf(x.shape, x.t.dtype);
}

function layerNormShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "layer_norm");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const ns = intList(args.normalized_shape, "normalized_shape");
  if (isBad(ns)) return isUnknown(ns) ? tensorOf(x.shape, x.t.dtype) : ns;
  for (const name of ["weight", "bias"]) {
    const s = known(args[name]);
    if (s && (s.length !== ns.length || s.some((d, i) => clash(d, ns[i])))) {
      return failure(
        `Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${fmtList(s)} and normalized_shape = ${fmtList(ns)}`,
      );
    }
  }
  const tail = x.shape.slice(x.shape.length - ns.length);
  if (x.shape.length < ns.length || tail.some((d, i) => clash(d, ns[i]))) {
    return failure(
      `Given normalized_shape=${fmtList(ns)}, expected input with shape [*, ${ns.map(format).join(", ")}], but got input of size${fmtList(x.shape)}`,
    );
  }
  return tensorOf(x.shape, x.t.dtype);
}

function groupNormShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "group_norm");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  if (x.shape.length < 2) return failure(`Expected at least 2 dimensions for input tensor but received ${x.shape.length}`);
  const c = x.shape[1];
  const g = args.num_groups;
  if (typeof g === "number" && typeof c === "number" && (g <= 0 || c % g !== 0)) {
    return failure(
      `Expected number of channels in input to be divisible by num_groups, but got input of shape ${fmtList(x.shape)} and num_groups=${g}`,
      "groups-mismatch",
    );
  }
  for (const name of ["weight", "bias"]) {
    const s = known(args[name]);
    if (s && clash(product(s), c)) {
      return failure(
        `Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${fmtList(s)} and input of shape ${fmtList(x.shape)}`,
        "channel-mismatch",
      );
    }
  }
  return tensorOf(x.shape, x.t.dtype);
}

/** LayerNorm, GroupNorm, InstanceNorm: 5 per element, +2 with an affine weight (spec §3). */
const normCost: CostSpec = (args, out) =>
  isTensor(out) ? perElement(out.shape, args.weight !== null && args.weight !== undefined ? 7 : 5) : unknown("FLOPs unknown: output unknown");

function embeddingShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "embedding");
  const w = tensorShape(args, "weight", "embedding");
  if (isBad(w)) return isUnknown(w) ? unknownTensor(w.reason) : w;
  if (w.shape.length !== 2) return failure("'weight' must be 2-D");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason, w.t.dtype) : x;
  if (typeof w.shape[0] === "number" && indexOutOfRange(x.t, w.shape[0])) return failure("index out of range in self");
  return tensorOf([...x.shape, w.shape[1]], w.t.dtype);
}

function normalizeShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "normalize");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const d = dimArg(args.dim, x.shape.length);
  if (isBad(d) && !isUnknown(d)) return d;
  return tensorOf(x.shape, x.t.dtype);
}

export const NORM_OPS: readonly OpRule[] = [
  defineOp({
    name: "batch_norm",
    namespaces: ["F"],
    signature: sig("input", "running_mean", "running_var", ["weight", null], ["bias", null], ["training", false], ["momentum", 0.1], ["eps", 1e-5]),
    cost: { perElement: 2 },
    output: batchNormShape,
  }),
  defineOp({
    name: "instance_norm",
    namespaces: ["F"],
    signature: sig(
      "input",
      ["running_mean", null],
      ["running_var", null],
      ["weight", null],
      ["bias", null],
      ["use_input_stats", true],
      ["momentum", 0.1],
      ["eps", 1e-5],
    ),
    cost: normCost,
    output: instanceNormShape,
  }),
  defineOp({
    name: "layer_norm",
    namespaces: ["F", "torch"],
    signature: sig("input", "normalized_shape", ["weight", null], ["bias", null], ["eps", 1e-5]),
    cost: normCost,
    output: layerNormShape,
  }),
  defineOp({
    name: "group_norm",
    namespaces: ["F", "torch"],
    signature: sig("input", "num_groups", ["weight", null], ["bias", null], ["eps", 1e-5]),
    cost: normCost,
    output: groupNormShape,
  }),
  defineOp({
    name: "embedding",
    namespaces: ["F"],
    signature: sig(
      "input",
      "weight",
      ["padding_idx", null],
      ["max_norm", null],
      ["norm_type", 2.0],
      ["scale_grad_by_freq", false],
      ["sparse", false],
    ),
    cost: "zero",
    output: embeddingShape,
  }),
  defineOp({
    name: "normalize",
    namespaces: ["F"],
    signature: sig("input", ["p", 2.0], ["dim", 1], ["eps", 1e-12], ["out", null]),
    cost: "none",
    output: normalizeShape,
  }),
];
