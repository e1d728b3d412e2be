// F.conv1d/2d/3d and F.conv_transpose1d/2d/3d: PyTorch's shape checks, output sizes and costs.
import { add, equal, format, mul, product, sub, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type Args, type CostOrUnknown, type Output } from "../types";
import {
  concreteInt,
  expandParam,
  failure,
  firstTensor,
  fmtList,
  isBad,
  tensorOf,
  tensorShape,
  unknownTensor,
  type Failure,
  type Shape,
} from "./common";
import { defineOp, fromDims, numel } from "./define";
import type { OpRule } from "./rule";
import { convOutputSize, convTransposeOutputSize } from "./spatial";

/** Concrete-and-different: a check that fails only when both sides are known numbers. */
function differs(a: Dim, b: Dim): boolean {
  return equal(a, b) === false && typeof a === "number" && typeof b === "number";
}

function convParam(args: Args, name: string, nd: number): Dim[] | ReturnType<typeof unknown> | Failure {
  return expandParam(
    args[name],
    nd,
    name,
    (given) =>
      `expected ${name} to be a single integer value or a list of ${nd} values to match the convolution dimensions, but got ${name}=${fmtList(given)}`,
  );
}

/**
 * A weight whose rank does not fit convNd, as PyTorch's _convolution sees it: the binding made each int
 * argument a list of nd, and only lists of one stretch to the weight's nd; undefined when not decidable.
 */
function weightRankFailure(args: Args, nd: number, w: Shape, x: Shape, transposed: boolean): Failure | undefined {
  const wd = w.length - 2;
  if (wd <= 0) return failure("weight should have at least three dimensions");
  // a shape with an unknown size in it cannot be worded
  if ([...w, ...x].some((d) => isUnknown(d))) return undefined;
  for (const name of ["stride", "padding", "dilation", ...(transposed ? ["output_padding"] : [])]) {
    const v = args[name];
    if (typeof v !== "number" && !Array.isArray(v)) return undefined;
    const list = Array.isArray(v) ? v : Array.from({ length: nd }, () => v);
    if (!list.every((d): d is number => typeof d === "number")) return undefined;
    if (list.length !== 1 && list.length !== wd) {
      return failure(`expected ${name} to be a single integer value or a list of ${wd} values to match the convolution dimensions, but got ${name}=${fmtList(list)}`);
    }
  }
  return failure(`Expected ${wd + 2}-dimensional input for ${wd + 2}-dimensional weight ${fmtList(w)}, but got ${x.length}-dimensional input of size ${fmtList(x)} instead`);
}

interface ConvSetup {
  readonly x: Shape; // batched input shape
  readonly batched: boolean;
  readonly w: Shape;
  readonly groups: number;
  readonly stride: Dim[];
  readonly dilation: Dim[];
}

/** Common checks of conv and transposed conv: ranks, groups, stride, dilation. */
function setup(args: Args, nd: number, fname: string): ConvSetup | ReturnType<typeof unknown> | Failure {
  const input = tensorShape(args, "input", fname);
  if (isBad(input)) return input;
  const rank = input.shape.length;
  if (rank !== nd + 1 && rank !== nd + 2) {
    return failure(
      `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${fname}, but got input of size: ${fmtList(input.shape)}`,
    );
  }
  const weight = tensorShape(args, "weight", fname);
  if (isBad(weight)) return weight;
  if (weight.shape.length !== nd + 2) {
    const batchedInput = rank === nd + 2 ? input.shape : [1, ...input.shape];
    return weightRankFailure(args, nd, weight.shape, batchedInput, fname.startsWith("conv_transpose")) ??
      failure(`${fname}() expects a ${nd + 2}-D weight, but got weight of size ${fmtList(weight.shape)}`, "bad-argument");
  }
  const groups = concreteInt(args.groups, "groups");
  if (isBad(groups)) return groups;
  if (groups <= 0) return failure("non-positive groups is not supported", "bad-argument");
  const stride = convParam(args, "stride", nd);
  if (isBad(stride)) return stride;
  if (stride.some((s) => typeof s === "number" && s <= 0)) return failure("non-positive stride is not supported", "bad-argument");
  const dilation = convParam(args, "dilation", nd);
  if (isBad(dilation)) return dilation;
  if (dilation.some((d) => typeof d === "number" && d <= 0)) return failure("dilation should be greater than zero", "bad-argument");
  const w = weight.shape;
  if (typeof w[0] === "number" && w[0] < groups) {
    return failure(
      `Given groups=${groups}, expected weight to be at least ${groups} at dimension 0, but got weight of size ${fmtList(w)} instead`,
      "groups-mismatch",
    );
  }
  if (typeof w[0] === "number" && w[0] % groups !== 0) {
    return failure(
      `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${fmtList(w)}] instead`,
      "groups-mismatch",
    );
  }
  const batched = rank === nd + 2;
  return { x: batched ? input.shape : [1, ...input.shape], batched, w, groups, stride, dilation };
}

function biasShape(args: Args): Shape | null | ReturnType<typeof unknown> {
  const b = args.bias;
  if (b === null || b === undefined) return null;
  if (isTensor(b)) return b.shape;
  return unknown("bias unknown");
}

function convShape(nd: number, fname: string, args: Args): Output | Failure {
  const s = setup(args, nd, fname);
  if (isBad(s)) return isUnknown(s) ? unknownTensor(s.reason) : s;
  const { x, w, groups, stride, dilation } = s;
  const spatialIn = x.slice(2);
  const kernel = w.slice(2);
  let padding: Dim[] | "same";
  const padArg = args.padding;
  if (typeof padArg === "string") {
    if (padArg === "valid") padding = spatialIn.map(() => 0);
    else if (padArg === "same") {
      if (stride.some((v) => v !== 1)) return failure("padding='same' is not supported for strided convolutions", "bad-argument");
      padding = "same";
    } else return failure(`Invalid padding string: '${padArg}'`, "bad-argument");
  } else {
    const p = convParam(args, "padding", nd);
    if (isBad(p)) return isUnknown(p) ? unknownTensor(p.reason) : p;
    if (p.some((v) => typeof v === "number" && v < 0)) return failure("negative padding is not supported", "bad-argument");
    padding = p;
  }
  const pads = padding === "same" ? kernel.map(() => 0) : padding;
  const padded = spatialIn.map((i, j) => add(i, mul(2, pads[j])));
  const spans = kernel.map((k, j) => add(mul(dilation[j], sub(k, 1)), 1));
  const cin = mul(w[1], groups);
  if (differs(x[1], cin)) {
    return failure(
      `Given groups=${groups}, weight of size ${fmtList(w)}, expected input${fmtList(x)} to have ${format(cin)} channels, but got ${format(x[1])} channels instead`,
      "channel-mismatch",
    );
  }
  const bias = biasShape(args);
  if (bias !== null && !isUnknown(bias) && (bias.length !== 1 || differs(bias[0], w[0]))) {
    return failure(
      `Given weight of size ${fmtList(w)}, expected bias to be 1-dimensional with ${format(w[0])} elements, but got bias of size ${fmtList(bias)} instead`,
    );
  }
  const tooSmall = padded.some((pi, j) => typeof pi === "number" && typeof spans[j] === "number" && pi < spans[j]);
  if (tooSmall && padding !== "same") {
    return failure(
      `Calculated padded input size per channel: (${padded.map(format).join(" x ")}). Kernel size: (${spans.map(format).join(" x ")}). Kernel size can't be greater than actual input size`,
      "size-too-small",
    );
  }
  const outSpatial = spatialIn.map((i, j) =>
    padding === "same" ? i : convOutputSize(i, kernel[j], stride[j], pads[j], dilation[j]),
  );
  const out = [x[0], w[0], ...outSpatial];
  return tensorOf(s.batched ? out : out.slice(1));
}

function convTransposeShape(nd: number, fname: string, args: Args): Output | Failure {
  const s = setup(args, nd, fname);
  if (isBad(s)) return isUnknown(s) ? unknownTensor(s.reason) : s;
  const { x, w, groups, stride, dilation } = s;
  if (typeof args.padding === "string") return failure(`${fname}(): argument 'padding' must be tuple of ints, not str`, "bad-argument");
  const padding = convParam(args, "padding", nd);
  if (isBad(padding)) return isUnknown(padding) ? unknownTensor(padding.reason) : padding;
  const outPad = convParam(args, "output_padding", nd);
  if (isBad(outPad)) return isUnknown(outPad) ? unknownTensor(outPad.reason) : outPad;
  if (differs(x[1], w[0])) {
    return failure(
      `Given transposed=1, weight of size ${fmtList(w)}, expected input${fmtList(x)} to have ${format(w[0])} channels, but got ${format(x[1])} channels instead`,
      "channel-mismatch",
    );
  }
  const cout = mul(w[1], groups);
  const bias = biasShape(args);
  if (bias !== null && !isUnknown(bias) && (bias.length !== 1 || differs(bias[0], cout))) {
    return failure(
      `Given transposed=1, weight of size ${fmtList(w)}, expected bias to be 1-dimensional with ${format(cout)} elements, but got bias of size ${fmtList(bias)} instead`,
    );
  }
  const bad = outPad.some((op, j) => typeof op === "number" && op >= (stride[j] as number) && op >= (dilation[j] as number));
  if (bad) {
    const names = nd === 1 ? [""] : nd === 2 ? ["_height", "_width"] : ["_depth", "_height", "_width"];
    const part = (what: string, vals: Dim[]) => vals.map((v, j) => `${what}${names[j]}: ${format(v)}`).join(" ");
    return failure(
      `output padding must be smaller than either stride or dilation, but got ${part("output_padding", outPad)} ${part("stride", stride)} ${part("dilation", dilation)}`,
    );
  }
  const spatialIn = x.slice(2);
  const outSpatial = spatialIn.map((i, j) => convTransposeOutputSize(i, w[j + 2], stride[j], padding[j], dilation[j], outPad[j]));
  if (outSpatial.some((o) => typeof o === "number" && o < 1)) {
    return failure(
      `Given input size per channel: (${spatialIn.map(format).join(" x ")}). Calculated output size per channel: (${outSpatial.map(format).join(" x ")}). Output size is too small`,
      "size-too-small",
    );
  }
  const out = [x[0], cout, ...outSpatial];
  return tensorOf(s.batched ? out : out.slice(1));
}

function weightShape(args: Args): Shape | undefined {
  const w = args.weight;
  return isTensor(w) && !isUnknown(w.shape) ? w.shape : undefined;
}

/** out_numel·n MACs and out_numel·(2n − 1 + bias) FLOPs with n = (C_in/groups)·∏k. */
function convCost(args: Args, out: Output): CostOrUnknown {
  const w = weightShape(args);
  const t = firstTensor(out);
  if (!w || !t) return unknown("FLOPs unknown: weight or output shape unknown");
  const bias = args.bias !== null && args.bias !== undefined ? 1 : 0;
  return fromDims([numel(t.shape), product(w.slice(1))], ([o, n]) => [o * n, o * (2 * n - 1 + bias)]);
}

/** in_numel·(C_out/groups)·∏k MACs; FLOPs = 2·MACs + (bias ? out_numel : 0). */
function convTransposeCost(args: Args, out: Output): CostOrUnknown {
  const w = weightShape(args);
  const t = firstTensor(out);
  const x = args.input;
  if (!w || !t || !isTensor(x)) return unknown("FLOPs unknown: weight or output shape unknown");
  const bias = args.bias !== null && args.bias !== undefined ? 1 : 0;
  return fromDims([numel(x.shape), product(w.slice(1)), numel(t.shape)], ([i, n, o]) => [i * n, 2 * i * n + bias * o]);
}

function convRule(nd: number): OpRule {
  const name = `conv${nd}d`;
  return defineOp({
    name,
    namespaces: ["F", "torch"],
    signature: sig("input", "weight", ["bias", null], ["stride", 1], ["padding", 0], ["dilation", 1], ["groups", 1]),
    cost: convCost,
    output: (args) => convShape(nd, name, args),
  });
}

function convTransposeRule(nd: number): OpRule {
  const name = `conv_transpose${nd}d`;
  return defineOp({
    name,
    namespaces: ["F", "torch"],
    signature: sig(
      "input",
      "weight",
      ["bias", null],
      ["stride", 1],
      ["padding", 0],
      ["output_padding", 0],
      ["groups", 1],
      ["dilation", 1],
    ),
    cost: convTransposeCost,
    output: (args) => convTransposeShape(nd, name, args),
  });
}

export const CONV_OPS: readonly OpRule[] = [1, 2, 3].flatMap((nd) => [convRule(nd), convTransposeRule(nd)]);
