// Upsample, UpsamplingNearest2d, UpsamplingBilinear2d: F.interpolate's output sizes, checks and FLOPs.
import { floorDiv, format as formatDim, isSym, mul, type Dim } from "../dim";
import { sig } from "../signature";
import { isUnknown, seqKindOf, unknown, type ArgValue, type Args } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  costOf,
  dimArg,
  factors,
  failed,
  firstInputShape,
  firstOutputShape,
  forwardError,
  isNum,
  listText,
  NO_PARAMS,
  numel,
  paren,
  result,
  show,
  tensor,
  tensorInput,
  unknownResult,
  unknownTensor,
} from "./util";

/** FLOPs per output element: taps·2 − 1 (nearest copies). */
const UPSAMPLE_COST: Readonly<Record<string, number>> = { nearest: 0, "nearest-exact": 0, linear: 3, bilinear: 7, bicubic: 31, trilinear: 15 };
const MODES = "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact";

/** Python's repr of a float: 2 → "2.0". */
function pyFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

function pyRepr(v: ArgValue, float: boolean): string {
  if (Array.isArray(v)) {
    const items = (v as readonly ArgValue[]).map((x) => pyRepr(x, float));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (typeof v === "number") return float ? pyFloat(v) : String(v);
  return isSym(v) ? formatDim(v) : String(v);
}

/** A size argument as Python prints it: a list, a torch.Size, else a tuple. */
function sizeRepr(v: ArgValue): string {
  const kind = Array.isArray(v) ? seqKindOf(v as readonly ArgValue[]) : undefined;
  if (!Array.isArray(v) || kind === undefined || kind === "tuple") return pyRepr(v, false);
  const items = `[${(v as readonly ArgValue[]).map((x) => pyRepr(x, false)).join(", ")}]`;
  return kind === "size" ? `torch.Size(${items})` : items;
}

/** floor(i·scale) as PyTorch computes it (double product, truncated); exact for symbolic i when scale = n/2^k. */
function scaledSize(i: Dim, scale: number): Dim {
  if (isNum(i)) return Math.trunc(i * scale);
  if (isUnknown(i)) return i;
  if (Number.isInteger(scale)) return mul(i, scale);
  for (let den = 2; den <= 1024; den *= 2) {
    const num = scale * den;
    if (Number.isInteger(num)) return floorDiv(mul(i, num), den);
  }
  return unknown(`⌊${formatDim(i)}·${scale}⌋ cannot be written exactly`);
}

interface InterpSpec {
  readonly size: ArgValue;
  readonly scale: ArgValue;
  readonly mode: string;
  readonly alignCorners: ArgValue;
  readonly recompute: ArgValue;
}

function specOf(type: string, args: Args): InterpSpec {
  // the module keeps float(scale_factor) if scale_factor else None
  const sf = args.scale_factor;
  const scale = sf === 0 || (Array.isArray(sf) && sf.length === 0) ? null : (sf ?? null);
  if (type === "UpsamplingNearest2d") return { size: args.size ?? null, scale, mode: "nearest", alignCorners: null, recompute: null };
  if (type === "UpsamplingBilinear2d") return { size: args.size ?? null, scale, mode: "bilinear", alignCorners: true, recompute: null };
  return {
    size: args.size ?? null,
    scale,
    mode: typeof args.mode === "string" ? args.mode : "nearest",
    alignCorners: args.align_corners ?? null,
    recompute: args.recompute_scale_factor ?? null,
  };
}

/** Output shape of F.interpolate, or PyTorch's error message. */
export function interpolateShape(spec: InterpSpec, shape: readonly Dim[]): Dim[] | string {
  const { size, scale, mode } = spec;
  const rank = shape.length;
  if (mode === "nearest" || mode === "area" || mode === "nearest-exact") {
    if (spec.alignCorners !== null) return "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear";
  }
  const nd = rank - 2;
  const spatialText = listText(shape.slice(2));
  let out: Dim[];
  if (size !== null && scale !== null) return "only one of size or scale_factor should be defined";
  if (size !== null) {
    if (Array.isArray(size)) {
      if (size.length !== nd) {
        return `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatialText} and output size of ${sizeRepr(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`;
      }
      out = (size as readonly ArgValue[]).map((v) => dimArg(v, "size"));
    } else {
      const v: Dim = dimArg(size, "size");
      out = Array.from({ length: Math.max(nd, 0) }, () => v);
    }
  } else if (scale !== null) {
    let scales: (number | ArgValue)[];
    if (Array.isArray(scale)) {
      if (scale.length !== nd) {
        return `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatialText} and scale_factor of shape ${pyRepr(scale, true)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`;
      }
      scales = [...scale];
    } else scales = Array.from({ length: Math.max(nd, 0) }, () => scale);
    out = scales.map((s, j) => (isNum(s) ? scaledSize(shape[2 + j], s) : unknown("scale_factor is not known")));
  } else return "either size or scale_factor should be defined";
  if (spec.recompute === true && size !== null) return "recompute_scale_factor is not meaningful with an explicit size.";
  const fits: Record<string, number[]> = {
    nearest: [3, 4, 5],
    "nearest-exact": [3, 4, 5],
    area: [3, 4, 5],
    linear: [3],
    bilinear: [4],
    bicubic: [4],
    trilinear: [5],
  };
  if (!(fits[mode] ?? []).includes(rank)) {
    const need: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5 };
    if (need[mode] && rank >= 3 && rank <= 5) return `Got ${rank}D input, but ${mode} mode needs ${need[mode]}D input`;
    return `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${rank}D) for the modes: ${MODES} (got ${mode})`;
  }
  if (mode !== "area" && out.every(isNum) && shape.slice(2).every(isNum) && out.some((o) => (o as number) <= 0)) {
    const names = nd === 1 ? ["W"] : nd === 2 ? ["H", "W"] : ["D", "H", "W"];
    const ins = names.map((n, j) => `${n}: ${shape[2 + j] as number}`).join(", ");
    const outs = names.map((n, j) => `${n}: ${out[j] as number}`).join(", ");
    return `Input and output sizes should be greater than 0, but got input (${ins})${nd === 1 ? " and" : ""} output (${outs})`;
  }
  return [...shape.slice(0, 2), ...out];
}

function forwardUpsample(type: string, args: Args, call: LayerCall): LayerResult {
  const bound = bindForward(type, sig("input"), call);
  if (!bound.ok) return bound.result;
  const x = tensorInput(type, bound.args.input);
  if (!x.ok) return x.result;
  const spec = specOf(type, args);
  if (isUnknown(spec.size) || isUnknown(spec.scale)) return unknownResult("the upsampling size is not known", unknownTensor("the upsampling size is not known", x.t.dtype));
  const out = interpolateShape(spec, x.shape);
  if (typeof out === "string") return failed(forwardError(type, out, x.shape));
  const per = UPSAMPLE_COST[spec.mode];
  const cost = per === undefined ? unknown(`the spec has no FLOPs rule for ${spec.mode} interpolation`) : costOf(0, mul(numel(out), per), x.shape);
  return result(tensor(out, x.t.dtype), cost);
}

function explainUpsample(type: string, args: Args, call: LayerCall, res: LayerResult): string[] {
  const spec = specOf(type, args);
  const i = firstInputShape(call);
  const o = firstOutputShape(res.output);
  if (!i || !o || i.length < 3) return [];
  const nd = i.length - 2;
  const lines: string[] = [];
  const formulas = i.slice(2).map((d, j) => {
    const od = formatDim(o[2 + j]);
    if (spec.size !== null) return `size = ${od}`;
    const s = Array.isArray(spec.scale) ? spec.scale[j] : spec.scale;
    return `⌊${paren(formatDim(d))} · ${typeof s === "number" ? s : "?"}⌋ = ${od}`;
  });
  if (formulas.every((f) => f === formulas[0])) lines.push(`O = ${formulas[0]}`);
  else formulas.forEach((f, j) => lines.push(`O_${["D", "H", "W"].slice(3 - nd)[j]} = ${f}`));
  const per = UPSAMPLE_COST[spec.mode];
  const c = res.cost;
  const total = isUnknown(c) ? `unknown (${c.reason})` : show(c.flops);
  lines.push(per === undefined ? `FLOPs unknown: no rule for ${spec.mode}` : `FLOPs = ${per}·${factors(o)} = ${total} (${spec.mode}: taps·2 − 1 per output element)`);
  return lines;
}

function upsampleRule(type: string): LayerRule {
  return {
    type,
    signature:
      type === "Upsample"
        ? sig(["size", null], ["scale_factor", null], ["mode", "nearest"], ["align_corners", null], ["recompute_scale_factor", null])
        : sig(["size", null], ["scale_factor", null]),
    params: () => NO_PARAMS,
    forward: (args, call) => forwardUpsample(type, args, call),
    explain: (args, call, res) => explainUpsample(type, args, call, res),
  };
}

export const UPSAMPLE_RULES: readonly LayerRule[] = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"].map(upsampleRule);
