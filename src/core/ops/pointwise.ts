// Unary pointwise ops outside the spec's cost table (exp, log, sqrt, abs, neg, clamp, ...) and zero-cost flips/masks.
import { sig } from "../signature";
import { isTensor, isUnknown, type ArgValue, type Args, type DType, type Output } from "../types";
import { dtypeFromArg, failure, isBad, tensorOf, tensorShape, unknownTensor, type Failure } from "./common";
import { defineOp, type CostSpec } from "./define";
import { varargsSig } from "./shape";
import type { OpNamespace, OpRule } from "./rule";

type Param = string | readonly [string, ArgValue];

/** Same shape; the dtype given (float for exp/log/..., bool for logical_not), else the input's. */
function unaryOutput(fname: string, args: Args, dtype?: DType): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  return tensorOf(x.shape, dtype ?? x.t.dtype);
}

function unary(
  name: string,
  namespaces: readonly OpNamespace[],
  params: readonly Param[],
  opts: { readonly dtype?: DType; readonly cost?: CostSpec; readonly aliases?: readonly string[] } = {},
): OpRule {
  return defineOp({
    name,
    namespaces,
    aliases: opts.aliases,
    signature: sig("input", ...params),
    cost: opts.cost ?? "none",
    output: (args) => unaryOutput(name, args, opts.dtype),
  });
}

/** torch.rot90(input, k=1, dims=[0, 1]): the two dims swap for an odd k. */
function rot90Output(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "rot90");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const { k, dims } = args;
  const n = x.shape.length;
  if (!Array.isArray(dims) || dims.length !== 2) return failure(`expected total rotation dims == 2, but got dims = ${Array.isArray(dims) ? dims.length : 1}`);
  if (n < 2) return failure(`expected total dims >= 2, but got total dims = ${n}`);
  const [a, b] = (dims as readonly ArgValue[]).map((d) => (typeof d === "number" ? (d < 0 ? d + n : d) : -1));
  if (typeof k !== "number" || a < 0 || b < 0 || a >= n || b >= n || a === b) return unknownTensor("rot90 with computed or invalid arguments");
  const s = [...x.shape];
  if (((k % 4) + 4) % 2 === 1) [s[a], s[b]] = [s[b], s[a]];
  return tensorOf(s, x.t.dtype);
}

/** cumsum/cumprod(input, dim, *, dtype=None): the dtype given, else integers and bools accumulate as int64. */
function cumulative(name: string): OpRule {
  return defineOp({
    name,
    namespaces: TM,
    signature: { ...sig("input", "dim"), kwOnly: [{ name: "dtype", default: null }] },
    cost: "none",
    output: (args) => {
      const x = args.input;
      const given = args.dtype === null || args.dtype === undefined ? undefined : dtypeFromArg(args.dtype);
      return unaryOutput(name, args, given ?? (isTensor(x) && x.dtype !== "float" ? "long" : undefined));
    },
  });
}

const TM: readonly OpNamespace[] = ["torch", "method"];
const M: readonly OpNamespace[] = ["method"];
const FLOAT_RESULT = ["exp", "log", "sqrt", "rsqrt", "erf", "sin", "cos", "tan", "log2", "log10", "log1p", "expm1", "reciprocal"];
const SAME_DTYPE = ["abs", "square", "floor", "ceil", "round", "trunc", "sign"];
const IN_PLACE = ["exp_", "log_", "sqrt_", "rsqrt_", "abs_", "neg_", "reciprocal_", "floor_", "ceil_", "round_"];

/** No FLOPs rule in spec v1: the cost is Unknown, the shape is the input's. */
export const POINTWISE_OPS: readonly OpRule[] = [
  ...FLOAT_RESULT.map((n) => unary(n, TM, [], { dtype: "float" })),
  ...SAME_DTYPE.map((n) => unary(n, TM, [])),
  ...IN_PLACE.map((n) => unary(n, M, [])),
  unary("neg", TM, [], { aliases: ["negative"] }),
  unary("clamp", TM, [["min", null], ["max", null]], { aliases: ["clip"] }),
  unary("clamp_", M, [["min", null], ["max", null]], { aliases: ["clip_"] }),
  unary("clamp_min", TM, ["min"]),
  unary("clamp_max", TM, ["max"]),
  cumulative("cumsum"),
  cumulative("cumprod"),
  unary("nan_to_num", TM, [["nan", 0.0], ["posinf", null], ["neginf", null]]),
  unary("logical_not", TM, [], { cost: "zero", dtype: "bool" }),
  unary("bitwise_not", TM, []),
  unary("__invert__", M, []), // `~x` records under this name (no FLOPs rule)
  unary("flip", ["torch"], ["dims"], { cost: "zero" }),
  defineOp({ name: "flip", namespaces: M, signature: varargsSig("dims"), cost: "zero", output: (args) => unaryOutput("flip", args) }), // x.flip(2, 3)
  unary("roll", TM, ["shifts", ["dims", null]], { cost: "zero" }),
  defineOp({ name: "rot90", namespaces: TM, signature: sig("input", ["k", 1], ["dims", [0, 1]]), cost: "none", output: rot90Output }),
  unary("triu", TM, [["diagonal", 0]], { cost: "zero" }),
  unary("tril", TM, [["diagonal", 0]], { cost: "zero" }),
];
