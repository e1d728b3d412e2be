// MultiheadAttention: (attn_output, attn_weights) shapes for batch_first / seq-first / unbatched, params, exact MACs/FLOPs.
import { add, format as formatDim, mul, type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type Output, type Problem } from "../types";
import type { LayerCall, LayerResult, LayerRule } from "./rule";
import {
  bindForward,
  boolArg,
  costOf,
  dimArg,
  failed,
  forwardError,
  initError,
  intArg,
  isNum,
  paramCount,
  pyTuple,
  result,
  show,
  tensor,
  tensorInput,
  torchSize,
  unknownResult,
  unknownTensor,
} from "./util";

const TYPE = "MultiheadAttention";

const MHA_SIG = sig(
  "embed_dim",
  "num_heads",
  ["dropout", 0.0],
  ["bias", true],
  ["add_bias_kv", false],
  ["add_zero_attn", false],
  ["kdim", null],
  ["vdim", null],
  ["batch_first", false],
  ["device", null],
  ["dtype", null],
);

const MHA_FWD = sig(
  "query",
  "key",
  "value",
  ["key_padding_mask", null],
  ["need_weights", true],
  ["attn_mask", null],
  ["average_attn_weights", true],
  ["is_causal", false],
);

interface MhaSpec {
  readonly E: Dim;
  readonly H: Dim;
  readonly kE: Dim;
  readonly vE: Dim;
  readonly sameDims: boolean;
  readonly bias: boolean;
  readonly biasKv: boolean;
  readonly zeroAttn: boolean;
  readonly batchFirst: boolean;
}

function specOf(args: Args): MhaSpec | string {
  const E = dimArg(args.embed_dim, "embed_dim");
  const H = dimArg(args.num_heads, "num_heads");
  const kE = args.kdim === null || args.kdim === undefined ? E : dimArg(args.kdim, "kdim");
  const vE = args.vdim === null || args.vdim === undefined ? E : dimArg(args.vdim, "vdim");
  const flags = [args.bias, args.add_bias_kv, args.add_zero_attn, args.batch_first].map((v, i) => boolArg(v, ["bias", "add_bias_kv", "add_zero_attn", "batch_first"][i]));
  for (const f of flags) if (isUnknown(f)) return f.reason;
  const [bias, biasKv, zeroAttn, batchFirst] = flags as boolean[];
  const same = (a: Dim, b: Dim) => a === b || (!isNum(a) && !isNum(b) && formatDim(a) === formatDim(b));
  return { E, H, kE, vE, sameDims: same(kE, E) && same(vE, E), bias, biasKv, zeroAttn, batchFirst };
}

function validateMha(args: Args): Problem[] {
  const E = intArg(args.embed_dim, "embed_dim");
  const H = intArg(args.num_heads, "num_heads");
  if (H === 0) return [initError("ZeroDivisionError", "integer division or modulo by zero")];
  if (isNum(E) && isNum(H) && Math.floor(E / H) * H !== E) return [initError("AssertionError", "embed_dim must be divisible by num_heads")];
  return [];
}

function mhaParams(args: Args) {
  const spec = specOf(args);
  if (typeof spec === "string") return paramCount([["in_proj_weight", unknown(spec)]]);
  const { E, kE, vE } = spec;
  const parts: [string, Dim][] = spec.sameDims
    ? [["in_proj_weight", mul(mul(3, E), E)]]
    : [
        ["q_proj_weight", mul(E, E)],
        ["k_proj_weight", mul(E, kE)],
        ["v_proj_weight", mul(E, vE)],
      ];
  if (spec.bias) parts.push(["in_proj_bias", mul(3, E)]);
  if (spec.biasKv) parts.push(["bias_k", E], ["bias_v", E]);
  parts.push(["out_proj.weight", mul(E, E)]);
  if (spec.bias) parts.push(["out_proj.bias", E]);
  return paramCount(parts);
}

/** The terms of PyTorch's multi_head_attention_forward (mha-flops.md §1): [what, MACs, FLOPs]. */
export function mhaTerms(spec: MhaSpec, N: Dim, L: Dim, S: Dim, m: number, w: number): [string, Dim, Dim][] {
  const { E, H, kE, vE } = spec;
  const b = spec.bias ? 1 : 0;
  const S2 = add(S, (spec.biasKv ? 1 : 0) + (spec.zeroAttn ? 1 : 0));
  const d = isNum(E) && isNum(H) && H > 0 ? E / H : unknown("the head dim is not known");
  const NL = mul(N, L);
  const NS = mul(N, S);
  const NHLS2 = mul(H, mul(NL, S2));
  // a projection of `rows` vectors of size inE to E: the dot-product rule plus the bias
  const proj = (rows: Dim, inE: Dim): [Dim, Dim] => [mul(mul(rows, E), inE), mul(mul(rows, E), add(mul(2, inE), b - 1))];
  return [
    ["q in-projection", ...proj(NL, E)],
    ["k in-projection", ...proj(NS, kE)],
    ["v in-projection", ...proj(NS, vE)],
    ["scaling q/√d", 0, mul(NL, E)],
    ["scores Q·Kᵀ", mul(NHLS2, d), mul(NHLS2, add(mul(2, d), -1))],
    ["mask + softmax", 0, mul(NHLS2, m + 5)],
    ["attn·V", mul(mul(NL, E), S2), mul(mul(NL, E), add(mul(2, S2), -1))],
    ["out-projection", ...proj(NL, E)],
    ["head average of the weights", 0, mul(NHLS2, w)],
  ];
}

/** MACs and FLOPs of the whole call: the sum of its terms. */
export function mhaCost(spec: MhaSpec, N: Dim, L: Dim, S: Dim, m: number, w: number, input: readonly Dim[]) {
  const terms = mhaTerms(spec, N, L, S, m, w);
  let macs: Dim = 0;
  let flops: Dim = 0;
  for (const [, tm, tf] of terms) {
    macs = add(macs, tm);
    flops = add(flops, tf);
  }
  return costOf(macs, flops, input);
}

/** A tensor argument's known shape; null for None; undefined when not known. */
function optionalShape(v: ArgValue | undefined): readonly Dim[] | null | undefined {
  if (v === null || v === undefined) return null;
  if (isTensor(v) && !isUnknown(v.shape)) return v.shape;
  return undefined;
}

function forwardMha(args: Args, call: LayerCall): LayerResult {
  const bound = bindForward(TYPE, MHA_FWD, call);
  if (!bound.ok) return bound.result;
  const a = bound.args;
  const q = tensorInput(TYPE, a.query, "query");
  if (!q.ok) return q.result;
  const k = tensorInput(TYPE, a.key, "key");
  if (!k.ok) return k.result;
  const v = tensorInput(TYPE, a.value, "value");
  if (!v.ok) return v.result;
  const spec = specOf(args);
  if (typeof spec === "string") return unknownResult(spec, [unknownTensor(spec), unknown(spec)]);
  const fail = (msg: string) => failed(forwardError(TYPE, msg, q.shape));
  const qr = q.shape.length;
  if (qr !== 2 && qr !== 3) return fail(`query should be unbatched 2D or batched 3D tensor but received ${qr}-D query tensor`);
  const batched = qr === 3;
  const what = batched ? "batched (3-D)" : "unbatched (2-D)";
  if (k.shape.length !== qr || v.shape.length !== qr) {
    return fail(`For ${what} \`query\`, expected \`key\` and \`value\` to be ${qr}-D but found ${k.shape.length}-D and ${v.shape.length}-D tensors respectively`);
  }
  const kpm = optionalShape(a.key_padding_mask);
  const mask = optionalShape(a.attn_mask);
  if (kpm && kpm.length !== qr - 1) {
    return fail(`For ${what} \`query\`, expected \`key_padding_mask\` to be \`None\` or ${qr - 1}-D but found ${kpm.length}-D tensor instead`);
  }
  if (mask && mask.length !== 2 && mask.length !== 3) {
    return fail(`For ${what} \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.length}-D tensor instead`);
  }
  // PyTorch works sequence-first: (L, N, E)
  const seqFirst = (s: readonly Dim[]) => (!batched ? [s[0], 1, s[1]] : spec.batchFirst ? [s[1], s[0], s[2]] : [...s]);
  const [qs, ks, vs] = [seqFirst(q.shape), seqFirst(k.shape), seqFirst(v.shape)];
  const [L, N, qE] = qs;
  const [S, Nk] = ks;
  const { E, H } = spec;
  const S2 = add(S, (spec.biasKv ? 1 : 0) + (spec.zeroAttn ? 1 : 0));
  if (!batched && mask && mask.length === 3) {
    const want = [H, L, S];
    if (mask.some((d, i) => isNum(d) && isNum(want[i]) && d !== want[i])) return fail(`Expected \`attn_mask\` shape to be ${pyTuple(want)} but got ${torchSize(mask)}`);
  }
  if (isNum(qE) && isNum(E) && qE !== E) return fail(`was expecting embedding dimension of ${E}, but got ${qE}`);
  const differ = (x: readonly Dim[], y: readonly Dim[]) => x.length !== y.length || x.some((d, i) => isNum(d) && isNum(y[i]) && d !== y[i]);
  if (spec.sameDims) {
    if (differ(ks, vs)) return fail(`key shape ${torchSize(ks)} does not match value shape ${torchSize(vs)}`);
    const kLast = ks[2];
    if (isNum(kLast) && isNum(E) && kLast !== E && isNum(S) && isNum(Nk)) {
      const packed = a.key === a.value;
      return fail(`mat1 and mat2 shapes cannot be multiplied (${S * Nk}x${kLast} and ${E}x${packed ? 2 * E : E})`);
    }
  } else {
    if (differ(ks.slice(0, 2), vs.slice(0, 2))) return fail(`key's sequence and batch dims ${torchSize(ks.slice(0, 2))} do not match value's ${torchSize(vs.slice(0, 2))}`);
    for (const [name, got, want] of [["key", ks[2], spec.kE], ["value", vs[2], spec.vE]] as const) {
      if (isNum(got) && isNum(want) && got !== want) return fail(`expecting ${name} weights shape of ${pyTuple([E, got])}, but got ${torchSize([E, want])}`);
    }
  }
  if (mask && mask.length === 2 && differ(mask, [L, S])) return fail(`The shape of the 2D attn_mask is ${torchSize(mask)}, but should be ${pyTuple([L, S])}.`);
  if (mask && mask.length === 3 && batched && differ(mask, [mul(N, H), L, S])) {
    return fail(`The shape of the 3D attn_mask is ${torchSize(mask)}, but should be ${pyTuple([mul(N, H), L, S])}.`);
  }
  if (isNum(Nk) && isNum(N) && Nk !== N && isNum(S) && isNum(E) && isNum(H) && H > 0) {
    return fail(`shape '[${S}, ${N * H}, ${E / H}]' is invalid for input of size ${S * Nk * E}`);
  }
  if (kpm) {
    const k2 = batched ? kpm : [1, ...kpm];
    const extra = (spec.biasKv ? 1 : 0) + (spec.zeroAttn ? 1 : 0);
    if (differ(k2, [N, S])) return fail(`expecting key_padding_mask shape of ${pyTuple([N, S2])}, but got ${torchSize([k2[0], add(k2[1], extra)])}`);
  }
  const needWeights = boolArg(a.need_weights, "need_weights");
  const average = boolArg(a.average_attn_weights, "average_attn_weights");
  const out = !batched ? [L, E] : spec.batchFirst ? [N, L, E] : [L, N, E];
  let weights: Output = null;
  if (isUnknown(needWeights)) weights = needWeights;
  else if (needWeights) {
    if (isUnknown(average)) weights = average;
    else if (average) weights = tensor(batched ? [N, L, S2] : [L, S2]);
    else weights = tensor(batched ? [N, H, L, S2] : [H, L, S2]);
  }
  const output: Output = [tensor(out), weights];
  if (isUnknown(needWeights) || isUnknown(average)) return result(output, unknown("need_weights / average_attn_weights are not known"));
  if (kpm === undefined || mask === undefined) return result(output, unknown("whether a mask is given is not known"));
  const m = kpm !== null || mask !== null ? 1 : 0;
  const w = needWeights && average ? 1 : 0;
  return result(output, mhaCost(spec, N, L, S, m, w, q.shape));
}

const MHA: LayerRule = {
  type: TYPE,
  signature: MHA_SIG,
  validate: validateMha,
  params: mhaParams,
  forward: forwardMha,
  explain: (args, call, res) => {
    const p = mhaParams(args).total;
    const lines = [`params = ${isUnknown(p) ? "unknown" : show(p)} (in-projections, their bias, out_proj${boolArg(args.add_bias_kv, "add_bias_kv") === true ? ", bias_k/bias_v" : ""})`];
    const spec = specOf(args);
    const bound = bindForward(TYPE, MHA_FWD, call);
    const c = res.cost;
    if (typeof spec !== "string" && bound.ok && !isUnknown(c)) {
      const [q, k] = [bound.args.query, bound.args.key];
      if (isTensor(q) && isTensor(k) && !isUnknown(q.shape) && !isUnknown(k.shape)) {
        const batched = q.shape.length === 3;
        const at = (s: readonly Dim[], seq: boolean) => (!batched ? (seq ? s[0] : 1) : spec.batchFirst === seq ? s[1] : s[0]);
        const [N, L, S] = [at(q.shape, false), at(q.shape, true), at(k.shape, true)];
        const m = bound.args.key_padding_mask || bound.args.attn_mask ? 1 : 0;
        const w = bound.args.need_weights !== false && bound.args.average_attn_weights !== false ? 1 : 0;
        lines.push(`N = ${formatDim(N)}, L = ${formatDim(L)}, S = ${formatDim(S)}, E = ${formatDim(spec.E)}, heads = ${formatDim(spec.H)}`);
        for (const [what, tm, tf] of mhaTerms(spec, N, L, S, m, w)) if (tf !== 0) lines.push(`${what}: MACs ${show(tm)}, FLOPs ${show(tf)}`);
      }
    }
    lines.push(isUnknown(c) ? `cost unknown (${c.reason})` : `MACs = ${show(c.macs)}, FLOPs = ${show(c.flops)}`);
    return lines;
  },
};

export const ATTENTION_RULES: readonly LayerRule[] = [MHA];
