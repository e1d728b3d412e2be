// LPPool1d/2d (avg_pool of x^p, padding 0) and FractionalMaxPool2d/3d: shapes and PyTorch's errors; no FLOPs rule in the spec.
import type { Dim } from "../dim";
import { sig } from "../signature";
import { isUnknown, unknown, type ArgValue, type Args, type Problem } from "../types";
import { failure, isFailure } from "../ops/common";
import type { Shaped } from "./misc";
import { forwardPool } from "./pool";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  boolArg,
  dimOutOfRange,
  failed,
  firstUnknown,
  forwardError,
  forwardInput,
  initError,
  isNum,
  listText,
  NO_PARAMS,
  result,
  tensor,
  tup,
  unknownResult,
  unknownTensor,
} from "./util";

const noRule = (type: string) => unknown(`the spec has no FLOPs rule for ${type}`);

// ---------------------------------------------------------------------------------------------
// LPPool1d / LPPool2d: F.lp_poolNd runs avg_poolNd(x.pow(p), kernel_size, stride, 0, ceil_mode)

function lpPoolRule(nd: number): LayerRule {
  const type = `LPPool${nd}d`;
  return {
    type,
    signature: sig("norm_type", "kernel_size", ["stride", null], ["ceil_mode", false]),
    params: () => NO_PARAMS,
    forward: (args, call) => {
      const avgArgs: Args = { kernel_size: args.kernel_size, stride: args.stride, padding: 0, ceil_mode: args.ceil_mode, count_include_pad: true, divisor_override: null };
      const res = forwardPool(`AvgPool${nd}d`, nd, false, avgArgs, call, type);
      return res.problems.some((p) => p.severity === "error") ? res : result(res.output, noRule(type), res.problems);
    },
    explain: () => ["the output size is AvgPool's with padding 0 (lp_pool runs avg_pool on x^p)", `FLOPs: unknown (the spec has no rule for ${type})`],
  };
}

// ---------------------------------------------------------------------------------------------
// FractionalMaxPool2d / FractionalMaxPool3d

/** output_ratio as Python prints it. */
function pyText(v: ArgValue | undefined): string {
  if (Array.isArray(v)) return v.length === 1 ? `(${pyText(v[0])},)` : `(${v.map(pyText).join(", ")})`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  // output_ratio is a float (integers cannot be told apart here: 1.0 is the likely spelling)
  if (typeof v === "number") return Number.isInteger(v) ? `${v}.0` : String(v);
  return typeof v === "string" ? v : "?";
}

function fractionalValidate(type: string, nd: number, args: Args): Problem[] {
  const { output_size: size, output_ratio: ratio } = args;
  if (size === null && ratio === null) {
    return [initError("ValueError", `${type} requires specifying either an output size, or a pooling ratio`)];
  }
  if (size !== null && ratio !== null) return [initError("ValueError", "only one of output_size and output_ratio may be specified")];
  if (ratio !== null) {
    const items: readonly ArgValue[] = Array.isArray(ratio) ? ratio : Array<ArgValue>(nd).fill(ratio);
    // the module checks the first nd entries of _pair/_triple(output_ratio)
    const bad = items.slice(0, nd).some((r) => typeof r === "number" && !(r > 0 && r < 1));
    if (bad) return [initError("ValueError", `output_ratio must be between 0 and 1 (got ${pyText(ratio)})`)];
  }
  return [];
}

/**
 * F.fractional_max_poolNd's output shape (without the indices): output_size, or
 * int(size·output_ratio) per spatial dim; PyTorch's errors as raw messages.
 */
export function fractionalShape(nd: number, shape: readonly Dim[], args: Args): Shaped {
  const rank = shape.length;
  // output_ratio is applied to input.size(-nd)... first, then the random samples read input.size(-nd - 1)
  if (args.output_size === null && rank < nd) return failure(dimOutOfRange(rank, -nd));
  if (rank < nd + 1) return failure(dimOutOfRange(rank, -nd - 1));
  const fn = nd === 2 ? "fractional_max_pool2d()" : "fractional_max_pool3d_out()";
  if (rank > nd + 2) return failure(`${fn.replace("_out", "")}: Expected ${nd + 1}D or ${nd + 2}D tensor, but got: ${listText(shape)}`);
  const k = tup(args.kernel_size, nd, "kernel_size");
  const spatial = shape.slice(rank - nd);
  let out: Dim[];
  if (args.output_size !== null) {
    const os = tup(args.output_size, nd, "output_size");
    const u = firstUnknown(os);
    if (u) return u;
    out = os as number[];
  } else {
    const ratio = args.output_ratio;
    const rs: readonly ArgValue[] = Array.isArray(ratio) ? ratio : Array<ArgValue>(nd).fill(ratio);
    if (rs.length < nd || rs.slice(0, nd).some((r) => typeof r !== "number")) return unknown("output_ratio is not known");
    // int(input.size(d) * ratio)
    out = spatial.map((i, j) => (isNum(i) ? Math.trunc(i * (rs[j] as number)) : unknown(`int(${String(rs[j])}·size) of a symbolic size`)));
    // int() of a NaN or infinite product raises as Python words it
    const bad = out.find((o): o is number => typeof o === "number" && !Number.isFinite(o));
    if (bad !== undefined) return failure(Number.isNaN(bad) ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer", "bad-argument");
  }
  const uk = firstUnknown(k);
  if (uk) return uk;
  const names = nd === 2 ? ["height", "width"] : ["time", "height", "width"];
  for (let j = 0; j < nd; j++) {
    const [o, i, kk] = [out[j], spatial[j], (k as number[])[j]];
    if (isNum(o) && isNum(i) && o + kk - 1 > i) return failure(`${fn}: pool ${names[j]} ${kk} too large relative to input ${names[j]} ${i}`);
  }
  return [...shape.slice(0, rank - nd), ...out];
}

function forwardFractional(type: string, nd: number, args: Args, call: LayerCall): LayerResult {
  const x = forwardInput(type, call);
  if (!x.ok) return x.result;
  const r = fractionalShape(nd, x.shape, args);
  if (isFailure(r)) return failed(forwardError(type, r.problem.message, x.shape));
  if (isUnknown(r)) return unknownResult(r.reason, unknownTensor(r.reason, x.t.dtype));
  const y = tensor(r, x.t.dtype);
  const cost = noRule(type);
  if (boolArg(args.return_indices, "return_indices") === true) return result([y, tensor(r, "long")], cost);
  return result(y, cost);
}

function fractionalRule(nd: number): LayerRule {
  const type = `FractionalMaxPool${nd}d`;
  return {
    type,
    signature: sig("kernel_size", ["output_size", null], ["output_ratio", null], ["return_indices", false], ["_random_samples", null]),
    validate: (args) => fractionalValidate(type, nd, args),
    params: () => NO_PARAMS,
    forward: (args, call) => forwardFractional(type, nd, args, call),
    explain: () => ["O = output_size, or int(I·output_ratio)", `FLOPs: unknown (the spec has no rule for ${type})`],
  };
}

export const POOL_EXTRA_RULES: readonly LayerRule[] = [lpPoolRule(1), lpPoolRule(2), fractionalRule(2), fractionalRule(3)];
