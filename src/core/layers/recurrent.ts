// RNN, LSTM, GRU and RNNCell/GRUCell/LSTMCell: (output, h_n[, c_n]) shapes, per-gate parameters, MACs/FLOPs, errors.
import { add, mul, type Dim } from "../dim";
import { asPacked, isPacked } from "../packed";
import { sig, type Signature } from "../signature";
import { error, isTensor, isUnknown, unknown, type ArgValue, type Args, type Output, type Problem } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  boolArg,
  costOf,
  dimArg,
  failed,
  floatArg,
  forwardError,
  initError,
  intArg,
  isNum,
  listText,
  paramCount,
  pyTuple,
  result,
  shapeText,
  show,
  tensor,
  tensorInput,
  unknownResult,
  unknownTensor,
} from "./util";

type Kind = "RNN" | "LSTM" | "GRU";
/** Gate blocks and elementwise FLOPs per hidden unit and step (mha-flops.md §3). */
const GATES: Record<Kind, { g: number; e: number }> = { RNN: { g: 1, e: 2 }, GRU: { g: 3, e: 11 }, LSTM: { g: 4, e: 13 } };

// RNN / LSTM / GRU take (*args, **kwargs) and pass them on to RNNBase(mode, ...): the same positionals
// for all three; RNN pops a keyword nonlinearity first
const RNN_BASE = sig(
  "input_size",
  "hidden_size",
  ["num_layers", 1],
  ["bias", true],
  ["batch_first", false],
  ["dropout", 0.0],
  ["bidirectional", false],
  ["proj_size", 0],
  ["device", null],
  ["dtype", null],
);
const SIGNATURES: Record<Kind, Signature> = {
  RNN: { ...RNN_BASE, kwOnly: [{ name: "nonlinearity", default: "tanh" }] },
  LSTM: RNN_BASE,
  GRU: RNN_BASE,
};

interface RnnSpec {
  readonly input: Dim;
  readonly hidden: Dim;
  readonly layers: number;
  readonly proj: number;
  readonly dirs: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
}

/** Most stacked layers expanded into parameter and cost entries. */
const MAX_LAYERS = 10_000;

function specOf(kind: Kind, args: Args): RnnSpec | string {
  const layers = intArg(args.num_layers, "num_layers");
  const proj = kind === "LSTM" ? intArg(args.proj_size, "proj_size") : 0;
  const bi = boolArg(args.bidirectional, "bidirectional");
  const bias = boolArg(args.bias, "bias");
  const bf = boolArg(args.batch_first, "batch_first");
  for (const v of [layers, proj, bi, bias, bf]) if (isUnknown(v)) return v.reason;
  // weights are listed per layer: a typo like num_layers=10**12 must not build a trillion entries
  if (typeof layers === "number" && layers > MAX_LAYERS) return `num_layers=${layers} is past ${MAX_LAYERS}`;
  return {
    input: dimArg(args.input_size, "input_size"),
    hidden: dimArg(args.hidden_size, "hidden_size"),
    layers: layers as number,
    proj: proj as number,
    dirs: bi ? 2 : 1,
    bias: bias as boolean,
    batchFirst: bf as boolean,
  };
}

function validateRnn(kind: Kind, args: Args): Problem[] {
  if (kind === "RNN" && typeof args.nonlinearity === "string" && args.nonlinearity !== "tanh" && args.nonlinearity !== "relu") {
    return [initError("ValueError", `Unknown nonlinearity '${args.nonlinearity}'`)];
  }
  // (RNN and GRU reject a proj_size keyword; the rules cannot tell it from the 8th positional, which is rare)
  if (kind !== "LSTM" && args.proj_size !== 0 && args.proj_size !== false) {
    return [initError("ValueError", "proj_size argument is only supported for LSTM, not RNN or GRU")];
  }
  const p = floatArg(args.dropout, "dropout");
  if (typeof args.dropout === "boolean" || (isNum(p) && (p < 0 || p > 1))) {
    return [initError("ValueError", "dropout should be a number in range [0, 1] representing the probability of an element being zeroed")];
  }
  const proj = kind === "LSTM" ? intArg(args.proj_size, "proj_size") : 0;
  const h = intArg(args.hidden_size, "hidden_size");
  if (isNum(proj) && proj < 0) return [initError("ValueError", "proj_size should be a positive integer or zero to disable projections")];
  if (isNum(proj) && isNum(h) && proj >= h) return [initError("ValueError", "proj_size has to be smaller than hidden_size")];
  const layers = intArg(args.num_layers, "num_layers");
  if (isNum(layers) && layers <= 0) return [initError("IndexError", "list index out of range")];
  return [];
}

function rnnParams(kind: Kind, args: Args) {
  const spec = specOf(kind, args);
  if (typeof spec === "string") return paramCount([["weight_ih_l0", unknown(spec)]]);
  const { g } = GATES[kind];
  const gh = mul(g, spec.hidden);
  const r: Dim = spec.proj > 0 ? spec.proj : spec.hidden;
  const parts: [string, Dim][] = [];
  for (let l = 0; l < spec.layers; l++) {
    const inSize = l === 0 ? spec.input : mul(spec.dirs, r);
    for (let dir = 0; dir < spec.dirs; dir++) {
      const sfx = `_l${l}${dir === 1 ? "_reverse" : ""}`;
      parts.push([`weight_ih${sfx}`, mul(gh, inSize)], [`weight_hh${sfx}`, mul(gh, r)]);
      if (spec.bias) parts.push([`bias_ih${sfx}`, gh], [`bias_hh${sfx}`, gh]);
      if (spec.proj > 0) parts.push([`weight_hr${sfx}`, mul(spec.proj, spec.hidden)]);
    }
  }
  return paramCount(parts);
}

/** MACs and FLOPs for N·T steps, as the oracle's rnn_cost counts them. */
function rnnCost(kind: Kind, spec: RnnSpec, steps: Dim, input: readonly Dim[]) {
  const { g, e } = GATES[kind];
  const H = spec.hidden;
  const P = spec.proj;
  const R: Dim = P > 0 ? P : H;
  const b = spec.bias ? 1 : 0;
  let macs: Dim = 0;
  let flops: Dim = 0;
  for (let l = 0; l < spec.layers; l++) {
    const I = l === 0 ? spec.input : mul(spec.dirs, R);
    let stepMacs = add(mul(mul(g, H), I), mul(mul(g, H), R));
    let stepFlops = add(add(mul(mul(g, H), add(mul(2, I), b - 1)), mul(mul(g, H), add(mul(2, R), b - 1))), mul(e, H));
    if (P > 0) {
      stepMacs = add(stepMacs, mul(P, H));
      stepFlops = add(stepFlops, mul(P, add(mul(2, H), -1)));
    }
    macs = add(macs, mul(mul(spec.dirs, steps), stepMacs));
    flops = add(flops, mul(mul(spec.dirs, steps), stepFlops));
  }
  return costOf(macs, flops, input);
}

function hiddenProblem(type: string, message: string, input: readonly Dim[]): LayerResult {
  return failed(forwardError(type, message, input));
}

function forwardRnn(kind: Kind, args: Args, call: LayerCall): LayerResult {
  const type = kind;
  const bound = bindForward(type, sig("input", ["hx", null]), call);
  if (!bound.ok) return bound.result;
  if (isPacked(bound.args.input)) return forwardPacked(kind, args, bound.args.input as readonly ArgValue[], bound.args.hx);
  const x = tensorInput(type, bound.args.input);
  if (!x.ok) return x.result;
  const shape = x.shape;
  const spec = specOf(kind, args);
  if (typeof spec === "string") {
    const t = () => unknownTensor(spec);
    return unknownResult(spec, kind === "LSTM" ? [t(), [t(), t()]] : [t(), t()]);
  }
  const rank = shape.length;
  const batched = rank === 3;
  const hx = bound.args.hx;
  const L = spec.layers * spec.dirs;
  const R: Dim = spec.proj > 0 ? spec.proj : spec.hidden;
  const N: Dim = batched ? shape[spec.batchFirst ? 0 : 1] : 1;
  // hx ranks are checked first: against 3-D for a 3-D input, else (unbatched, whatever the rank) 2-D
  let pair: ArgValue = hx;
  if (kind === "LSTM" && isTensor(hx) && !isUnknown(hx.shape) && hx.shape.length > 0 && rank >= 1) {
    // a lone tensor given for (h_0, c_0): PyTorch reads hx[0] and hx[1] along its first dim
    const n = hx.shape[0];
    if (isNum(n) && n < 2) return hiddenProblem(type, `index ${n} is out of bounds for dimension 0 with size ${n}`, shape);
    const row = { ...hx, shape: hx.shape.slice(1) };
    pair = [row, row];
  }
  const hxs: ArgValue[] = kind === "LSTM" ? (Array.isArray(pair) ? [...pair] : []) : hx !== null && hx !== undefined ? [hx] : [];
  const hxShapes = hxs.map((h) => (isTensor(h) && !isUnknown(h.shape) ? h.shape : undefined));
  if (hxs.length > 0 && rank >= 1 && hxShapes.every((s) => s !== undefined)) {
    const ranks = hxShapes.map((s) => (s as readonly Dim[]).length);
    const want = batched ? 3 : 2;
    if (ranks.some((r) => r !== want)) {
      const what = batched ? "batched 3-D" : "unbatched 2-D";
      return hiddenProblem(
        type,
        kind === "LSTM"
          ? `For ${what} input, hx and cx should also be ${want}-D but got (${ranks[0]}-D, ${ranks[1] ?? "?"}-D) tensors`
          : `For ${what} input, hx should also be ${want}-D but got ${ranks[0]}-D tensor`,
        shape,
      );
    }
  }
  if (!batched && rank !== 2) return hiddenProblem(type, `input must have 3 dimensions, got ${Math.max(rank, 0) + 1}`, shape);
  const last = shape[rank - 1];
  if (isNum(spec.input) && isNum(last) && last !== spec.input) {
    return failed(
      error("in-features-mismatch", `${type} expects input_size ${spec.input} but receives ${last} (input ${shapeText(shape)}); fix: input_size=${last}`, {
        arg: "input_size",
        value: String(last),
      }),
    );
  }
  const expected: Dim[][] = kind === "LSTM" ? [[L, N, R], [L, N, spec.hidden]] : [[L, N, R]];
  for (let k = 0; k < hxShapes.length; k++) {
    const s = hxShapes[k];
    if (!s) continue;
    const got = batched ? s : [s[0], 1, ...s.slice(1)];
    const exp = expected[k] ?? [];
    if (got.length === exp.length && got.every((d, i) => !(isNum(d) && isNum(exp[i]) && d !== exp[i])) ) continue;
    const label = kind === "LSTM" ? `hidden[${k}] size` : "hidden size";
    return hiddenProblem(type, `Expected ${label} ${pyTuple(exp)}, got ${listText(got)}`, shape);
  }
  if (pair !== hx && batched) {
    // batched, the lone tensor reaches the kernel as is (unbatched input makes a tuple of it)
    return hiddenProblem(type, "lstm() received an invalid combination of arguments - got (Tensor, Tensor, list, bool, int, float, bool, bool, bool), but expected one of:", shape);
  }
  const T = shape[batched && spec.batchFirst ? 1 : 0];
  const feat = mul(spec.dirs, R);
  const out = batched ? (spec.batchFirst ? [N, T, feat] : [T, N, feat]) : [T, feat];
  const h = batched ? [L, N, R] : [L, R];
  const c = batched ? [L, N, spec.hidden] : [L, spec.hidden];
  const output: Output = kind === "LSTM" ? [tensor(out), [tensor(h), tensor(c)]] : [tensor(out), tensor(h)];
  return result(output, rnnCost(kind, spec, mul(N, T), shape));
}

/** A PackedSequence input: data (tokens, I) in, (tokens, D·R) out with the same batch_sizes; cost per token. */
function forwardPacked(kind: Kind, args: Args, p: readonly ArgValue[], hx: ArgValue): LayerResult {
  const [data, bs, sorted, unsorted] = p;
  const spec = specOf(kind, args);
  if (typeof spec === "string" || !isTensor(data) || isUnknown(data.shape)) {
    const why = typeof spec === "string" ? spec : "an unknown PackedSequence";
    const t = () => unknownTensor(why);
    return unknownResult(why, kind === "LSTM" ? [t(), [t(), t()]] : [t(), t()]);
  }
  const shape = data.shape;
  if (shape.length !== 2) return hiddenProblem(kind, `input must have 2 dimensions, got ${shape.length}`, shape);
  const last = shape[1];
  if (isNum(spec.input) && isNum(last) && last !== spec.input) {
    return hiddenProblem(kind, `input.size(-1) must be equal to input_size. Expected ${spec.input}, got ${last}`, shape);
  }
  const L = spec.layers * spec.dirs;
  const R: Dim = spec.proj > 0 ? spec.proj : spec.hidden;
  const firstSize = isTensor(bs) && bs.values && bs.values.length > 0 ? bs.values[0] : undefined;
  const B: Dim = firstSize ?? (isTensor(sorted) && Array.isArray(sorted.shape) ? sorted.shape[0] : unknown("the batch of a PackedSequence of unknown lengths"));
  const expected: Dim[][] = kind === "LSTM" ? [[L, B, R], [L, B, spec.hidden]] : [[L, B, R]];
  const hxs: ArgValue[] = kind === "LSTM" ? (Array.isArray(hx) && !isPacked(hx) ? [...(hx as readonly ArgValue[])] : []) : hx !== null && hx !== undefined ? [hx] : [];
  for (let k = 0; k < hxs.length; k++) {
    const h = hxs[k];
    if (!isTensor(h) || isUnknown(h.shape)) continue;
    const exp = expected[k] ?? [];
    if (h.shape.length === exp.length && h.shape.every((d, i) => !(isNum(d) && isNum(exp[i]) && d !== exp[i]))) continue;
    return hiddenProblem(kind, `Expected ${kind === "LSTM" ? `hidden[${k}] size` : "hidden size"} ${pyTuple(exp)}, got ${listText(h.shape)}`, shape);
  }
  const out = asPacked([tensor([shape[0], mul(spec.dirs, R)]), bs as Output, sorted as Output, unsorted as Output]);
  const h = tensor([L, B, R]);
  const output: Output = kind === "LSTM" ? [out, [h, tensor([L, B, spec.hidden])]] : [out, h];
  return result(output, rnnCost(kind, spec, shape[0], shape));
}

function explainRnn(kind: Kind, args: Args, _call: LayerCall, res: LayerResult): string[] {
  const spec = specOf(kind, args);
  if (typeof spec === "string") return [`unknown: ${spec}`];
  const { g, e } = GATES[kind];
  const p = rnnParams(kind, args).total;
  const c = res.cost;
  return [
    `${g} gate block${g > 1 ? "s" : ""}, ${spec.layers} layer${spec.layers > 1 ? "s" : ""}, ${spec.dirs} direction${spec.dirs > 1 ? "s" : ""}${spec.proj > 0 ? `, proj_size ${spec.proj}` : ""}`,
    `params = Σ layers, directions [${g}·H·I_l + ${g}·H·R${spec.bias ? ` + 2·${g}·H` : ""}${spec.proj > 0 ? " + P·H" : ""}] = ${isUnknown(p) ? "unknown" : show(p)}`,
    `per step: MACs ${g}·H·(I_l + R)${spec.proj > 0 ? " + P·H" : ""}; FLOPs ${g}·H·(2·I_l − 1 + b) + ${g}·H·(2·R − 1 + b) + ${e}·H${spec.proj > 0 ? " + P·(2H − 1)" : ""}`,
    isUnknown(c) ? `cost unknown (${c.reason})` : `MACs = ${show(c.macs)}, FLOPs = ${show(c.flops)} (every step of N·T, per direction)`,
  ];
}

function rnnRule(kind: Kind): LayerRule {
  return {
    type: kind,
    signature: SIGNATURES[kind],
    validate: (args) => validateRnn(kind, args),
    params: (args) => rnnParams(kind, args),
    forward: (args, call) => forwardRnn(kind, args, call),
    explain: (args, call, res) => explainRnn(kind, args, call, res),
  };
}

// ---------------------------------------------------------------------------------------------
// cells: one step, one layer, one direction

type CellKind = "RNNCell" | "GRUCell" | "LSTMCell";
const CELL_GATES: Record<CellKind, { g: number; e: number }> = { RNNCell: GATES.RNN, GRUCell: GATES.GRU, LSTMCell: GATES.LSTM };

function cellParams(kind: CellKind, args: Args) {
  const { g } = CELL_GATES[kind];
  const I = dimArg(args.input_size, "input_size");
  const H = dimArg(args.hidden_size, "hidden_size");
  const bias = boolArg(args.bias, "bias");
  const gh = mul(g, H);
  const parts: [string, Dim][] = [["weight_ih", mul(gh, I)], ["weight_hh", mul(gh, H)]];
  if (isUnknown(bias)) parts.push(["bias_ih", bias]);
  else if (bias) parts.push(["bias_ih", gh], ["bias_hh", gh]);
  return paramCount(parts);
}

function forwardCell(kind: CellKind, args: Args, call: LayerCall): LayerResult {
  const bound = bindForward(kind, sig("input", ["hx", null]), call);
  if (!bound.ok) return bound.result;
  const x = tensorInput(kind, bound.args.input);
  if (!x.ok) return x.result;
  const shape = x.shape;
  if (shape.length !== 1 && shape.length !== 2) {
    return failed(forwardError(kind, `${kind}: Expected input to be 1-D or 2-D but received ${shape.length}-D tensor`, shape));
  }
  const I = dimArg(args.input_size, "input_size");
  const H = dimArg(args.hidden_size, "hidden_size");
  const bias = boolArg(args.bias, "bias");
  if (kind === "RNNCell" && typeof args.nonlinearity === "string" && args.nonlinearity !== "tanh" && args.nonlinearity !== "relu") {
    return failed(forwardError(kind, `Unknown nonlinearity: ${args.nonlinearity}`, shape));
  }
  const batched = shape.length === 2;
  const N: Dim = batched ? shape[0] : 1;
  const last = shape[shape.length - 1];
  if (isNum(I) && isNum(last) && I !== last) {
    const p = forwardError(kind, `input has inconsistent input_size: got ${last} expected ${I}`, shape);
    return failed({ ...p, fix: { arg: "input_size", value: String(last) } });
  }
  const hx = bound.args.hx;
  const hxs: ArgValue[] = kind === "LSTMCell" ? (Array.isArray(hx) ? [...hx] : []) : hx !== null && hx !== undefined ? [hx] : [];
  for (let k = 0; k < hxs.length; k++) {
    const h = hxs[k];
    if (!isTensor(h) || isUnknown(h.shape)) continue;
    const s = batched ? h.shape : [1, ...h.shape];
    if (s.length < 2) continue;
    if (isNum(N) && isNum(s[0]) && s[0] !== N) return failed(forwardError(kind, `Input batch size ${N} doesn't match hidden${k} batch size ${s[0]}`, shape));
    if (isNum(H) && isNum(s[1]) && s[1] !== H) {
      return failed(forwardError(kind, `hidden${k} has inconsistent hidden_size: got ${s[1]}, expected ${H}`, shape));
    }
  }
  const hShape = batched ? [N, H] : [H];
  const output: Output = kind === "LSTMCell" ? [tensor(hShape), tensor(hShape)] : tensor(hShape);
  if (isUnknown(bias)) return result(output, bias);
  const { g, e } = CELL_GATES[kind];
  const b = bias ? 1 : 0;
  const gh = mul(g, H);
  const macs = mul(N, add(mul(gh, I), mul(gh, H)));
  const flops = mul(N, add(add(mul(gh, add(mul(2, I), b - 1)), mul(gh, add(mul(2, H), b - 1))), mul(e, H)));
  return result(output, costOf(macs, flops, shape));
}

function cellRule(kind: CellKind): LayerRule {
  return {
    type: kind,
    signature:
      kind === "RNNCell"
        ? sig("input_size", "hidden_size", ["bias", true], ["nonlinearity", "tanh"], ["device", null], ["dtype", null])
        : sig("input_size", "hidden_size", ["bias", true], ["device", null], ["dtype", null]),
    params: (args) => cellParams(kind, args),
    forward: (args, call) => forwardCell(kind, args, call),
    explain: (_args, _call, res) => {
      const { g, e } = CELL_GATES[kind];
      const c = res.cost;
      return [
        `one step: MACs = N·${g}·H·(I + H); FLOPs = N·[${g}·H·(2I − 1 + b) + ${g}·H·(2H − 1 + b) + ${e}·H]`,
        isUnknown(c) ? `cost unknown (${c.reason})` : `MACs = ${show(c.macs)}, FLOPs = ${show(c.flops)}`,
      ];
    },
  };
}

export const RECURRENT_RULES: readonly LayerRule[] = [
  ...(["RNN", "LSTM", "GRU"] as const).map(rnnRule),
  ...(["RNNCell", "GRUCell", "LSTMCell"] as const).map(cellRule),
];
