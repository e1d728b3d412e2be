// Max/Avg pooling 1d/2d/3d (ceil_mode, padding, dilation) and the adaptive pools: shapes, FLOPs, errors, explain.
import { ceilDiv, format as formatDim, mul, product, type Dim } from "../dim";
import { sig } from "../signature";
import { isUnknown, unknown, type ArgValue, type Args, type CostOrUnknown } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  boolArg,
  costOf,
  dimNames,
  dimOutOfRange,
  factors,
  failed,
  firstInputShape,
  firstOutputShape,
  firstUnknown,
  forwardError,
  forwardInput,
  type Int,
  intArg,
  isNum,
  listText,
  NO_PARAMS,
  numel,
  poolOutSize,
  result,
  show,
  tensor,
  tup,
  unknownTensor,
} from "./util";

const MAXPOOL_SIG = sig("kernel_size", ["stride", null], ["padding", 0], ["dilation", 1], ["return_indices", false], ["ceil_mode", false]);
const AVGPOOL1D_SIG = sig("kernel_size", ["stride", null], ["padding", 0], ["ceil_mode", false], ["count_include_pad", true]);
const AVGPOOL_SIG = sig(
  "kernel_size",
  ["stride", null],
  ["padding", 0],
  ["ceil_mode", false],
  ["count_include_pad", true],
  ["divisor_override", null],
);

interface PoolNums {
  readonly k: number[];
  readonly s: number[];
  readonly p: number[];
  readonly d: number[];
  readonly ceil: boolean;
}

function poolNums(args: Args, nd: number, max: boolean): PoolNums | string {
  const k = tup(args.kernel_size, nd, "kernel_size");
  const stride = args.stride;
  const s = stride === null || stride === undefined || (Array.isArray(stride) && stride.length === 0) ? k : tup(stride, nd, "stride");
  const p = tup(args.padding, nd, "padding");
  const d = max ? tup(args.dilation, nd, "dilation") : Array<Int>(nd).fill(1);
  const ceil = boolArg(args.ceil_mode, "ceil_mode");
  const u = firstUnknown(k, s, p, d, ceil);
  if (u) return u.reason;
  return { k: k as number[], s: s as number[], p: p as number[], d: d as number[], ceil: ceil as boolean };
}

/** The oracle's pool window for the cost: `_tup(kernel_size, rank - 2 if rank > 2 else 1)`. */
function costWindow(kernel: ArgValue | undefined, rank: number): Dim {
  const n = rank > 2 ? rank - 2 : 1;
  const t = tup(kernel, Array.isArray(kernel) && kernel.length !== 1 ? kernel.length : n, "kernel_size");
  return isUnknown(t) ? t : product(t);
}

const RANK_ERRORS: Record<string, (shape: readonly Dim[]) => string> = {
  MaxPool1d: (s) => `max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${listText(s)}`,
  MaxPool2d: () => "non-empty 3D or 4D (batch mode) tensor expected for input",
  MaxPool3d: () => "non-empty 4D or 5D (batch mode) tensor expected for input",
  AvgPool1d: (s) => `Expected 2 to 3 dimensions, but got ${s.length}-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)`,
  AvgPool2d: (s) =>
    s.length < 3 ? dimOutOfRange(s.length, -3) : `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${listText(s)}`,
  AvgPool3d: () => "non-empty 4D or 5D (batch mode) tensor expected for input",
};

/** pooling_output_shape's checks per dim, then pool2d/3d_shape_check's (1-D pools run as 2-D). */
function poolParamCheck(nd: number, k: number[], s: number[], p: number[], d: number[]): string | undefined {
  for (let j = 0; j < nd; j++) {
    if (s[j] === 0) return "stride should not be zero";
    if (p[j] < 0) return `pad must be non-negative, but got pad: ${p[j]}`;
    if (p[j] > Math.floor(k[j] / 2)) return `pad should be at most half of kernel size, but got pad=${p[j]} and kernel_size=${k[j]}`;
  }
  const names = nd === 3 ? ["T", "H", "W"] : ["H", "W"];
  const as2 = (v: number[]) => (nd === 1 ? [1, ...v] : v);
  const list = (prefix: string, v: number[]) => names.map((n, i) => `${prefix}${n}: ${as2(v)[i]}`).join(" ");
  if (k.some((v) => v <= 0)) return `kernel size should be greater than zero, but got ${list("k", k)}`;
  if (s.some((v) => v <= 0)) return `stride should be greater than zero, but got ${list("d", s)}`;
  if (d.some((v) => v <= 0)) return `dilation should be greater than zero, but got ${list("dilation", d)}`;
  return undefined;
}

/** A Max/AvgPool forward; `label` names the layer in messages when another layer runs it (LPPool runs avg_pool). */
export function forwardPool(type: string, nd: number, max: boolean, args: Args, call: LayerCall, label = type): LayerResult {
  const x = forwardInput(label, call);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const rank = shape.length;
  if (rank !== nd + 1 && rank !== nd + 2) return failed(forwardError(label, RANK_ERRORS[type](shape), shape));
  const nums = poolNums(args, nd, max);
  if (typeof nums === "string") return result(unknownTensor(nums), unknown(nums));
  const { k, s, p, d, ceil } = nums;
  if (!max && nd > 1 && args.divisor_override === 0) return failed(forwardError(label, "divisor must be not zero", shape));
  // (MaxPool1d on an input that needs grad runs as max_pool2d_with_indices: the 2-D checks)
  const msg = poolParamCheck(nd, k, s, p, d);
  if (msg) return failed(forwardError(label, msg, shape));
  const spatial = shape.slice(rank - nd);
  const planes = shape[rank - nd - 1];
  if (type === "AvgPool3d" && spatial.every(isNum) && spatial.some((v, j) => (v as number) < k[j])) {
    const [t, h, w] = spatial;
    return failed(forwardError(label, `input image (T: ${t} H: ${h} W: ${w}) smaller than kernel size (kT: ${k[0]} kH: ${k[1]} kW: ${k[2]})`, shape));
  }
  const out = spatial.map((i, j) => poolOutSize(i, k[j], s[j], p[j], d[j], ceil));
  if (out.every(isNum) && spatial.every(isNum) && isNum(planes) && out.some((o) => (o as number) < 1)) {
    // 1-D pools run as 2-D ones with a height of 1
    const ins = nd === 1 ? [planes, 1, ...spatial] : [planes, ...spatial];
    const outs = nd === 1 ? [planes, 1, ...out] : [planes, ...out];
    return failed(forwardError(label, `Given input size: (${ins.join("x")}). Calculated output size: (${outs.join("x")}). Output size is too small`, shape));
  }
  const outShape = [...shape.slice(0, rank - nd), ...out];
  const window = costWindow(args.kernel_size, rank);
  const on = numel(outShape);
  const cost = costOf(0, max ? mul(on, isNum(window) ? window - 1 : window) : mul(on, window), shape);
  const y = tensor(outShape, x.t.dtype);
  if (max && boolArg(args.return_indices, "return_indices") === true) return result([y, tensor(outShape, "long")], cost);
  return result(y, cost);
}

function explainPool(nd: number, max: boolean, args: Args, call: LayerCall, res: LayerResult): string[] {
  const nums = poolNums(args, nd, max);
  if (typeof nums === "string") return [`unknown: ${nums}`];
  const inShape = firstInputShape(call);
  const outShape = firstOutputShape(res.output);
  const lines: string[] = [];
  if (inShape && outShape && inShape.length >= nd + 1) {
    const spatial = inShape.slice(inShape.length - nd);
    const { k, s, p, d, ceil } = nums;
    const formulas = spatial.map((i, j) => {
      const o = formatDim(outShape[outShape.length - nd + j]);
      const inner = `(${formatDim(i)} + 2·${p[j]} − ${d[j]}·(${k[j]} − 1) − 1) / ${s[j]}`;
      if (!ceil) return `⌊${inner}⌋ + 1 = ${o}`;
      return `⌈${inner}⌉ + 1, minus 1 if the last window starts past the input ((O − 1)·${s[j]} ≥ ${formatDim(i)} + ${p[j]}) = ${o}`;
    });
    if (formulas.every((f) => f === formulas[0])) lines.push(`O = ${formulas[0]}`);
    else dimNames(nd).forEach((n, j) => lines.push(`O_${n} = ${formulas[j]}`));
    const w = costWindow(args.kernel_size, inShape.length);
    const c: CostOrUnknown = res.cost;
    const flops = isUnknown(c) ? `unknown (${c.reason})` : show(c.flops);
    lines.push(max ? `FLOPs = (${formatDim(w)} − 1 compares)·${factors(outShape)} = ${flops}` : `FLOPs = ${formatDim(w)}·${factors(outShape)} = ${flops} (adds and one divide per output)`);
  }
  return lines;
}

function poolRule(nd: number, max: boolean): LayerRule {
  const type = `${max ? "Max" : "Avg"}Pool${nd}d`;
  return {
    type,
    signature: max ? MAXPOOL_SIG : nd === 1 ? AVGPOOL1D_SIG : AVGPOOL_SIG,
    params: () => NO_PARAMS,
    forward: (args, call) => forwardPool(type, nd, max, args, call),
    explain: (args, call, res) => explainPool(nd, max, args, call, res),
  };
}

// ---------------------------------------------------------------------------------------------
// adaptive pools

function adaptiveRankError(nd: number, max: boolean, shape: readonly Dim[]): string {
  const fn = `adaptive_${max ? "max" : "avg"}_pool${nd}d`;
  if (nd === 1) return `Expected 2 to 3 dimensions, but got ${shape.length}-dimensional tensor for argument #1 'self' (while checking arguments for ${fn})`;
  return `${fn}(): Expected ${nd + 1}D or ${nd + 2}D tensor, but got${max ? ":" : ""} ${listText(shape)}`;
}

function forwardAdaptive(type: string, nd: number, max: boolean, args: Args, call: LayerCall): LayerResult {
  const x = forwardInput(type, call);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const rank = shape.length;
  const os = args.output_size;
  if (nd === 1 && (os === null || (Array.isArray(os) && os.includes(null)))) {
    // the 1-D adaptive pools take no None (PyTorch's argument parser rejects it)
    const got = os === null ? "NoneType" : "tuple";
    return failed(forwardError(type, `adaptive_${max ? "max" : "avg"}_pool1d(): argument 'output_size' (position 2) must be tuple of ints, not ${got}`, shape));
  }
  const items: readonly ArgValue[] = Array.isArray(os) ? os : Array(nd).fill(os);
  if (items.length !== nd) {
    return failed(forwardError(type, `adaptive_${max ? "max" : "avg"}_pool${nd}d: output_size must be ${nd}`, shape));
  }
  if (Array.isArray(os) && rank <= nd && os.some((v) => v === null)) {
    return failed(forwardError(type, `Input dimension should be at least ${nd + 1}`, shape));
  }
  const wanted: Dim[] = items.map((v, j) => (v === null ? shape[rank - nd + j] : intArg(v, "output_size")));
  if (wanted.some((w) => isNum(w) && w < 0)) {
    if (!max) {
      // (PyTorch's 3-D message reuses the 2-D name and drops a space)
      const w2 = nd === 1 ? [1, ...wanted] : wanted;
      const list = nd === 3 ? `${w2[0]}, ${w2[1]},${w2[2]}` : w2.join(", ");
      return failed(forwardError(type, `adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {${list}}`, shape));
    }
    const neg = wanted.find((w) => isNum(w) && w < 0) as number;
    return failed(forwardError(type, `Trying to create tensor with negative dimension ${neg}: ${listText([...shape.slice(0, rank - nd), ...wanted])}`, shape));
  }
  // avg pool to all-ones is a mean over the last dims (PyTorch skips the rank checks then)
  const meanPath = !max && nd > 1 && wanted.every((w) => w === 1) && rank >= 2;
  if (!meanPath && rank !== nd + 1 && rank !== nd + 2) return failed(forwardError(type, adaptiveRankError(nd, max, shape), shape));
  if (meanPath && rank < nd) return failed(forwardError(type, dimOutOfRange(rank, -nd), shape));
  const spatial = shape.slice(rank - nd);
  if (!meanPath) {
    // 1-D adaptive pools run as 2-D ones with a height of 1
    const fn = `adaptive_${max ? "max" : "avg"}_pool${nd === 1 ? 2 : nd}d`;
    const shape2 = nd === 1 ? [...shape.slice(0, rank - 1), 1, shape[rank - 1]] : shape;
    const nd2 = Math.max(nd, 2);
    const empty = shape2.findIndex((v, i) => i >= shape2.length - nd2 && v === 0);
    if (empty >= 0) {
      return failed(
        forwardError(type, `${fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${listText(shape2)} with dimension ${empty} being empty`, shape),
      );
    }
  }
  const outShape = [...shape.slice(0, rank - nd), ...wanted];
  const windows = spatial.map((i, j) => (wanted[j] === 0 ? unknown("an output size of 0 has no window") : ceilDiv(i, wanted[j])));
  const window = product(windows);
  const on = numel(outShape);
  const cost = costOf(0, max ? mul(on, isNum(window) ? window - 1 : window) : mul(on, window), shape);
  const y = tensor(outShape, x.t.dtype);
  if (max && boolArg(args.return_indices, "return_indices") === true) return result([y, tensor(outShape, "long")], cost);
  return result(y, cost);
}

function adaptiveRule(nd: number, max: boolean): LayerRule {
  const type = `Adaptive${max ? "Max" : "Avg"}Pool${nd}d`;
  return {
    type,
    signature: max ? sig("output_size", ["return_indices", false]) : sig("output_size"),
    params: () => NO_PARAMS,
    forward: (args, call) => forwardAdaptive(type, nd, max, args, call),
    explain: (_args, call, res) => {
      const inShape = firstInputShape(call);
      const outShape = firstOutputShape(res.output);
      if (!inShape || !outShape) return [];
      const ins = inShape.slice(inShape.length - nd);
      const outs = outShape.slice(-nd);
      const flops = isUnknown(res.cost) ? `unknown (${res.cost.reason})` : show(res.cost.flops);
      return [
        `O = output_size = ${listText(outs)}`,
        `window = ${ins.map((i, j) => `⌈${formatDim(i)}/${formatDim(outs[j])}⌉`).join("·")} = ${formatDim(product(ins.map((i, j) => (outs[j] === 0 ? unknown("empty output") : ceilDiv(i, outs[j])))))}; FLOPs = ${max ? "(window − 1)" : "window"}·${factors(outShape)} = ${flops}`,
      ];
    },
  };
}

export const POOL_RULES: readonly LayerRule[] = [1, 2, 3].flatMap((nd) => [
  poolRule(nd, true),
  poolRule(nd, false),
  adaptiveRule(nd, true),
  adaptiveRule(nd, false),
]);
