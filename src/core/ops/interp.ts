// Resampling and padding: F.interpolate/upsample*, F.pad, F.pixel_shuffle/pixel_unshuffle.
import { add, floorDiv, format, mul, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type CostOrUnknown, type Output } from "../types";
import {
  concreteInt,
  failure,
  fmtList,
  fmtSeq,
  fmtTuple,
  intList,
  isBad,
  tensorOf,
  tensorShape,
  unknownTensor,
  type Failure,
} from "./common";
import { defineOp, noRule, perElement } from "./define";
import type { OpRule } from "./rule";
import { reflectionPadError } from "../layers/padding";

/** FLOPs per output element by mode: taps·2 − 1 (spec §3). */
export const UPSAMPLE_COST: Readonly<Record<string, number>> = {
  nearest: 0,
  "nearest-exact": 0,
  linear: 3,
  bilinear: 7,
  bicubic: 31,
  trilinear: 15,
};

const MODE_RANK: Readonly<Record<string, readonly number[]>> = {
  nearest: [3, 4, 5],
  "nearest-exact": [3, 4, 5],
  area: [3, 4, 5],
  linear: [3],
  bilinear: [4],
  bicubic: [4],
  trilinear: [5],
};

/** floor(i · scale) as Python computes it (a float product); symbolic sizes for dyadic scales only. */
export function scaledSize(i: Dim, scale: number): Dim {
  if (typeof i === "number") {
    const o = Math.floor(i * scale);
    return Number.isSafeInteger(o) ? o : unknown("an output size exceeds 2^53");
  }
  if (isUnknown(i)) return i;
  for (let k = 0, den = 1; k <= 20; k++, den *= 2) {
    const num = scale * den;
    if (Number.isInteger(num)) return floorDiv(mul(i, num), den);
  }
  return unknown(`floor(${format(i)}*${scale}) is not exact`);
}

function resolveMode(name: string, args: Args): string | ArgValue {
  if (name === "upsample_nearest") return "nearest";
  if (name === "upsample_bilinear") return "bilinear";
  return args.mode;
}

function interpShape(name: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", name);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const mode = resolveMode(name, args);
  if (typeof mode !== "string") return unknownTensor("interpolation mode unknown", x.t.dtype);
  const ac = name === "upsample_bilinear" ? true : args.align_corners;
  if ((mode === "nearest" || mode === "area" || mode === "nearest-exact") && ac !== null && ac !== undefined) {
    return failure("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear", "bad-argument");
  }
  const rank = x.shape.length;
  const nd = rank - 2;
  const spatial = x.shape.slice(2);
  const size = args.size ?? null;
  const scale = args.scale_factor ?? null;
  let out: Dim[];
  if (size !== null && scale !== null) return failure("only one of size or scale_factor should be defined", "bad-argument");
  if (size !== null) {
    const list = intList(size, "size");
    if (isBad(list)) return isUnknown(list) ? unknownTensor(list.reason, x.t.dtype) : list;
    if (Array.isArray(size) && list.length !== nd) {
      return failure(
        `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${fmtList(spatial)} and output size of ${fmtSeq(list, size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`,
        "bad-argument",
      );
    }
    out = Array.isArray(size) ? list : spatial.map(() => list[0]);
  } else if (scale !== null) {
    const scales = Array.isArray(scale) ? (scale as readonly ArgValue[]) : spatial.map(() => scale);
    if (scales.some((s) => typeof s !== "number")) return unknownTensor("scale_factor unknown", x.t.dtype);
    if (scales.length !== nd) {
      return failure(
        `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${fmtList(spatial)} and scale_factor of shape ${fmtTuple(scales as number[])}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`,
        "bad-argument",
      );
    }
    out = spatial.map((i, j) => scaledSize(i, scales[j] as number));
  } else {
    return failure("either size or scale_factor should be defined", "bad-argument");
  }
  const ranks = MODE_RANK[mode];
  if (!ranks || !ranks.includes(rank)) {
    // PyTorch names the rank needed only for the linear modes
    const need = ranks && ["linear", "bilinear", "trilinear"].includes(mode) && [3, 4, 5].includes(rank) ? ranks[0] : undefined;
    return failure(
      need !== undefined
        ? `Got ${rank}D input, but ${mode} mode needs ${need}D input`
        : `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${rank}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`,
      "bad-argument",
    );
  }
  if (mode !== "area" && out.some((o) => typeof o === "number" && o <= 0)) {
    const names = ["D", "H", "W"].slice(3 - nd);
    const sizes = (ds: readonly Dim[]) => ds.map((d, j) => `${names[j]}: ${format(d)}`).join(", ");
    return failure(
      `Input and output sizes should be greater than 0, but got input (${sizes(spatial)})${nd === 1 ? " and" : ""} output (${sizes(out)})`,
      "size-too-small",
    );
  }
  return tensorOf([...x.shape.slice(0, 2), ...out], x.t.dtype);
}

function interpCost(name: string) {
  return (args: Args, out: Output): CostOrUnknown => {
    const mode = resolveMode(name, args);
    if (typeof mode !== "string") return unknown("FLOPs unknown: interpolation mode unknown");
    const c = UPSAMPLE_COST[mode];
    if (c === undefined) return noRule(`${name}(mode='${mode}')`);
    return isTensor(out) ? perElement(out.shape, c) : unknown("FLOPs unknown: output unknown");
  };
}

function interpRule(name: string, withMode: boolean): OpRule {
  const signature = !withMode
    ? sig("input", ["size", null], ["scale_factor", null])
    : name === "interpolate"
      ? sig(
          "input",
          ["size", null],
          ["scale_factor", null],
          ["mode", "nearest"],
          ["align_corners", null],
          ["recompute_scale_factor", null],
          ["antialias", false],
        )
      : sig("input", ["size", null], ["scale_factor", null], ["mode", "nearest"], ["align_corners", null]);
  return defineOp({ name, namespaces: ["F"], signature, cost: interpCost(name), output: (a) => interpShape(name, a) });
}

/** F.pad: pairs from the last dim backwards; negative pads crop. */
function padShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "pad");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const pad = intList(args.pad, "pad");
  if (isBad(pad)) return isUnknown(pad) ? unknownTensor(pad.reason, x.t.dtype) : pad;
  if (pad.length % 2 !== 0) return failure("Padding length must be divisible by 2", "bad-argument");
  const rank = x.shape.length;
  if (pad.length / 2 > rank) return failure("Padding length too large", "bad-argument");
  // reflection_padNd's own wording (which argument, the input's sizes or, for 2-d padding, its rank)
  const reflectErr = args.mode === "reflect" && pad.every((p): p is number => typeof p === "number") ? reflectionPadError(pad.length / 2, pad, x.shape) : undefined;
  if (reflectErr) return failure(reflectErr);
  const out = [...x.shape];
  for (let i = 0; i < pad.length / 2; i++) {
    const d = rank - 1 - i;
    const [l, r] = [pad[2 * i], pad[2 * i + 1]];
    if (args.mode === "reflect" && [l, r].some((p) => typeof p === "number" && typeof x.shape[d] === "number" && p >= x.shape[d])) {
      return failure(
        `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${format(l)}, ${format(r)}) at dimension ${d} of input ${fmtList(x.shape)}`,
      );
    }
    out[d] = add(add(x.shape[d], l), r);
    const o = out[d];
    if (typeof o === "number" && o < 0) {
      return failure(
        `The input size ${format(x.shape[d])}, plus negative padding ${format(l)} and ${format(r)} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`,
      );
    }
  }
  return tensorOf(out, x.t.dtype);
}

function pixelShape(shuffle: boolean, args: Args): Output | Failure {
  const fname = shuffle ? "pixel_shuffle" : "pixel_unshuffle";
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const param = shuffle ? "upscale_factor" : "downscale_factor";
  const r = concreteInt(args[param], param);
  if (isBad(r)) return isUnknown(r) ? unknownTensor(r.reason, x.t.dtype) : r;
  const s = x.shape;
  if (s.length < 3) return failure(`${fname} expects input to have at least 3 dimensions, but got input with ${s.length} dimension(s)`);
  if (r <= 0) return failure(`${fname} expects a positive ${param}, but got ${r}`, "bad-argument");
  const [c, h, w] = s.slice(-3);
  const lead = s.slice(0, -3);
  if (shuffle) {
    if (typeof c === "number" && c % (r * r) !== 0) {
      return failure(
        `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`,
      );
    }
    return tensorOf([...lead, floorDiv(c, r * r), mul(h, r), mul(w, r)], x.t.dtype);
  }
  for (const [what, size, idx] of [["height", h, -2], ["width", w, -1]] as const) {
    if (typeof size === "number" && size % r !== 0) {
      return failure(`pixel_unshuffle expects ${what} to be divisible by downscale_factor, but input.size(${idx})=${size} is not divisible by ${r}`);
    }
  }
  return tensorOf([...lead, mul(c, r * r), floorDiv(h, r), floorDiv(w, r)], x.t.dtype);
}

export const INTERP_OPS: readonly OpRule[] = [
  interpRule("interpolate", true),
  interpRule("upsample", true),
  interpRule("upsample_nearest", false),
  interpRule("upsample_bilinear", false),
  defineOp({ name: "pad", namespaces: ["F"], signature: sig("input", "pad", ["mode", "constant"], ["value", null]), cost: "zero", output: padShape }),
  defineOp({
    name: "pixel_shuffle",
    namespaces: ["F", "torch"],
    signature: sig("input", "upscale_factor"),
    cost: "zero",
    output: (a) => pixelShape(true, a),
  }),
  defineOp({
    name: "pixel_unshuffle",
    namespaces: ["F", "torch"],
    signature: sig("input", "downscale_factor"),
    cost: "zero",
    output: (a) => pixelShape(false, a),
  }),
];
