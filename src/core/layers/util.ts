// Shared helpers for the layer rules: argument reading, int-or-tuple expansion, checked counts, results and problems.
import { add, floorDiv, format as formatDim, isSym, mul, product, type Dim } from "../dim";
import { formatShape, formatWithCommas } from "../format";
import { bindArgs, sig, type Signature } from "../signature";
import {
  error,
  isTensor,
  isUnknown,
  unknown,
  type ArgValue,
  type Args,
  type CostOrUnknown,
  type DType,
  type Output,
  type Problem,
  type TensorMeta,
  type Unknown,
} from "../types";
import type { LayerCall, LayerResult, ParamCount } from "./rule";

/** A Python int hyper-parameter, or Unknown when it is not a known integer. */
export type Int = number | Unknown;

export function isNum(v: unknown): v is number {
  return typeof v === "number";
}

// ---------------------------------------------------------------------------------------------
// reading arguments

/** An integer argument (`kernel_size=3`); Python bools count as 0/1. */
export function intArg(v: ArgValue | undefined, name: string): Int {
  if (typeof v === "number") return Number.isInteger(v) ? v : unknown(`${name} is not an integer (${v})`);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (isUnknown(v)) return v;
  if (isSym(v)) return unknown(`${name} is symbolic (${formatDim(v)})`);
  return unknown(`${name} is not an integer`);
}

/** An argument that becomes a tensor dimension (`out_channels`): a number, a symbolic int or Unknown. */
export function dimArg(v: ArgValue | undefined, name: string): Dim {
  if (isSym(v)) return v;
  return intArg(v, name);
}

/** A float argument (`scale_factor`, `p`). */
export function floatArg(v: ArgValue | undefined, name: string): number | Unknown {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (isUnknown(v)) return v;
  return unknown(`${name} is not a number`);
}

/** Python truthiness of a flag (`bias=True`); Unknown when not known. */
export function boolArg(v: ArgValue | undefined, name: string): boolean | Unknown {
  if (typeof v === "boolean") return v;
  if (v === null || v === undefined) return false;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v.length > 0;
  if (isUnknown(v)) return v;
  if (isSym(v)) return unknown(`${name} is symbolic`);
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** PyTorch's `_ntuple(n)`: an int is repeated n times, a 1-element tuple too, an n-tuple is kept. */
export function tup(v: ArgValue | undefined, n: number, name: string): Int[] | Unknown {
  if (Array.isArray(v)) {
    const items = v as readonly ArgValue[];
    if (items.length === n) return items.map((x) => intArg(x, name));
    if (items.length === 1) return repeat(intArg(items[0], name), n);
    return unknown(`${name} must have ${n} value${n === 1 ? "" : "s"}, got ${items.length}`);
  }
  const one = intArg(v, name);
  if (isUnknown(one)) return one;
  return repeat(one, n);
}

/** n copies of a value (a plain loop: `Array.from({ length })` is slow on this hot path). */
function repeat<T>(v: T, n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(v);
  return out;
}

/** The first Unknown among values, if any. */
export function firstUnknown(...vs: readonly unknown[]): Unknown | undefined {
  for (const v of vs) {
    if (isUnknown(v)) return v;
    if (Array.isArray(v)) {
      const u = firstUnknown(...v);
      if (u) return u;
    }
  }
  return undefined;
}

/** Python's `%` (result has the sign of the divisor). */
export function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

// ---------------------------------------------------------------------------------------------
// tensors and results

export function tensor(shape: readonly Dim[] | Unknown, dtype: DType = "float"): TensorMeta {
  return { kind: "tensor", shape, dtype };
}

/** A tensor of unknown shape (the rank is not known either). */
export function unknownTensor(reason: string, dtype: DType = "float"): TensorMeta {
  return tensor(unknown(reason), dtype);
}

export function result(output: Output, cost: CostOrUnknown, problems: readonly Problem[] = []): LayerResult {
  return { output, cost, problems };
}

/** The forward raises: no output, no cost. */
export function failed(problem: Problem): LayerResult {
  return { output: unknown(problem.message), cost: unknown("the forward call fails"), problems: [problem] };
}

/** Nothing can be said (an input that is not known). */
export function unknownResult(reason: string, output: Output = unknown(reason)): LayerResult {
  return { output, cost: unknown(reason), problems: [] };
}

/** The input tensor bound as `name`, with its known shape; or the result to return instead. */
export type TensorInput =
  | { readonly ok: true; readonly t: TensorMeta; readonly shape: readonly Dim[] }
  | { readonly ok: false; readonly result: LayerResult };

export function tensorInput(type: string, v: ArgValue | undefined, name = "input"): TensorInput {
  if (isTensor(v)) {
    if (isUnknown(v.shape)) {
      return { ok: false, result: unknownResult(`the shape of ${name} is unknown`, unknownTensor(v.shape.reason, v.dtype)) };
    }
    return { ok: true, t: v, shape: v.shape };
  }
  if (v === undefined || isUnknown(v) || (typeof v === "object" && v !== null && !Array.isArray(v))) {
    return { ok: false, result: unknownResult(`${name} of ${type} is not a known tensor`) };
  }
  const pyType = v === null ? "NoneType" : typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : typeof v === "string" ? "str" : typeof v === "boolean" ? "bool" : "tuple";
  return { ok: false, result: failed(error("shape-mismatch", `${type}.forward() expects a tensor as ${name}, got ${pyType}`)) };
}

/** Bind forward(*inputs, **kwargs) against the forward signature. */
export function bindForward(
  type: string,
  signature: Signature,
  call: LayerCall,
): { readonly ok: true; readonly args: Args } | { readonly ok: false; readonly result: LayerResult } {
  const bound = bindArgs(`${type}.forward()`, signature, call.inputs, Object.entries(call.kwargs), 1); // Python counts `self`
  return bound.ok ? bound : { ok: false, result: failed(bound.problem) };
}

const INPUT_ONLY = sig("input");

/** The tensor a one-argument forward (`forward(input)`) receives, bound and checked; else the result to return. */
export function forwardInput(type: string, call: LayerCall): TensorInput {
  const bound = bindForward(type, INPUT_ONLY, call);
  return bound.ok ? tensorInput(type, bound.args.input) : bound;
}

// ---------------------------------------------------------------------------------------------
// counts and costs (exact safe integers, else Unknown)

/** A count that must be a number: symbolic → Unknown with the reason. */
export function count(d: Dim, what: string): Int {
  if (typeof d === "number") return d;
  if (isUnknown(d)) return d;
  return unknown(`${what} depends on the symbolic size ${formatDim(d)}`);
}

export function sum(ds: readonly Dim[]): Dim {
  let s: Dim = 0;
  for (const d of ds) s = add(s, d);
  return s;
}

export function numel(shape: readonly Dim[]): Dim {
  return product(shape);
}

/** MACs and FLOPs when both are known numbers, else Unknown with the reason. */
export function costOf(macs: Dim, flops: Dim, input?: readonly Dim[]): CostOrUnknown {
  for (const d of [macs, flops]) {
    if (isUnknown(d)) return d;
    if (isSym(d)) return unknown(input ? `the input size ${formatShape(input)} is symbolic` : `depends on the symbolic size ${formatDim(d)}`);
  }
  // `(2K - 1)` adds per output goes negative for an empty reduction (K = 0 channels): unknown, not a wrong count
  if ((macs as number) < 0 || (flops as number) < 0) return unknown("a size of zero makes the FLOP formula negative");
  return { macs: macs as number, flops: flops as number };
}

/** Cost of `perElement` FLOPs (no MACs) on every element of `shape`. */
export function elementwiseCost(shape: readonly Dim[], perElement: number): CostOrUnknown {
  return costOf(0, mul(numel(shape), perElement), shape);
}

/** Named parameter tensors → ParamCount; a part that is not known makes the total Unknown. */
export function paramCount(parts: readonly (readonly [string, Dim])[]): ParamCount {
  const known: [string, number][] = [];
  let total: Dim = 0;
  for (const [name, size] of parts) {
    const n = count(size, `the size of ${name}`);
    if (isUnknown(n)) {
      total = n;
      continue;
    }
    known.push([name, n]);
    if (!isUnknown(total)) total = add(total, n);
  }
  return { total: isUnknown(total) ? total : (count(total, "params") as number | Unknown), parts: known };
}

export const NO_PARAMS: ParamCount = { total: 0, parts: [] };

// ---------------------------------------------------------------------------------------------
// output-size formulas shared by conv and pool layers

/** ConvNd / pooling: `floor((i + 2p - d(k-1) - 1) / s) + 1`. */
export function convOutSize(i: Dim, k: number, s: number, p: number, d: number): Dim {
  return add(floorDiv(add(i, 2 * p - d * (k - 1) - 1), s), 1);
}

/**
 * PyTorch's pooling_output_shape: floor, or with ceil_mode ceil, and then the last window must
 * start inside the input or its left padding: if `(o - 1)s >= i + p`, one less.
 */
export function poolOutSize(i: Dim, k: number, s: number, p: number, d: number, ceilMode: boolean): Dim {
  if (!ceilMode) return convOutSize(i, k, s, p, d);
  const c = 2 * p - d * (k - 1) - 1;
  const o = add(floorDiv(add(i, c + s - 1), s), 1);
  if (typeof i === "number" && typeof o === "number") return (o - 1) * s >= i + p ? o - 1 : o;
  if (isUnknown(o)) return o;
  // (o - 1)s = ceil((i + c)/s)·s lies in [i + c, i + c + s - 1]; compare with i + p
  const lo = c - p;
  if (lo >= 0) return add(o, -1);
  if (lo + s - 1 < 0) return o;
  return unknown(`the ceil_mode output size depends on ${formatDim(i)} mod ${s}`);
}

// ---------------------------------------------------------------------------------------------
// problems, worded like the oracle (PyTorch's message, then where)

/** The input shape as the messages show it: "(1, 3, 32, 32)". */
export function shapeText(shape: readonly Dim[] | Unknown | undefined): string {
  if (shape === undefined || isUnknown(shape)) return "?";
  return formatShape(shape);
}

/** A shape the way PyTorch prints IntArrayRef / list: "[2, 5]". */
export function listText(dims: readonly Dim[]): string {
  return `[${dims.map((d) => formatDim(d)).join(", ")}]`;
}

/** torch.Size repr: "torch.Size([2, 8])". */
export function torchSize(dims: readonly Dim[]): string {
  return `torch.Size(${listText(dims)})`;
}

/** Python tuple repr: "(2, 8)", "(5,)". */
export function pyTuple(dims: readonly Dim[]): string {
  return dims.length === 1 ? `(${formatDim(dims[0])},)` : `(${dims.map((d) => formatDim(d)).join(", ")})`;
}

/**
 * An error PyTorch raises in `type.forward` with `message`, classified like the oracle's
 * classify_forward_error (its generic branches: the layer-specific ones have their own builders).
 */
export function forwardError(type: string, message: string, input: readonly Dim[] | undefined): Problem {
  return forwardErrorAt(type, message, shapeText(input));
}

/** forwardError with the input already written out ("(1, 3, 32, 32)"; "?" when not known). */
export function forwardErrorAt(type: string, message: string, where: string): Problem {
  const chans = /expected input\[[^\]]*\] to have (\d+) channels, but got (\d+) channels/.exec(message);
  if (chans) {
    const [exp, got] = [Number(chans[1]), chans[2]];
    return error("channel-mismatch", `${type} expects ${exp} input channel${exp !== 1 ? "s" : ""} but receives ${got} (input ${where}); fix: in_channels=${got}`);
  }
  const stats = /running_mean should contain (\d+) elements not (\d+)/.exec(message);
  if (stats) return error("channel-mismatch", `${type} expects ${stats[2]} channels but receives ${stats[1]} (input ${where}); fix: ${type}(${stats[1]})`);
  const kernel = /Calculated padded input size per channel: \(([^)]*)\)\. Kernel size: \(([^)]*)\)/.exec(message);
  if (kernel) return error("size-too-small", `${type} kernel (${kernel[2]}) is larger than the padded input (${kernel[1]}) (input ${where})`);
  const pool = /Given input size: \(([^)]*)\)\. Calculated output size: \(([^)]*)\)\. Output size is too small/.exec(message);
  if (pool) return error("size-too-small", `${type} output size would be (${pool[2]}) for input (${pool[1]}) (input ${where})`);
  const lower = message.toLowerCase();
  if (lower.includes("output size is too small") || (lower.includes("input size") && lower.includes("small"))) {
    return error("size-too-small", `${type}: ${message} (input ${where})`);
  }
  if (message.includes("divisible by groups") || message.includes("num_groups")) {
    return error("groups-mismatch", `${type}: ${message}`);
  }
  const mm = /mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)/.exec(message);
  if (mm) return error("in-features-mismatch", `matrix shapes cannot be multiplied (${mm[1]}x${mm[2]} and ${mm[3]}x${mm[4]})`);
  return error("shape-mismatch", `${message} (in ${type}.forward, input ${where})`);
}

/** An error PyTorch raises in `__init__`, worded like the oracle's exec_error: "ValueError: ...". */
export function initError(excType: string, message: string): Problem {
  if (message.includes("num_groups") || message.includes("divisible by")) return error("groups-mismatch", message);
  const lower = message.toLowerCase();
  if (lower.includes("output size is too small") || (lower.includes("input size") && lower.includes("small"))) {
    return error("size-too-small", `${excType}: None: ${message} (input ?)`);
  }
  return error("shape-mismatch", `${excType}: ${message}`);
}

/** Conv / ConvTranspose in_channels mismatch. */
export function channelMismatch(type: string, expected: number, got: number, input: readonly Dim[]): Problem {
  return error(
    "channel-mismatch",
    `${type} expects ${expected} input channel${expected !== 1 ? "s" : ""} but receives ${got} (input ${shapeText(input)}); fix: in_channels=${got}`,
    { arg: "in_channels", value: String(got) },
  );
}

/** "running_mean should contain {got} elements not {expected}" (BatchNorm, tracked InstanceNorm). */
export function runningMeanMismatch(type: string, expected: number, got: number, input: readonly Dim[]): Problem {
  return error(
    "channel-mismatch",
    `${type} expects ${expected} channels but receives ${got} (input ${shapeText(input)}); fix: ${type}(${got})`,
    { arg: "num_features", value: String(got) },
  );
}

/** "Dimension out of range (expected to be in range of [-r, r-1], but got d)". */
export function dimOutOfRange(rank: number, d: number): string {
  if (rank === 0) return `Dimension specified as ${d} but tensor has no dimensions`;
  return `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${d})`;
}

// ---------------------------------------------------------------------------------------------
// explain helpers

/** The known shape of a tensor value (an input or an output), else undefined. */
export function knownShape(v: ArgValue | Output | undefined): readonly Dim[] | undefined {
  if (!isTensor(v) || isUnknown(v.shape)) return undefined;
  return v.shape;
}

/** The shape of the first output (a tuple's first item). */
export function firstOutputShape(o: Output): readonly Dim[] | undefined {
  return knownShape(Array.isArray(o) ? (o as readonly Output[])[0] : (o as Output));
}

/** The shape of the call's first input. */
export function firstInputShape(call: LayerCall, name = "input"): readonly Dim[] | undefined {
  return knownShape(call.inputs[0] ?? call.kwargs[name]);
}

/** A number with thousands separators, or the symbolic expression. */
export function show(d: Dim): string {
  if (typeof d === "number") return formatWithCommas(d);
  return formatDim(d);
}

/** The factors of an element count written out: "20·28·28" (dims of 1 left out). */
export function factors(shape: readonly Dim[]): string {
  const fs = shape.filter((d) => d !== 1).map((d) => paren(formatDim(d)));
  return fs.length ? fs.join("·") : "1";
}

/** An expression in parentheses when it has a sum in it: "(H-4)". */
export function paren(text: string): string {
  return /[+-]/.test(text.slice(1)) ? `(${text})` : text;
}

/** Spatial dim names for the explain lines. */
export function dimNames(nd: number): string[] {
  return nd === 1 ? ["L"] : nd === 2 ? ["H", "W"] : nd === 3 ? ["D", "H", "W"] : Array.from({ length: nd }, (_, i) => `d${i}`);
}
