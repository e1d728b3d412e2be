// Binary elementwise ops with broadcasting (+ - * / and friends, comparisons, where, masked_fill).
import { add, equal, isSym, mul, sub, type Dim, type SymDim } from "../dim";
import { sig, type Signature } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type DType, type Output, type Unknown } from "../types";
import { broadcastAll, broadcastShapes } from "./broadcast";
import { failure, fmtList, isBad, isFailure, promote, pyTypeName, tensorOf, type Failure, type Shape } from "./common";
import { defineOp, type CostSpec } from "./define";
import type { OpNamespace, OpRule } from "./rule";

/** One side of a binary op: a tensor, or a Python number (a 0-d operand that only promotes by kind). */
interface Operand {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly scalar: boolean;
}

function operand(v: ArgValue, param: string, fname: string): Operand | Unknown | Failure {
  if (isTensor(v)) return isUnknown(v.shape) ? v.shape : { shape: v.shape, dtype: v.dtype, scalar: false };
  if (typeof v === "number") return { shape: [], dtype: Number.isInteger(v) ? "long" : "float", scalar: true };
  if (typeof v === "boolean") return { shape: [], dtype: "bool", scalar: true };
  if (isSym(v)) return { shape: [], dtype: "long", scalar: true };
  if (isUnknown(v)) return v;
  return failure(`${fname}(): argument '${param}' must be Tensor or Number, not ${pyTypeName(v)}`, "bad-argument");
}

/** PyTorch's type promotion, simplified to float > long > bool: numbers only raise the kind. */
function resultDtype(ops: readonly Operand[]): DType {
  const tensors = ops.filter((o) => !o.scalar);
  const base = tensors.length > 0 ? promote(...tensors.map((o) => o.dtype)) : promote(...ops.map((o) => o.dtype));
  let dt = base;
  for (const o of ops) {
    if (!o.scalar) continue;
    if (o.dtype === "float" && dt !== "float") dt = "float";
    else if (o.dtype === "long" && dt === "bool") dt = "long";
  }
  return dt;
}

type Kind = "arith" | "div" | "compare" | "logical";
type ScalarFn = (a: number | SymDim, b: number | SymDim) => ArgValue;

function asScalar(v: ArgValue): number | SymDim | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" || isSym(v)) return v;
  return undefined;
}

const SCALAR: Readonly<Record<string, ScalarFn>> = {
  add: (a, b) => add(a, b) as ArgValue,
  sub: (a, b) => sub(a, b) as ArgValue,
  rsub: (a, b) => sub(b, a) as ArgValue,
  mul: (a, b) => mul(a, b) as ArgValue,
  div: (a, b) => (typeof a === "number" && typeof b === "number" && b !== 0 ? a / b : unknown("a division of symbolic ints")),
};

interface BinaryOpts {
  readonly kind: Kind;
  readonly cost: CostSpec;
  readonly aliases?: readonly string[];
  readonly inplace?: boolean;
  readonly signature?: Signature;
  /** The second operand's parameter name (`other`, `exponent` for pow). */
  readonly other?: string;
}

function binaryOutput(name: string, opts: BinaryOpts, args: Args): Output | ArgValue | Failure {
  const otherName = opts.other ?? "other";
  const a = operand(args.input, "input", name);
  const b = operand(args[otherName], otherName, name);
  if (isBad(a) || isBad(b)) {
    if (isFailure(a)) return a;
    if (isFailure(b)) return b;
    return tensorOf(unknown((isUnknown(a) ? a : (b as Unknown)).reason));
  }
  if (a.scalar && b.scalar && (opts.kind === "arith" || opts.kind === "div")) {
    const x = asScalar(args.input);
    const y = asScalar(args[otherName]);
    const fn = SCALAR[name];
    if (x !== undefined && y !== undefined && fn) return fn(x, y);
  }
  const shape = broadcastShapes(a.shape, b.shape);
  if (isBad(shape)) return shape;
  const dtype =
    opts.kind === "compare" || opts.kind === "logical"
      ? "bool"
      : opts.kind === "div" && (args.rounding_mode === null || args.rounding_mode === undefined)
        ? "float"
        : resultDtype([a, b]);
  if (opts.inplace) {
    const clash =
      shape.length !== a.shape.length ||
      shape.some((d, i) => equal(d, a.shape[i]) === false && typeof d === "number" && typeof a.shape[i] === "number");
    if (clash) return failure(`output with shape ${fmtList(a.shape)} doesn't match the broadcast shape ${fmtList(shape)}`);
    return tensorOf(a.shape, a.dtype);
  }
  return tensorOf(shape, dtype);
}

function binary(name: string, namespaces: readonly OpNamespace[], opts: BinaryOpts): OpRule {
  return defineOp({
    name,
    namespaces,
    aliases: opts.aliases,
    signature: opts.signature ?? sig("input", opts.other ?? "other"),
    cost: opts.cost,
    output: (args) => binaryOutput(name, opts, args),
  });
}

const TM: readonly OpNamespace[] = ["torch", "method"];
const M: readonly OpNamespace[] = ["method"];
const ONE: CostSpec = { perElement: 1 };
const withAlpha: Signature = { params: [{ name: "input" }, { name: "other" }], kwOnly: [{ name: "alpha", default: 1 }] };
const withRounding: Signature = { params: [{ name: "input" }, { name: "other" }], kwOnly: [{ name: "rounding_mode", default: null }] };

/** Residual + − * /: 1 FLOP per output element (spec §3); pow and the rest have no rule. */
const ARITH: readonly OpRule[] = [
  binary("add", TM, { kind: "arith", cost: ONE, signature: withAlpha }),
  binary("sub", TM, { kind: "arith", cost: ONE, signature: withAlpha, aliases: ["subtract"] }),
  binary("rsub", ["torch"], { kind: "arith", cost: ONE, signature: withAlpha }),
  binary("mul", TM, { kind: "arith", cost: ONE, aliases: ["multiply"] }),
  binary("div", TM, { kind: "div", cost: ONE, signature: withRounding, aliases: ["divide", "true_divide"] }),
  binary("add_", M, { kind: "arith", cost: ONE, signature: withAlpha, inplace: true }),
  binary("sub_", M, { kind: "arith", cost: ONE, signature: withAlpha, inplace: true }),
  binary("mul_", M, { kind: "arith", cost: ONE, inplace: true }),
  binary("div_", M, { kind: "div", cost: ONE, signature: withRounding, inplace: true, aliases: ["true_divide_"] }),
  // the in-place spellings subtract_/multiply_/divide_ are outside the spec's cost table (the oracle records them by name)
  binary("subtract_", M, { kind: "arith", cost: "none", signature: withAlpha, inplace: true }),
  binary("multiply_", M, { kind: "arith", cost: "none", inplace: true }),
  binary("divide_", M, { kind: "div", cost: "none", signature: withRounding, inplace: true }),
  binary("pow", TM, { kind: "arith", cost: "none", other: "exponent" }),
  binary("floor_divide", TM, { kind: "arith", cost: "none" }),
  binary("remainder", TM, { kind: "arith", cost: "none" }),
  binary("fmod", TM, { kind: "arith", cost: "none" }),
  binary("maximum", TM, { kind: "arith", cost: "none" }),
  binary("minimum", TM, { kind: "arith", cost: "none" }),
  binary("atan2", TM, { kind: "div", cost: "none" }),
  // == and != are shape queries to the oracle (no cost); < > <= >= have no rule
  binary("eq", TM, { kind: "compare", cost: "zero" }),
  binary("ne", TM, { kind: "compare", cost: "zero" }),
  binary("lt", TM, { kind: "compare", cost: "none" }),
  binary("gt", TM, { kind: "compare", cost: "none" }),
  binary("le", TM, { kind: "compare", cost: "none" }),
  binary("ge", TM, { kind: "compare", cost: "none" }),
  binary("logical_and", TM, { kind: "logical", cost: "zero" }),
  binary("logical_or", TM, { kind: "logical", cost: "zero" }),
  binary("logical_xor", TM, { kind: "logical", cost: "none" }),
];

/** The broadcast of several operands (the dtype promoted from those after the first `skip`). */
function broadcastOutput(fname: string, params: readonly string[], skip = 0) {
  return (args: Args): Output | Failure => {
    const ops: Operand[] = [];
    for (const p of params) {
      const o = operand(args[p], p, fname);
      if (isFailure(o)) return o;
      if (isUnknown(o)) return tensorOf(o);
      ops.push(o);
    }
    const shape = broadcastAll(ops.map((o) => o.shape));
    return isBad(shape) ? shape : tensorOf(shape, resultDtype(ops.slice(skip)));
  };
}

/** torch.where(condition, input, other) / input.where(condition, other): the broadcast of all three. */
const whereOutput = broadcastOutput("where", ["condition", "input", "other"], 1);

/** addcmul/addcdiv/lerp: pointwise over the broadcast of their operands; no FLOPs rule in spec v1. */
const TERNARY: readonly OpRule[] = [
  ...["addcmul", "addcdiv"].flatMap((n) => [n, `${n}_`].map((name) =>
    defineOp({ name, namespaces: name.endsWith("_") ? M : TM, signature: { params: [{ name: "input" }, { name: "tensor1" }, { name: "tensor2" }], kwOnly: [{ name: "value", default: 1 }] }, cost: "none", output: broadcastOutput(name, ["input", "tensor1", "tensor2"]) }),
  )),
  defineOp({ name: "lerp", namespaces: TM, signature: sig("input", "end", "weight"), cost: "none", output: broadcastOutput("lerp", ["input", "end", "weight"]) }),
];

/** masked_fill: the mask broadcasts against the input (in place: to the input's shape). */
function maskedFill(name: string, inplace: boolean) {
  return (args: Args): Output | Failure => {
    const x = operand(args.input, "input", name);
    const m = operand(args.mask, "mask", name);
    if (isFailure(x)) return x;
    if (isFailure(m)) return m;
    if (isUnknown(x)) return tensorOf(x);
    if (isUnknown(m)) return tensorOf(x.shape, x.dtype);
    // PyTorch broadcasts the mask against the input (a = mask) out of place, the input against the mask in place
    const shape = inplace ? broadcastShapes(x.shape, m.shape) : broadcastShapes(m.shape, x.shape);
    if (isBad(shape)) return shape;
    if (inplace && (shape.length !== x.shape.length || shape.some((d, i) => equal(d, x.shape[i]) === false))) {
      return failure(`output with shape ${fmtList(x.shape)} doesn't match the broadcast shape ${fmtList(shape)}`);
    }
    return tensorOf(inplace ? x.shape : (shape as Dim[]), x.dtype);
  };
}

export const ARITH_OPS: readonly OpRule[] = [
  ...ARITH,
  ...TERNARY,
  defineOp({ name: "where", namespaces: ["torch"], signature: sig("condition", "input", "other"), cost: "none", output: whereOutput }),
  defineOp({ name: "where", namespaces: M, signature: sig("input", "condition", "other"), cost: "none", output: whereOutput }),
  defineOp({ name: "masked_fill", namespaces: TM, signature: sig("input", "mask", "value"), cost: "zero", output: maskedFill("masked_fill", false) }),
  defineOp({ name: "masked_fill_", namespaces: M, signature: sig("input", "mask", "value"), cost: "zero", output: maskedFill("masked_fill_", true) }),
];
