// Shape-preserving layers: every nn activation, Softmax/LogSoftmax/Softmin/Softmax2d and the Dropout family.
import { sig, type Signature } from "../signature";
import { isUnknown, unknown, type Args, type CostOrUnknown, type Problem } from "../types";
import type { LayerCall, LayerResult, LayerRule, ParamCount } from "./rule";
import {
  dimArg,
  dimOutOfRange,
  elementwiseCost,
  failed,
  firstOutputShape,
  floatArg,
  forwardError,
  forwardInput,
  initError,
  intArg,
  isNum,
  NO_PARAMS,
  numel,
  paramCount,
  result,
  show,
  tensor,
} from "./util";
import type { Dim } from "../dim";


interface PreservingSpec {
  readonly type: string;
  readonly signature: Signature;
  /** FLOPs per output element; a string is the reason the cost is unknown. */
  readonly perElement: number | string;
  readonly validate?: (args: Args) => Problem[];
  readonly params?: (args: Args) => ParamCount;
  /** PyTorch's forward error for this input shape, if any. */
  readonly check?: (args: Args, shape: readonly Dim[]) => string | undefined;
  readonly note?: string;
}

function preserving(spec: PreservingSpec): LayerRule {
  const { type } = spec;
  return {
    type,
    signature: spec.signature,
    validate: spec.validate,
    params: spec.params ?? (() => NO_PARAMS),
    forward: (args: Args, call: LayerCall): LayerResult => {
      const x = forwardInput(type, call);
      if (!x.ok) return x.result;
      const msg = spec.check?.(args, x.shape);
      if (msg) return failed(forwardError(type, msg, x.shape));
      const cost: CostOrUnknown = typeof spec.perElement === "string" ? unknown(spec.perElement) : elementwiseCost(x.shape, spec.perElement);
      return result(tensor(x.shape, x.t.dtype), cost);
    },
    explain: (_args, _call, res) => {
      const shape = firstOutputShape(res.output);
      const c = res.cost;
      const total = isUnknown(c) ? `unknown (${c.reason})` : show(c.flops);
      if (typeof spec.perElement === "string") return [`FLOPs unknown: ${spec.perElement}`];
      const n = shape ? show(numel(shape)) : "?";
      return [`FLOPs = ${spec.perElement}·${n} elements = ${total}${spec.note ? ` (${spec.note})` : ""}`];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// activations: 1 FLOP per element

const INPLACE = sig(["inplace", false]);
const NONE = sig();

const ACTIVATIONS: readonly PreservingSpec[] = [
  { type: "ReLU", signature: INPLACE, perElement: 1 },
  { type: "ReLU6", signature: INPLACE, perElement: 1 },
  { type: "LeakyReLU", signature: sig(["negative_slope", 0.01], ["inplace", false]), perElement: 1 },
  {
    type: "PReLU",
    signature: sig(["num_parameters", 1], ["init", 0.25], ["device", null], ["dtype", null]),
    perElement: 1,
    params: (args) => paramCount([["weight", dimArg(args.num_parameters, "num_parameters")]]),
    check: (args, shape) => {
      const n = intArg(args.num_parameters, "num_parameters");
      if (!isNum(n) || n === 1) return undefined;
      if (shape.length === 0) return "Not allow zero-dim input tensor.";
      const c = shape.length >= 2 ? shape[1] : 1;
      return isNum(c) && c !== n ? `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${c}.` : undefined;
    },
  },
  {
    type: "RReLU",
    signature: sig(["lower", 1 / 8], ["upper", 1 / 3], ["inplace", false]),
    perElement: 1,
    check: (args) => {
      const [lo, hi] = [floatArg(args.lower, "lower"), floatArg(args.upper, "upper")];
      return isNum(lo) && isNum(hi) && lo > hi ? "Lower bound should be less than or equal to the upper bound" : undefined;
    },
  },
  { type: "ELU", signature: sig(["alpha", 1.0], ["inplace", false]), perElement: 1 },
  { type: "SELU", signature: INPLACE, perElement: 1 },
  { type: "CELU", signature: sig(["alpha", 1.0], ["inplace", false]), perElement: 1 },
  {
    type: "GELU",
    signature: sig(["approximate", "none"]),
    perElement: 1,
    check: (args) =>
      typeof args.approximate === "string" && args.approximate !== "none" && args.approximate !== "tanh"
        ? "approximate argument must be either none or tanh."
        : undefined,
  },
  { type: "SiLU", signature: INPLACE, perElement: 1 },
  { type: "Sigmoid", signature: NONE, perElement: 1 },
  { type: "LogSigmoid", signature: NONE, perElement: 1 },
  { type: "Tanh", signature: NONE, perElement: 1 },
  {
    type: "Hardtanh",
    signature: sig(["min_val", -1.0], ["max_val", 1.0], ["inplace", false], ["min_value", null], ["max_value", null]),
    perElement: 1,
    validate: (args) => {
      const lo = args.min_value !== null && args.min_value !== undefined ? args.min_value : args.min_val;
      const hi = args.max_value !== null && args.max_value !== undefined ? args.max_value : args.max_val;
      const [a, b] = [floatArg(lo, "min_val"), floatArg(hi, "max_val")];
      return isNum(a) && isNum(b) && !(b > a) ? [initError("AssertionError", "")] : [];
    },
  },
  { type: "Hardswish", signature: INPLACE, perElement: 1 },
  { type: "Hardsigmoid", signature: INPLACE, perElement: 1 },
  { type: "Mish", signature: INPLACE, perElement: 1 },
  { type: "Softplus", signature: sig(["beta", 1], ["threshold", 20]), perElement: 1 },
  { type: "Softsign", signature: NONE, perElement: 1 },
  { type: "Tanhshrink", signature: NONE, perElement: 1 },
  { type: "Threshold", signature: sig("threshold", "value", ["inplace", false]), perElement: 1 },
  { type: "Hardshrink", signature: sig(["lambd", 0.5]), perElement: 1 },
  { type: "Softshrink", signature: sig(["lambd", 0.5]), perElement: 1 },
];

// ---------------------------------------------------------------------------------------------
// softmax family: 5 FLOPs per element (max, subtract, exp, sum, divide or log)

function softmaxDimCheck(args: Args, shape: readonly Dim[]): string | undefined {
  const d = args.dim;
  if (typeof d !== "number") return undefined;
  const rank = shape.length;
  const lo = rank === 0 ? -1 : -rank;
  const hi = rank === 0 ? 0 : rank - 1;
  return d < lo || d > hi ? dimOutOfRange(Math.max(rank, 1), d) : undefined;
}

const SOFTMAXES: readonly PreservingSpec[] = [
  { type: "Softmax", signature: sig(["dim", null]), perElement: 5, check: softmaxDimCheck, note: "max, subtract, exp, sum, divide" },
  { type: "LogSoftmax", signature: sig(["dim", null]), perElement: 5, check: softmaxDimCheck, note: "max, subtract, exp, sum, log" },
  { type: "Softmin", signature: sig(["dim", null]), perElement: "the spec has no FLOPs rule for Softmin", check: softmaxDimCheck },
  {
    type: "Softmax2d",
    signature: NONE,
    perElement: 5,
    check: (_args, shape) => (shape.length === 3 || shape.length === 4 ? undefined : "Softmax2d requires a 3D or 4D tensor as input"),
    note: "softmax over the channels",
  },
];

// ---------------------------------------------------------------------------------------------
// dropout: the identity in inference

const DROPOUT_SIG = sig(["p", 0.5], ["inplace", false]);

function dropoutValidate(args: Args): Problem[] {
  const p = floatArg(args.p, "p");
  return isNum(p) && (p < 0 || p > 1) ? [initError("ValueError", `dropout probability has to be between 0 and 1, but got ${p}`)] : [];
}

const DROPOUTS: readonly PreservingSpec[] = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"].map((type) => ({
  type,
  signature: DROPOUT_SIG,
  perElement: 0,
  validate: dropoutValidate,
  note: "dropout is off in inference",
  check:
    type === "Dropout1d"
      ? (_args: Args, shape: readonly Dim[]) =>
          shape.length === 2 || shape.length === 3
            ? undefined
            : `dropout1d: Expected 2D or 3D input, but received a ${shape.length}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`
      : undefined,
}));

export const ACTIVATION_RULES: readonly LayerRule[] = [...ACTIVATIONS, ...SOFTMAXES, ...DROPOUTS].map(preserving);
