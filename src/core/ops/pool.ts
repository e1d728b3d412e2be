// F.max_pool/avg_pool/adaptive_*_pool 1d-3d: PyTorch's checks, output sizes (ceil_mode rule) and costs.
import { ceilDiv, format, product, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type Args, type CostOrUnknown, type Output } from "../types";
import { expandParam, failure, firstTensor, fmtList, fmtX, isBad, tensorOf, tensorShape, unknownTensor, type Failure, type Shape } from "./common";
import { defineOp, fromDims, numel } from "./define";
import type { OpRule } from "./rule";
import { poolOutputSize } from "./spatial";

export type Kind = "max" | "avg";
const WORDS = ["", "one", "two", "three"];

/** `stride=None` (or `[]`, torch.max_pool2d's default) means stride = kernel_size. */
function strideOrKernel(args: Args): Args["stride"] {
  const s = args.stride;
  return s === null || s === undefined || (Array.isArray(s) && s.length === 0) ? args.kernel_size : s;
}

function paramMessage(kind: Kind, nd: number, what: string, given: Dim[]): string {
  const fname = `${kind}_pool${nd}d`;
  if (nd === 1) {
    return kind === "max"
      ? `max_pool1d() ${what} must be an int, list of ints or tuple of ints of size 1 but got size ${given.length}`
      : `avg_pool1d() argument '${what}' should contain one int (got ${given.length})`;
  }
  const lead = what === "stride" ? "must either be omitted, a single int," : what === "kernel_size" ? "must either be a single int," : "must be either be a single int,";
  return `${fname}: ${what} ${lead} or a tuple of ${WORDS[nd]} ints`;
}

function rankMessage(kind: Kind, nd: number, shape: Shape): string {
  if (nd === 1) {
    return kind === "max"
      ? `max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${fmtList(shape)}`
      : `Expected 2 to 3 dimensions, but got ${shape.length}-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)`;
  }
  return `non-empty ${nd + 1}D or ${nd + 2}D (batch mode) tensor expected for input`;
}

export function poolShape(kind: Kind, nd: number, args: Args): Output | Failure {
  const fname = `${kind}_pool${nd}d`;
  const input = tensorShape(args, "input", fname);
  if (isBad(input)) return isUnknown(input) ? unknownTensor(input.reason) : input;
  const x = input.shape;
  if (x.length !== nd + 1 && x.length !== nd + 2) return failure(rankMessage(kind, nd, x));
  const read = (what: string, v: Args[string]) => expandParam(v, nd, what, (given) => paramMessage(kind, nd, what, given));
  const k = read("kernel_size", args.kernel_size);
  if (isBad(k)) return isUnknown(k) ? unknownTensor(k.reason) : k;
  const s = read("stride", strideOrKernel(args));
  if (isBad(s)) return isUnknown(s) ? unknownTensor(s.reason) : s;
  const p = read("padding", args.padding);
  if (isBad(p)) return isUnknown(p) ? unknownTensor(p.reason) : p;
  const d = kind === "max" ? read("dilation", args.dilation) : k.map(() => 1);
  if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason) : d;
  if (s.some((v) => v === 0) || k.some((v) => v === 0)) return failure("stride should not be zero", "bad-argument");
  const ceil = args.ceil_mode === true;
  const spatial = x.slice(x.length - nd);
  for (let j = 0; j < nd; j++) {
    const kj = k[j];
    const pj = p[j];
    if (typeof kj === "number" && typeof pj === "number" && pj > Math.floor(kj / 2)) {
      return failure(
        nd === 1 && kind === "max"
          ? `max_pool1d() padding should be at most half of kernel size, but got padding=${pj} and kernel_size=${kj}`
          : `pad should be at most half of kernel size, but got pad=${pj} and kernel_size=${kj}`,
      );
    }
  }
  if (kind === "avg" && nd === 3 && spatial.some((i, j) => typeof i === "number" && typeof k[j] === "number" && i < (k[j] as number))) {
    const [t, h, w] = spatial.map(format);
    const [kt, kh, kw] = k.map(format);
    return failure(`input image (T: ${t} H: ${h} W: ${w}) smaller than kernel size (kT: ${kt} kH: ${kh} kW: ${kw})`, "size-too-small");
  }
  const out = spatial.map((i, j) => poolOutputSize(i, k[j], s[j], p[j], d[j], ceil));
  const channels = x[x.length - nd - 1];
  if (nd === 1 && kind === "max") {
    if (typeof out[0] === "number" && out[0] < 0) return failure(`max_pool1d() Invalid computed output size: ${out[0]}`, "size-too-small");
  } else if (out.some((o) => typeof o === "number" && o < 1)) {
    // avg_pool1d runs as avg_pool2d over (C, 1, L)
    const shown = nd === 1 ? [channels, 1, ...spatial] : [channels, ...spatial];
    const shownOut = nd === 1 ? [channels, 1, ...out] : [channels, ...out];
    return failure(`Given input size: (${fmtX(shown)}). Calculated output size: (${fmtX(shownOut)}). Output size is too small`, "size-too-small");
  }
  const shape = [...x.slice(0, x.length - nd), ...out];
  const y = tensorOf(shape, input.t.dtype);
  return args.return_indices === true ? [y, tensorOf(shape, "long")] : y;
}

/** Max: ∏window − 1 compares per output element; avg: ∏window per output element. */
function poolCost(kind: Kind, nd: number) {
  return (args: Args, out: Output): CostOrUnknown => {
    const k = expandParam(args.kernel_size, nd, "kernel_size", () => "");
    const t = firstTensor(out);
    if (isBad(k) || !t) return unknown("FLOPs unknown: kernel size or output shape unknown");
    return fromDims([numel(t.shape), product(k)], ([o, w]) => [0, kind === "max" ? o * (w - 1) : o * w]);
  };
}

function poolRule(kind: Kind, nd: number): OpRule {
  const name = `${kind}_pool${nd}d`;
  const signature =
    kind === "max"
      ? sig("input", "kernel_size", ["stride", null], ["padding", 0], ["dilation", 1], ["ceil_mode", false], ["return_indices", false])
      : nd === 1
        ? sig("input", "kernel_size", ["stride", null], ["padding", 0], ["ceil_mode", false], ["count_include_pad", true])
        : sig(
            "input",
            "kernel_size",
            ["stride", null],
            ["padding", 0],
            ["ceil_mode", false],
            ["count_include_pad", true],
            ["divisor_override", null],
          );
  const inTorch = kind === "max" || nd === 1;
  return defineOp({
    name,
    namespaces: inTorch ? ["F", "torch"] : ["F"],
    signature,
    cost: poolCost(kind, nd),
    output: (args) => poolShape(kind, nd, args),
  });
}

function adaptiveMessages(kind: Kind, nd: number, shape: Shape, len?: number): string {
  const fname = `adaptive_${kind}_pool${nd}d`;
  if (len !== undefined) {
    if (nd === 1) return `${fname}() argument 'output_size' should contain one int (got ${len})`;
    return kind === "avg" ? `${fname}: output_size must be ${nd}` : `${fname}(): internal error: output_size.size() must be ${nd}`;
  }
  if (nd === 1) {
    return `Expected 2 to 3 dimensions, but got ${shape.length}-dimensional tensor for argument #1 'self' (while checking arguments for ${fname})`;
  }
  return `${fname}(): Expected ${nd + 1}D or ${nd + 2}D tensor, but got${kind === "max" ? ":" : ""} ${fmtList(shape)}`;
}

function adaptiveShape(kind: Kind, nd: number, args: Args): Output | Failure {
  const fname = `adaptive_${kind}_pool${nd}d`;
  const input = tensorShape(args, "input", fname);
  if (isBad(input)) return isUnknown(input) ? unknownTensor(input.reason) : input;
  const x = input.shape;
  if (x.length !== nd + 1 && x.length !== nd + 2) return failure(adaptiveMessages(kind, nd, x));
  const spatial = x.slice(x.length - nd);
  const raw = args.output_size;
  const entries = Array.isArray(raw) ? (raw as readonly Args[string][]) : Array.from({ length: nd }, () => raw);
  if (entries.length !== nd) return failure(adaptiveMessages(kind, nd, x, entries.length));
  const out: Dim[] = [];
  for (let j = 0; j < nd; j++) {
    const e = entries[j];
    if (e === null) out.push(spatial[j]);
    else {
      const r = expandParam(e, 1, "output_size", () => "");
      if (isBad(r)) return isUnknown(r) ? unknownTensor(r.reason) : r;
      out.push(r[0]);
    }
  }
  const shape = [...x.slice(0, x.length - nd), ...out];
  const y = tensorOf(shape, input.t.dtype);
  return kind === "max" && args.return_indices === true ? [y, tensorOf(shape, "long")] : y;
}

/** Window = ∏ ceil(i/o); max: window − 1 per output element, avg: window. */
function adaptiveCost(kind: Kind, nd: number) {
  return (args: Args, out: Output): CostOrUnknown => {
    const x = args.input;
    const t = firstTensor(out);
    const xs = isTensor(x) ? x.shape : undefined;
    if (!t || !xs || isUnknown(xs) || isUnknown(t.shape)) return unknown("FLOPs unknown: shape unknown");
    const ins = xs.slice(xs.length - nd);
    const outs = t.shape.slice(t.shape.length - nd);
    const window = product(ins.map((i, j) => ceilDiv(i, outs[j])));
    return fromDims([numel(t.shape), window], ([o, w]) => [0, kind === "max" ? o * (w - 1) : o * w]);
  };
}

function adaptiveRule(kind: Kind, nd: number): OpRule {
  const name = `adaptive_${kind}_pool${nd}d`;
  return defineOp({
    name,
    namespaces: kind === "avg" && nd === 1 ? ["F", "torch"] : ["F"],
    signature: kind === "max" ? sig("input", "output_size", ["return_indices", false]) : sig("input", "output_size"),
    cost: adaptiveCost(kind, nd),
    output: (args) => adaptiveShape(kind, nd, args),
  });
}

export const POOL_OPS: readonly OpRule[] = (["max", "avg"] as const).flatMap((kind) =>
  [1, 2, 3].flatMap((nd) => [poolRule(kind, nd), adaptiveRule(kind, nd)]),
);

