// Elementwise activations, softmax/log_softmax/softmin, glu and the dropout family (F., torch. and method forms).
import { floorDiv } from "../dim";
import { sig } from "../signature";
import { isUnknown, type ArgValue, type Args, type Output } from "../types";
import { dimArg, failure, isBad, tensorOf, tensorShape, unknownTensor, type Failure } from "./common";
import { defineOp, type CostSpec } from "./define";
import type { OpNamespace, OpRule } from "./rule";

type Param = string | readonly [string, ArgValue];

/** Shape-preserving op on `input`: the output is a tensor like the input. */
export function sameShape(fname: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  return tensorOf(x.shape, x.t.dtype);
}

/** A shape-preserving op rule. */
export function elementwise(
  name: string,
  namespaces: readonly OpNamespace[],
  params: readonly Param[],
  cost: CostSpec,
  costName?: string,
): OpRule {
  return defineOp({ name, namespaces, signature: sig("input", ...params), cost, costName, output: (args) => sameShape(name, args) });
}

const ONE: CostSpec = { perElement: 1 };
const F: readonly OpNamespace[] = ["F"];
const FT: readonly OpNamespace[] = ["F", "torch"];
const FTM: readonly OpNamespace[] = ["F", "torch", "method"];
const TM: readonly OpNamespace[] = ["torch", "method"];
const INPLACE: Param = ["inplace", false];

/** Every activation in torch.nn with its F./torch./method forms: 1 FLOP per output element (spec §3). */
const ACTIVATIONS: readonly OpRule[] = [
  elementwise("relu", FTM, [INPLACE], ONE),
  elementwise("relu_", FTM, [], ONE),
  elementwise("relu6", F, [INPLACE], ONE),
  elementwise("leaky_relu", F, [["negative_slope", 0.01], INPLACE], ONE),
  elementwise("leaky_relu_", F, [["negative_slope", 0.01]], ONE),
  elementwise("elu", F, [["alpha", 1.0], INPLACE], ONE),
  elementwise("elu_", F, [["alpha", 1.0]], ONE),
  elementwise("selu", FT, [INPLACE], ONE),
  elementwise("selu_", FT, [], ONE),
  elementwise("celu", FT, [["alpha", 1.0], INPLACE], ONE),
  elementwise("celu_", FT, [["alpha", 1.0]], ONE),
  elementwise("gelu", F, [["approximate", "none"]], ONE),
  elementwise("silu", F, [INPLACE], ONE),
  elementwise("mish", F, [INPLACE], ONE),
  elementwise("sigmoid", FTM, [], ONE),
  elementwise("sigmoid_", TM, [], ONE),
  elementwise("tanh", FTM, [], ONE),
  elementwise("tanh_", TM, [], ONE),
  elementwise("hardswish", F, [INPLACE], ONE),
  elementwise("hardsigmoid", F, [INPLACE], ONE),
  elementwise("hardtanh", F, [["min_val", -1.0], ["max_val", 1.0], INPLACE], ONE),
  elementwise("hardtanh_", F, [["min_val", -1.0], ["max_val", 1.0]], ONE),
  elementwise("softplus", F, [["beta", 1], ["threshold", 20]], ONE),
  elementwise("softsign", F, [], ONE),
  // F.logsigmoid runs as torch._C._nn.log_sigmoid, a name outside the spec's table
  elementwise("logsigmoid", F, [], "none", "log_sigmoid"),
  elementwise("tanhshrink", F, [], ONE),
  // F.threshold runs as the Python function _threshold (outside the table); torch.threshold is in it
  elementwise("threshold", F, ["threshold", "value", INPLACE], "none", "_threshold"),
  elementwise("threshold", ["torch"], ["threshold", "value"], ONE),
  elementwise("threshold_", FT, ["threshold", "value"], ONE),
  elementwise("rrelu", FT, [["lower", 1 / 8], ["upper", 1 / 3], ["training", false], INPLACE], ONE),
  elementwise("rrelu_", FT, [["lower", 1 / 8], ["upper", 1 / 3], ["training", false]], ONE),
  elementwise("hardshrink", FTM, [["lambd", 0.5]], ONE),
  elementwise("softshrink", F, [["lambd", 0.5]], ONE),
];

/** F.prelu(input, weight): weight has 1 or C (= input.size(1)) elements. */
const PRELU = defineOp({
  name: "prelu",
  namespaces: FTM,
  signature: sig("input", "weight"),
  cost: ONE,
  output(args) {
    const x = tensorShape(args, "input", "prelu");
    if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
    const w = tensorShape(args, "weight", "prelu");
    if (isBad(w)) return isUnknown(w) ? tensorOf(x.shape, x.t.dtype) : w;
    if (x.shape.length === 0) return failure("Not allow zero-dim input tensor.");
    const n = w.shape.reduce<number | undefined>((acc, d) => (acc !== undefined && typeof d === "number" ? acc * d : undefined), 1);
    const c = x.shape.length >= 2 ? x.shape[1] : 1;
    if (n !== undefined && n !== 1 && typeof c === "number" && n !== c) {
      return failure(
        `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${c}.`,
        "channel-mismatch",
      );
    }
    return tensorOf(x.shape, x.t.dtype);
  },
});

/** F.glu: halves `dim`. */
const GLU = defineOp({
  name: "glu",
  namespaces: F,
  signature: sig("input", ["dim", -1]),
  cost: "none",
  output(args) {
    const x = tensorShape(args, "input", "glu");
    if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
    if (x.shape.length === 0) return failure("glu does not support scalars because halving size must be even");
    const d = dimArg(args.dim, x.shape.length);
    if (isBad(d)) return isUnknown(d) ? unknownTensor(d.reason) : d;
    const size = x.shape[d];
    if (typeof size === "number" && size % 2 !== 0) {
      return failure(`Halving dimension must be even, but dimension ${d} is size ${size}`);
    }
    return tensorOf(
      x.shape.map((s, i) => (i === d ? floorDiv(s, 2) : s)),
      x.t.dtype,
    );
  },
});

/** softmax-like: the dim must be valid; `dim=None` is PyTorch's implicit choice (0 for ranks 0, 1, 3, else 1). */
function softmaxShape(fname: string, args: Args): Output | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const rank = x.shape.length;
  if (args.dim !== null && args.dim !== undefined) {
    const d = dimArg(args.dim, rank);
    if (isBad(d)) return isUnknown(d) ? tensorOf(x.shape, x.t.dtype) : d;
  }
  return tensorOf(x.shape, "float");
}

function softmaxRules(name: string, cost: CostSpec, namespaces: readonly OpNamespace[]): OpRule[] {
  const rules: OpRule[] = [
    defineOp({
      name,
      namespaces: ["F"],
      signature: sig("input", ["dim", null], ["_stacklevel", 3], ["dtype", null]),
      cost,
      output: (args) => softmaxShape(name, args),
    }),
  ];
  const other = namespaces.filter((n) => n !== "F");
  if (other.length > 0) {
    rules.push(
      defineOp({
        name,
        namespaces: other,
        signature: sig("input", "dim", ["dtype", null]),
        cost,
        output: (args) => softmaxShape(name, args),
      }),
    );
  }
  return rules;
}

/** Softmax / LogSoftmax: 5 FLOPs per element; softmin has no rule in spec v1. */
const SOFTMAX: readonly OpRule[] = [
  ...softmaxRules("softmax", { perElement: 5 }, FTM),
  ...softmaxRules("log_softmax", { perElement: 5 }, FTM),
  ...softmaxRules("softmin", "none", F),
];

/** Dropout in eval mode: identity, no cost. torch.dropout(input, p, train) has its own signature. */
const DROPOUT: readonly OpRule[] = [
  ...["dropout", "dropout1d", "dropout2d", "dropout3d"].map((n) =>
    elementwise(n, F, [["p", 0.5], ["training", true], INPLACE], "zero"),
  ),
  ...["alpha_dropout", "feature_alpha_dropout"].map((n) => elementwise(n, F, [["p", 0.5], ["training", false], INPLACE], "zero")),
  ...["dropout", "dropout_", "alpha_dropout", "feature_alpha_dropout"].map((n) => elementwise(n, ["torch"], ["p", "train"], "zero")),
];

export const ACTIVATION_OPS: readonly OpRule[] = [...ACTIVATIONS, PRELU, GLU, ...SOFTMAX, ...DROPOUT];
