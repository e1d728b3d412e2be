// Receptive field of functional and tensor ops (the oracle's op_rf), keyed by PyTorch's function names.
import type { ArgValue, Args, Output, TensorMeta } from "../types";
import { isTensor } from "../types";
import { axisMod, firstTensor, intOf, rankOf, shapeOf, tensorsIn, tupleOf, dimsEq } from "./args";
import { Fraction } from "./fraction";
import { rfGetitem } from "./getitem";
import { rfLinear, rfPermute, rfReduce, rfReshape } from "./reshape";
import { convPadding, rfAdaptive, rfCat, rfConvLike, rfConvTransposeLike, rfInterp, rfMerge, rfPad } from "./rules";
import { GLOBAL, InState, MISSING, SpState, FlatState, UNKNOWN, rfWindow, type RfState } from "./state";
import { stateOf } from "./stateOf";
import { pixelShuffleWindow, pixelUnshuffleWindow } from "./windows";

const set = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

export const BINARY_OPS = set(`add add_ sub sub_ rsub mul mul_ div div_ true_divide true_divide_ __add__ __radd__
  __iadd__ __sub__ __rsub__ __isub__ __mul__ __rmul__ __imul__ __truediv__ __rtruediv__ __itruediv__ __div__
  __rdiv__ __idiv__ subtract multiply divide prelu`);

/** Ops that keep their input's state: elementwise activations, softmax, dropout, norms, casts. */
export const IDENTITY_OPS = set(`relu relu_ relu6 leaky_relu leaky_relu_ elu elu_ gelu silu sigmoid sigmoid_ tanh
  tanh_ hardswish hardswish_ hardsigmoid hardsigmoid_ mish softplus rrelu rrelu_ selu selu_ celu celu_ hardtanh
  hardtanh_ logsigmoid softsign tanhshrink threshold threshold_ hardshrink softshrink
  softmax log_softmax _softmax _log_softmax
  contiguous clone detach to float double half type_as dropout dropout1d dropout2d dropout3d alpha_dropout
  feature_alpha_dropout batch_norm layer_norm group_norm instance_norm masked_fill masked_fill_ exp log sqrt
  rsqrt pow abs neg clamp clamp_ clamp_min clamp_max square reciprocal erf __neg__ __pow__ __abs__ softmin`);

const RESHAPE_OPS = set("view reshape flatten unflatten squeeze unsqueeze view_as reshape_as squeeze_ unsqueeze_");
const SPLIT_OPS = set("chunk split split_with_sizes tensor_split");
const EXPAND_OPS = set("expand expand_as repeat broadcast_to");
const TRANSPOSE_OPS = set("transpose swapaxes swapdims t movedim moveaxis");
const REDUCE_OPS = set("mean sum amax amin");
const INTERP_OPS = set("interpolate upsample upsample_nearest upsample_bilinear");
const CONV_OPS = set("conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d");

/** The tensor an op works on: `input` (or `self` / `tensor`), else the first tensor argument. */
function mainInput(args: Args): TensorMeta | undefined {
  for (const k of ["input", "self", "tensor"]) if (isTensor(args[k])) return args[k] as TensorMeta;
  for (const v of Object.values(args)) if (isTensor(v)) return v;
  return undefined;
}

function poolNd(name: string): number {
  const m = /(\d)d/.exec(name);
  return m ? Number(m[1]) : 2;
}

/** An op without an RF rule: global if any operand is, null on non-spatial operands, else unknown. */
export function noRule(values: readonly (Output | ArgValue)[]): RfState {
  const sts = values.flatMap((v) => tensorsIn(v)).map(stateOf).filter((s) => s !== MISSING);
  if (sts.length === 0) return MISSING;
  if (sts.some((s) => s === GLOBAL)) return GLOBAL;
  if (sts.every((s) => s === null || (s instanceof InState && !s.spatial))) return null;
  return UNKNOWN;
}

function dimList(v: ArgValue | undefined, ndim: number): number[] | undefined {
  const xs = typeof v === "number" ? [v] : tupleOf(v, 1);
  return xs?.map((d) => axisMod(d, ndim));
}

/** The full permutation of transpose-like ops, undefined when not concrete. */
function transposePerm(name: string, args: Args, ndim: number): number[] | undefined {
  const ident = Array.from({ length: ndim }, (_, i) => i);
  if (name === "t") return ndim === 2 ? [1, 0] : ident;
  if (name === "movedim" || name === "moveaxis") {
    const src = dimList(args.source, ndim);
    const dst = dimList(args.destination, ndim);
    if (!src || !dst) return undefined;
    const perm: (number | undefined)[] = Array(ndim).fill(undefined);
    src.forEach((s, i) => {
      if (i < dst.length) perm[dst[i]] = s;
    });
    const rest = ident.filter((d) => !src.includes(d));
    return perm.map((p) => (p !== undefined ? p : (rest.shift() as number)));
  }
  const d0 = intOf(args.dim0 ?? args.axis0);
  const d1 = intOf(args.dim1 ?? args.axis1);
  if (d0 === undefined || d1 === undefined) return undefined;
  const perm = [...ident];
  const [a, b] = [axisMod(d0, ndim), axisMod(d1, ndim)];
  [perm[a], perm[b]] = [perm[b], perm[a]];
  return perm;
}

/** op_rf: the RF state of a functional op's result. MISSING means "leave the result's rf unset". */
export function opRf(name: string, args: Args, output: Output | ArgValue): RfState {
  if (name === "getitem") name = "__getitem__";
  const x = mainInput(args);
  const xs = x ? stateOf(x) : MISSING;
  const o0 = firstTensor(output);
  const rank = rankOf(x);
  const fallback = (): RfState => noRule(Object.values(args));

  if (BINARY_OPS.has(name)) {
    const items = Object.values(args)
      .filter(isTensor)
      .map((t) => [stateOf(t), t] as const);
    return rfMerge(items, o0);
  }
  if (name === "cat" || name === "concat" || name === "concatenate" || name === "stack") {
    const seq = args.tensors;
    const ts = (Array.isArray(seq) ? (seq as readonly ArgValue[]) : []).filter(isTensor);
    const dim = args.dim === undefined || args.dim === null ? 0 : intOf(args.dim);
    if (ts.length && (dim === undefined || rankOf(ts[0]) === undefined)) return fallback();
    return rfCat(ts, ts.map(stateOf), dim ?? 0, o0, name === "stack");
  }
  if (IDENTITY_OPS.has(name)) return xs;
  if (rank === undefined) return fallback();
  if (SPLIT_OPS.has(name)) {
    const d = intOf(args.dim ?? 0);
    if (d === undefined || rank === 0) return fallback();
    const dim = axisMod(d, rank);
    if (xs instanceof SpState && dim >= rank - xs.dims.length) return UNKNOWN;
    if (xs instanceof FlatState && dim === xs.axis) return UNKNOWN;
    if (xs instanceof InState && rank >= 3 && dim >= 2) return UNKNOWN;
    return xs;
  }
  if (name === "pad") return rfPad(xs, x, o0, args.pad);
  if (name === "__getitem__") return rfGetitem(xs, x, args.index, o0);
  if (name === "narrow") {
    const d = intOf(args.dim);
    const start = intOf(args.start);
    const length = intOf(args.length);
    if (d === undefined || start === undefined || length === undefined || rank === 0) return fallback();
    const dim = axisMod(d, rank);
    const full = { kind: "slice", start: null, stop: null, step: null };
    const idx = Array.from({ length: rank }, (_, k) => (k === dim ? { kind: "slice", start, stop: start + length, step: null } : full));
    return rfGetitem(xs, x, idx, o0);
  }
  if (RESHAPE_OPS.has(name)) return rfReshape(xs, x, o0);
  if (EXPAND_OPS.has(name)) {
    const osh = shapeOf(o0);
    if (osh && dimsEq(osh, shapeOf(x) ?? [])) return xs;
    if (xs === null || xs === MISSING || xs === GLOBAL) return xs;
    return UNKNOWN;
  }
  if (TRANSPOSE_OPS.has(name)) {
    const perm = transposePerm(name, args, rank);
    return perm ? rfPermute(xs, rank, perm) : fallback();
  }
  if (name === "permute") {
    let dims = args.dims;
    if (Array.isArray(dims) && dims.length === 1 && Array.isArray(dims[0])) dims = dims[0] as ArgValue;
    const perm = tupleOf(dims, 1);
    return perm && perm.length === rank ? rfPermute(xs, rank, perm.map((d) => axisMod(d, rank))) : fallback();
  }
  if (REDUCE_OPS.has(name)) {
    const dim = args.dim;
    const dims = dim === undefined || dim === null ? null : dimList(dim, Math.max(rank, 1));
    if (dims === undefined) return fallback();
    return rfReduce(xs, rank, dims, args.keepdim === true);
  }
  if (name.startsWith("max_pool") || name.startsWith("avg_pool")) {
    const nd = poolNd(name);
    const k = tupleOf(args.kernel_size, nd);
    const sArg = args.stride;
    const s = sArg === undefined || sArg === null || (Array.isArray(sArg) && sArg.length === 0) ? k : tupleOf(sArg, nd);
    const p = tupleOf(args.padding ?? 0, nd);
    const d = name.startsWith("max") ? tupleOf(args.dilation ?? 1, nd) : Array<number>(nd).fill(1);
    return rfConvLike(xs, x, o0, nd, k, s, p, d);
  }
  if (name.startsWith("adaptive_")) return rfAdaptive(xs, x, o0, poolNd(name));
  if (INTERP_OPS.has(name)) {
    let mode = typeof args.mode === "string" ? args.mode : "nearest";
    let ac = args.align_corners === true;
    const recompute = name === "interpolate" && args.recompute_scale_factor === true;
    if (name === "upsample_bilinear") [mode, ac] = ["bilinear", true];
    if (name === "upsample_nearest") mode = "nearest";
    return rfInterp(xs, x, o0, mode, args.scale_factor, ac, recompute);
  }
  if (name === "pixel_shuffle" || name === "pixel_unshuffle") {
    const f = intOf(name === "pixel_shuffle" ? args.upscale_factor : args.downscale_factor);
    return pixelRf(xs, x, o0, name === "pixel_shuffle", f);
  }
  if (CONV_OPS.has(name)) {
    const wsh = shapeOf(args.weight);
    if (!wsh || wsh.length < 3) return fallback();
    const nd = wsh.length - 2;
    const ks = tupleOf(wsh.slice(2) as ArgValue, nd);
    const ss = tupleOf(args.stride ?? 1, nd);
    const ds = tupleOf(args.dilation ?? 1, nd);
    if (name.startsWith("conv_transpose")) return rfConvTransposeLike(xs, x, o0, nd, ks, ss, tupleOf(args.padding ?? 0, nd), ds);
    return rfConvLike(xs, x, o0, nd, ks, ss, convPadding(args.padding ?? 0, ks, ds, nd), ds);
  }
  if (name === "linear") return rfLinear(xs, x);
  return fallback();
}

/** PixelShuffle(r) / PixelUnshuffle(r) over the last two dims. */
export function pixelRf(xs: RfState, x: unknown, out: unknown, shuffle: boolean, f: number | undefined): RfState {
  const ok = f !== undefined && f >= 1;
  const w = ok ? (shuffle ? pixelShuffleWindow(f) : pixelUnshuffleWindow(f)) : null;
  const j = ok ? (shuffle ? new Fraction(1, f) : new Fraction(f)) : null;
  return rfWindow(xs, x, out, [w, w], [j, j]);
}
