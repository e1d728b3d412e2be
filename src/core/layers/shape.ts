// Reshaping layers without arithmetic: Identity, Flatten, Unflatten, PixelShuffle, PixelUnshuffle (zero cost).
import { floorDiv, format as formatDim, mul, product, type Dim } from "../dim";
import { sig, type Signature } from "../signature";
import { isUnknown, type ArgValue, type Args, type Problem } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  dimArg,
  dimOutOfRange,
  failed,
  firstInputShape,
  firstOutputShape,
  forwardError,
  forwardInput,
  initError,
  intArg,
  isNum,
  listText,
  NO_PARAMS,
  paren,
  result,
  tensor,
  unknownResult,
  unknownTensor,
} from "./util";

const FWD = sig("input");
const ZERO = { macs: 0, flops: 0 };

/** Wrap a dim index like maybe_wrap_dim, or return PyTorch's range error. */
function wrapDim(d: number, rank: number): number | string {
  const r = Math.max(rank, 1);
  if (d < -r || d >= r) return dimOutOfRange(r, d);
  return d < 0 ? d + r : d;
}

// ---------------------------------------------------------------------------------------------
// Identity

const IDENTITY_SIG: Signature = { params: [], varargs: "args", varkw: true };

const IDENTITY: LayerRule = {
  type: "Identity",
  signature: IDENTITY_SIG,
  params: () => NO_PARAMS,
  forward: (_args, call) => {
    const bound = bindForward("Identity", FWD, call);
    if (!bound.ok) return bound.result;
    const x = bound.args.input;
    return result(x as LayerResult["output"], ZERO);
  },
  explain: () => ["returns its input unchanged: 0 FLOPs"],
};

// ---------------------------------------------------------------------------------------------
// Flatten / Unflatten

function forwardFlatten(args: Args, call: LayerCall): LayerResult {
  const type = "Flatten";
  const x = forwardInput(type, call);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const [s0, e0] = [intArg(args.start_dim, "start_dim"), intArg(args.end_dim, "end_dim")];
  if (isUnknown(s0)) return unknownResult(s0.reason, unknownTensor(s0.reason, x.t.dtype));
  if (isUnknown(e0)) return unknownResult(e0.reason, unknownTensor(e0.reason, x.t.dtype));
  const s = wrapDim(s0, shape.length);
  if (typeof s === "string") return failed(forwardError(type, s, shape));
  const e = wrapDim(e0, shape.length);
  if (typeof e === "string") return failed(forwardError(type, e, shape));
  if (s > e) return failed(forwardError(type, "flatten() has invalid args: start_dim cannot come after end_dim", shape));
  if (shape.length === 0) return result(tensor([1], x.t.dtype), ZERO);
  const out = [...shape.slice(0, s), product(shape.slice(s, e + 1)), ...shape.slice(e + 1)];
  return result(tensor(out, x.t.dtype), ZERO);
}

const FLATTEN: LayerRule = {
  type: "Flatten",
  signature: sig(["start_dim", 1], ["end_dim", -1]),
  params: () => NO_PARAMS,
  forward: forwardFlatten,
  explain: (_a, call, res) => {
    const [i, o] = [firstInputShape(call), firstOutputShape(res.output)];
    return i && o ? [`${listText(i)} → ${listText(o)} (a view: 0 FLOPs)`] : [];
  },
};

function unflattenValidate(args: Args): Problem[] {
  const { dim, unflattened_size: size } = args;
  if (typeof dim === "string") return [];
  if (typeof dim !== "number" && !isUnknown(dim)) return [initError("TypeError", "invalid argument type for dim parameter")];
  if (Array.isArray(size)) {
    const bad = size.findIndex((v) => !(typeof v === "number" || isUnknown(v) || (typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "sym")));
    if (bad >= 0) {
      const v = size[bad];
      const t = typeof v === "string" ? "str" : Array.isArray(v) ? "tuple" : v === null ? "NoneType" : typeof v === "boolean" ? "bool" : "object";
      return [initError("TypeError", `unflattened_size must be tuple of ints, but found element of type ${t} at pos ${bad}`)];
    }
    return [];
  }
  if (isUnknown(size)) return [];
  const t = typeof size === "number" ? (Number.isInteger(size) ? "int" : "float") : typeof size === "string" ? "str" : size === null ? "NoneType" : "object";
  return [initError("TypeError", `unflattened_size must be a tuple of ints, but found type ${t}`)];
}

function forwardUnflatten(args: Args, call: LayerCall): LayerResult {
  const type = "Unflatten";
  const x = forwardInput(type, call);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const d0 = args.dim;
  if (typeof d0 !== "number") return unknownResult("Unflatten over a named dim is not supported", unknownTensor("named dims", x.t.dtype));
  const size = args.unflattened_size;
  if (!Array.isArray(size)) return unknownResult("unflattened_size is not known", unknownTensor("unflattened_size is not known", x.t.dtype));
  const d = wrapDim(d0, shape.length);
  if (typeof d === "string") return failed(forwardError(type, d, shape));
  const sizes: Dim[] = (size as readonly ArgValue[]).map((v) => dimArg(v, "unflattened_size"));
  if (sizes.length === 0) return failed(forwardError(type, "unflatten: sizes must be non-empty", shape));
  const n = shape[d];
  const inferAt = sizes.findIndex((v) => v === -1);
  const known = sizes.filter((_v, i) => i !== inferAt);
  const prod = product(known);
  const badMessage = `unflatten: Provided sizes ${listText(sizes)} don't multiply up to the size of dim ${d} (${formatDim(n)}) in the input tensor`;
  if (sizes.filter((v) => v === -1).length > 1) return failed(forwardError(type, "unflatten got an unexpected error:", shape));
  const out = [...sizes];
  if (inferAt >= 0) {
    if (isNum(n) && isNum(prod) && (prod === 0 || n % prod !== 0)) return failed(forwardError(type, badMessage, shape));
    // PyTorch fails unless the division is exact, so floor is the quotient wherever it runs
    out[inferAt] = isNum(n) && isNum(prod) ? n / prod : floorDiv(n, prod);
  } else if (isNum(n) && isNum(prod) && n !== prod) {
    return failed(forwardError(type, badMessage, shape));
  }
  return result(tensor([...shape.slice(0, d), ...out, ...shape.slice(d + 1)], x.t.dtype), ZERO);
}

const UNFLATTEN: LayerRule = {
  type: "Unflatten",
  signature: sig("dim", "unflattened_size"),
  validate: unflattenValidate,
  params: () => NO_PARAMS,
  forward: forwardUnflatten,
  explain: (_a, call, res) => {
    const [i, o] = [firstInputShape(call), firstOutputShape(res.output)];
    return i && o ? [`${listText(i)} → ${listText(o)} (a view: 0 FLOPs)`] : [];
  },
};

// ---------------------------------------------------------------------------------------------
// PixelShuffle / PixelUnshuffle

function forwardPixel(type: string, up: boolean, args: Args, call: LayerCall): LayerResult {
  const x = forwardInput(type, call);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const fn = up ? "pixel_shuffle" : "pixel_unshuffle";
  const r = intArg(up ? args.upscale_factor : args.downscale_factor, up ? "upscale_factor" : "downscale_factor");
  if (shape.length < 3) {
    return failed(forwardError(type, `${fn} expects input to have at least 3 dimensions, but got input with ${shape.length} dimension(s)`, shape));
  }
  if (isUnknown(r)) return unknownResult(r.reason, unknownTensor(r.reason, x.t.dtype));
  if (r <= 0) return failed(forwardError(type, `${fn} expects a positive ${up ? "upscale" : "downscale"}_factor, but got ${r}`, shape));
  const [c, h, w] = shape.slice(-3);
  const lead = shape.slice(0, -3);
  if (up) {
    const r2 = r * r;
    if (isNum(c) && c % r2 !== 0) {
      return failed(
        forwardError(type, `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r2}`, shape),
      );
    }
    return result(tensor([...lead, floorDiv(c, r2), mul(h, r), mul(w, r)], x.t.dtype), ZERO);
  }
  if (isNum(h) && h % r !== 0) {
    return failed(forwardError(type, `pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`, shape));
  }
  if (isNum(w) && w % r !== 0) {
    return failed(forwardError(type, `pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`, shape));
  }
  return result(tensor([...lead, mul(c, r * r), floorDiv(h, r), floorDiv(w, r)], x.t.dtype), ZERO);
}

function pixelRule(up: boolean): LayerRule {
  const type = up ? "PixelShuffle" : "PixelUnshuffle";
  return {
    type,
    signature: sig(up ? "upscale_factor" : "downscale_factor"),
    params: () => NO_PARAMS,
    forward: (args, call) => forwardPixel(type, up, args, call),
    explain: (args, call, res) => {
      const i = firstInputShape(call);
      const o = firstOutputShape(res.output);
      const r = intArg(up ? args.upscale_factor : args.downscale_factor, "factor");
      if (!i || !o || i.length < 3 || isUnknown(r)) return [];
      const [c, h, w] = i.slice(-3).map((d) => paren(formatDim(d)));
      const [oc, oh, ow] = o.slice(-3).map((d) => formatDim(d));
      return up
        ? [`C = ${c} / ${r}² = ${oc}, H = ${h}·${r} = ${oh}, W = ${w}·${r} = ${ow}`, "FLOPs = 0 (a reshape)"]
        : [`C = ${c}·${r}² = ${oc}, H = ${h} / ${r} = ${oh}, W = ${w} / ${r} = ${ow}`, "FLOPs = 0 (a reshape)"];
    },
  };
}

export const SHAPE_RULES: readonly LayerRule[] = [IDENTITY, FLATTEN, UNFLATTEN, pixelRule(true), pixelRule(false)];
