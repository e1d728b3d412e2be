// torch.fft transforms (fft/ifft/rfft/irfft in 1-d, 2-d and n-d, fftshift, fftfreq) and torch.stft: output shapes; no FLOPs rule in spec v1.
import { add, floorDiv, mul, sub, type Dim } from "../dim";
import { sig } from "../signature";
import { isUnknown, type ArgValue, type Args } from "../types";
import { concreteInt, failure, intList, isBad, tensorOf, tensorShape, unknownTensor, wrapDim, type Failure } from "./common";
import { defineOp } from "./define";
import type { OpRule } from "./rule";

/** c2c keeps every transformed size; r2c halves the last one (n/2 + 1); c2r restores it (default 2(m - 1)). */
type Kind = "c2c" | "r2c" | "c2r";

const KIND: Readonly<Record<string, Kind>> = { fft: "c2c", ifft: "c2c", rfft: "r2c", irfft: "c2r", hfft: "c2r", ihfft: "r2c" };

function dimsList(v: ArgValue): number[] | ArgValue {
  if (typeof v === "number" && Number.isInteger(v)) return [v];
  if (Array.isArray(v) && v.every((d) => typeof d === "number" && Number.isInteger(d))) return v as number[];
  return v;
}

/**
 * The output of a transform over `dims` with signal sizes `sizes` (null: the input's own; -1 too).
 * PyTorch names the transform `fft_<base><suffix>` (fft_rfft2).
 */
function transformShape(fname: string, kind: Kind, args: Args, dims: ArgValue, sizes: ArgValue, defaultDims: "last" | "last2" | "all"): ReturnType<typeof tensorOf> | Failure {
  const x = tensorShape(args, "input", fname);
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const rank = x.shape.length;
  let s: Dim[] | null = null;
  if (sizes !== null && sizes !== undefined) {
    const l = intList(sizes, "s");
    if (isBad(l)) return isUnknown(l) ? unknownTensor(l.reason) : l;
    s = l;
  }
  let ds: number[];
  const given = dimsList(dims);
  if (given !== null && given !== undefined) {
    if (!Array.isArray(given) || !given.every((d) => typeof d === "number")) return unknownTensor("the transformed dims are not known");
    ds = [];
    for (const d of given as number[]) {
      const w = wrapDim(d, rank, false);
      if (isBad(w)) return w;
      ds.push(w);
    }
    if (new Set(ds).size !== ds.length) return failure("FFT dims must be unique");
    if (s && s.length !== ds.length) return failure("When given, dim and shape arguments must have the same length", "bad-argument");
  } else {
    const n = s ? s.length : defaultDims === "last" ? 1 : defaultDims === "last2" ? 2 : rank;
    if (n > rank) return failure(`Got shape with ${n} values but input tensor only has ${rank} dimensions.`, "bad-argument");
    ds = Array.from({ length: n }, (_, i) => rank - n + i);
  }
  const out: Dim[] = [...x.shape];
  ds.forEach((d, i) => {
    const given = s?.[i];
    const last = i === ds.length - 1;
    let n: Dim = given !== undefined && given !== -1 ? given : x.shape[d];
    if (last && kind === "c2r" && (given === undefined || given === -1)) n = mul(sub(x.shape[d], 1), 2);
    out[d] = last && kind === "r2c" ? add(floorDiv(n, 2), 1) : n;
  });
  const bad = out.find((d, i) => ds.includes(i) && typeof d === "number" && d < 1);
  if (bad !== undefined) return failure(`Invalid number of data points (${bad}) specified`, "bad-argument");
  return tensorOf(out, x.t.dtype);
}

function oneD(base: string): OpRule {
  const name = `fft_${base}`;
  return defineOp({
    name,
    namespaces: ["torch"],
    signature: sig("input", ["n", null], ["dim", -1], ["norm", null]),
    cost: "none",
    output: (a) => transformShape(name, KIND[base], a, a.dim, a.n === null ? null : [a.n], "last"),
  });
}

function multiD(base: string, suffix: "2" | "n"): OpRule {
  const name = `fft_${base}${suffix}`;
  return defineOp({
    name,
    namespaces: ["torch"],
    signature: sig("input", ["s", null], ["dim", suffix === "2" ? [-2, -1] : null], ["norm", null]),
    cost: "none",
    output: (a) => transformShape(name, KIND[base], a, a.dim, a.s, suffix === "2" ? "last2" : "all"),
  });
}

/** fftshift/ifftshift: a roll, the shape is kept. */
function shift(name: string): OpRule {
  return defineOp({
    name,
    namespaces: ["torch"],
    signature: sig("input", ["dim", null]),
    cost: "none",
    output(a) {
      const x = tensorShape(a, "input", name);
      if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
      return tensorOf(x.shape, x.t.dtype);
    },
  });
}

/** fftfreq(n) has n entries, rfftfreq(n) n/2 + 1. */
function freq(name: string, half: boolean): OpRule {
  return defineOp({
    name,
    namespaces: ["torch"],
    signature: sig("n", ["d", 1.0]),
    cost: "none",
    output(a) {
      const n = concreteInt(a.n, "n");
      if (isBad(n)) return isUnknown(n) ? unknownTensor(n.reason) : n;
      if (n < 0) return failure(`${name} requires a non-negative number of points`, "bad-argument");
      return tensorOf([half ? Math.floor(n / 2) + 1 : n]);
    },
  });
}

/** stft(input (L) or (B, L), n_fft, hop_length=n_fft/4, ..., center pads n_fft/2 each side): (B?, n_fft/2 + 1 or n_fft, frames[, 2]). */
const STFT: OpRule = defineOp({
  name: "stft",
  namespaces: ["torch", "method"],
  signature: sig("input", "n_fft", ["hop_length", null], ["win_length", null], ["window", null], ["center", true], ["pad_mode", "reflect"], ["normalized", false], ["onesided", null], ["return_complex", null]),
  cost: "none",
  output(a) {
    const x = tensorShape(a, "input", "stft");
    if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
    if (x.shape.length !== 1 && x.shape.length !== 2) return failure(`stft(): expected a 1D or 2D tensor, but got ${x.shape.length}D`, "bad-argument");
    const nFft = concreteInt(a.n_fft, "n_fft");
    if (isBad(nFft)) return isUnknown(nFft) ? unknownTensor(nFft.reason) : nFft;
    const hop = a.hop_length === null || a.hop_length === undefined ? Math.floor(nFft / 4) : concreteInt(a.hop_length, "hop_length");
    if (isBad(hop)) return isUnknown(hop) ? unknownTensor(hop.reason) : hop;
    const L = x.shape[x.shape.length - 1];
    const padded = a.center === false ? L : add(L, 2 * Math.floor(nFft / 2));
    if (typeof padded === "number" && (nFft <= 0 || nFft > padded)) return failure(`stft: expected 0 < n_fft <= ${padded}, but got n_fft=${nFft}`, "bad-argument");
    if (hop <= 0) return failure(`stft: expected hop_length > 0, but got hop_length=${hop}`, "bad-argument");
    const frames = add(floorDiv(sub(padded, nFft), hop), 1);
    const freqs = a.onesided === false ? nFft : Math.floor(nFft / 2) + 1;
    const out: Dim[] = [...x.shape.slice(0, -1), freqs, frames];
    return tensorOf(a.return_complex === true ? out : [...out, 2], x.t.dtype);
  },
});

export const FFT_OPS: readonly OpRule[] = [
  STFT,
  ...Object.keys(KIND).flatMap((b) => [oneD(b), multiD(b, "2"), multiD(b, "n")]),
  shift("fft_fftshift"),
  shift("fft_ifftshift"),
  freq("fft_fftfreq", false),
  freq("fft_rfftfreq", true),
];
