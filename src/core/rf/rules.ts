// Receptive-field rules of the windowed layers (conv, pool, interpolate, pad) and of branch merges.
import type { Dim } from "../dim";
import type { ArgValue, TensorMeta } from "../types";
import { axisMod, dimEq, numOf, rankOf, shapeOf, tail, tupleOf } from "./args";
import { Fraction } from "./fraction";
import { UnionDim } from "./spanDims";
import { RfLimit, type SpanDim, type Window } from "./spans";
import { FlatState, GLOBAL, InState, MISSING, SpState, UNKNOWN, rfWindow, spansOf, spatialish, type RfState } from "./state";
import { adaptiveWindow, convTransposeWindow, convWindow, interpWindow, shiftWindow } from "./windows";

const MAX_DEN = 1_000_000n;

function concrete(d: Dim | undefined): number | undefined {
  return typeof d === "number" ? d : undefined;
}

function ratio(i: Dim, o: Dim): Fraction | null {
  if (dimEq(i, o)) return Fraction.ONE;
  const a = concrete(i);
  const b = concrete(o);
  return a !== undefined && b !== undefined && b !== 0 ? new Fraction(a, b) : null;
}

/** 1 / scale_factor, the scale rounded to a fraction with denominator <= 10^6 (null: not usable). */
function scaleJump(v: number | null): Fraction | null {
  if (v === null || !(v > 0) || !Number.isFinite(v)) return null;
  const f = Fraction.fromDouble(v).limitDenominator(MAX_DEN);
  return f.num === 0n ? null : f.inverse();
}

/** Upsample / F.interpolate. The jump is divided by the scale factor (in/out when a size is given). */
export function rfInterp(
  state: RfState,
  x: unknown,
  out: unknown,
  mode: string,
  scaleFactor: ArgValue | undefined,
  alignCorners: boolean,
  recompute: boolean,
): RfState {
  const ish = shapeOf(x);
  const osh = shapeOf(out);
  if (!ish || !osh || ish.length < 3) return rfWindow(state, x, out, [null], [Fraction.ONE]);
  const nd = ish.length - 2;
  const ins = ish.slice(2);
  const ons = osh.slice(2);
  let sfs: readonly (number | null)[] | undefined;
  let jsc: (Fraction | null)[];
  if (scaleFactor !== null && scaleFactor !== undefined && !recompute) {
    sfs = tupleOf(scaleFactor, nd, numOf);
    jsc = sfs ? sfs.map(scaleJump) : [];
  } else {
    sfs = Array<null>(nd).fill(null);
    jsc = ins.map((i, k) => (k < ons.length ? ratio(i, ons[k]) : null));
  }
  const m = Math.min(ins.length, ons.length, sfs ? sfs.length : nd);
  const linear = mode === "linear" || mode === "bilinear" || mode === "trilinear";
  const windows: (Window | null)[] = [];
  for (let k = 0; k < m; k++) {
    const i = concrete(ins[k]);
    const o = concrete(ons[k]);
    if (!sfs) windows.push(null);
    else if (linear && dimEq(ins[k], ons[k])) windows.push(shiftWindow(0));
    else windows.push(i !== undefined && o !== undefined ? interpWindow(mode, i, o, alignCorners, sfs[k]) : null);
  }
  while (jsc.length < m) jsc.push(null);
  return rfWindow(state, x, out, windows, jsc.slice(0, m));
}

/** Padding (F.pad order: last dim first): padded positions count as input positions. */
export function rfPad(state: RfState, x: unknown, out: unknown, pad: ArgValue | undefined): RfState {
  if (state === null || state === MISSING) return null;
  if (typeof state === "string") return state;
  const rank = rankOf(x);
  const pads = Array.isArray(pad) ? tupleOf(pad, 1) : undefined;
  if (rank === undefined || pads === undefined) return UNKNOWN;
  let nd: number;
  if (state instanceof SpState) nd = state.dims.length;
  else if (state instanceof InState && rank >= 3) nd = rank - 2;
  else return UNKNOWN;
  const lefts = Array<number>(nd).fill(0);
  for (let k = 0; k < Math.min(Math.floor(pads.length / 2), nd); k++) lefts[nd - 1 - k] = pads[2 * k];
  return rfWindow(state, x, out, lefts.map((lp) => shiftWindow(-lp)), lefts.map(() => Fraction.ONE));
}

/** Conv and pool: per dim kernel, stride, padding, dilation (undefined: not concrete). */
export function rfConvLike(
  state: RfState,
  x: unknown,
  out: unknown,
  nd: number,
  ks: readonly number[] | undefined,
  ss: readonly number[] | undefined,
  ps: readonly number[] | undefined,
  ds: readonly number[] | undefined,
): RfState {
  const w = zip4(nd, ks, ss, ps, ds, convWindow);
  const js = ss ? ss.slice(0, w.length).map((s) => new Fraction(s)) : w.map(() => null);
  return rfWindow(state, x, out, w, js);
}

export function rfConvTransposeLike(
  state: RfState,
  x: unknown,
  out: unknown,
  nd: number,
  ks: readonly number[] | undefined,
  ss: readonly number[] | undefined,
  ps: readonly number[] | undefined,
  ds: readonly number[] | undefined,
): RfState {
  const w = zip4(nd, ks, ss, ps, ds, convTransposeWindow);
  const js = ss ? ss.slice(0, w.length).map((s) => (s > 0 ? new Fraction(1, s) : null)) : w.map(() => null);
  return rfWindow(state, x, out, w, js);
}

type WindowOf = (k: number, s: number, p: number, d: number) => Window | null;

function zip4(nd: number, ks?: readonly number[], ss?: readonly number[], ps?: readonly number[], ds?: readonly number[], fn?: WindowOf): (Window | null)[] {
  if (!ks || !ss || !ps || !ds || !fn) return Array<null>(nd).fill(null);
  const n = Math.min(ks.length, ss.length, ps.length, ds.length);
  const w: (Window | null)[] = [];
  for (let i = 0; i < n; i++) w.push(fn(ks[i], ss[i], ps[i], ds[i]));
  return w;
}

/** Adaptive pools: output size 1 everywhere is a global pool; else the adaptive windows, jump * i/o. */
export function rfAdaptive(state: RfState, x: unknown, out: unknown, nd: number): RfState {
  if (state === null || state === MISSING) return null;
  const ish = shapeOf(x);
  const osh = shapeOf(out);
  if (!ish || !osh) return UNKNOWN;
  const ins = tail(ish, nd);
  const ons = tail(osh, nd);
  if (ons.every((o) => o === 1) && (spatialish(state) || state instanceof InState)) {
    if (state instanceof InState) state.spatial = true;
    return GLOBAL;
  }
  const m = Math.min(ins.length, ons.length);
  const windows: (Window | null)[] = [];
  const js: (Fraction | null)[] = [];
  for (let k = 0; k < m; k++) {
    const i = concrete(ins[k]);
    const o = concrete(ons[k]);
    windows.push(dimEq(ins[k], ons[k]) ? shiftWindow(0) : i !== undefined && o !== undefined ? adaptiveWindow(i, o) : null);
    js.push(ratio(ins[k], ons[k]));
  }
  return rfWindow(state, x, out, windows, js);
}

/** Conv padding: "same" is d(k-1)//2 per dim, "valid" 0, else the int or tuple. */
export function convPadding(padding: ArgValue | undefined, ks: readonly number[] | undefined, ds: readonly number[] | undefined, nd: number): number[] | undefined {
  if (typeof padding === "string") {
    if (padding !== "same") return Array<number>(nd).fill(0);
    if (!ks || !ds) return undefined;
    return ks.slice(0, Math.min(ks.length, ds.length)).map((k, i) => Math.floor((ds[i] * (k - 1)) / 2));
  }
  return tupleOf(padding, nd);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function sameFlat(f: FlatState, g: FlatState, axis = true): boolean {
  return sameValue(f.rf, g.rf) && sameValue(f.jump, g.jump) && (!axis || f.axis === g.axis);
}

/**
 * Elementwise ops of equal spatial size, cat along a non-spatial dim: the union of the operands'
 * spans position by position. An operand broadcast from spatial size 1 does not widen the span.
 */
export function rfMerge(items: readonly (readonly [RfState, TensorMeta | undefined])[], out: unknown): RfState {
  let its = items.filter(([s]) => s !== MISSING);
  if (its.length === 0) return MISSING;
  let nd = 0;
  for (const [s] of its) if (s instanceof SpState) nd = Math.max(nd, s.dims.length);
  const osh = shapeOf(out);
  let bdims: Set<number>[] = [];
  if (nd && osh && osh.length >= nd) {
    const odim = osh.length;
    const osz = tail(osh, nd);
    const kept: (readonly [RfState, TensorMeta | undefined])[] = [];
    for (const it of its) {
      const tshape = shapeOf(it[1]);
      const b = new Set<number>();
      if (tshape) {
        const tsh = [...Array<Dim>(Math.max(0, odim - tshape.length)).fill(1), ...tshape];
        const tsp = tsh.slice(odim - nd);
        for (let d = 0; d < nd; d++) if (tsp[d] === 1 && !(typeof osz[d] === "number" && (osz[d] as number) <= 1)) b.add(d);
      }
      if (b.size === nd) continue; // broadcast from spatial size 1: does not widen the span
      kept.push(it);
      bdims.push(b);
    }
    its = kept;
    if (its.length === 0) return MISSING;
  } else {
    bdims = its.map(() => new Set<number>());
  }
  if (its.every(([s]) => s === null)) return null;
  const pairs = its.map((it, k) => [it[0], it[1], bdims[k]] as const).filter(([s]) => s !== null);
  const sts = pairs.map(([s]) => s);
  if (sts.some((s) => s === GLOBAL)) return GLOBAL;
  if (sts.some((s) => s === UNKNOWN)) return UNKNOWN;
  const flats = sts.filter((s): s is FlatState => s instanceof FlatState);
  if (flats.length) {
    const f0 = flats[0];
    return flats.length === sts.length && flats.every((f) => sameFlat(f, f0)) ? f0 : UNKNOWN;
  }
  if (!nd) return sts[0];
  const perDim: SpanDim[][] = Array.from({ length: nd }, () => []);
  for (const [s, t, b] of pairs) {
    const dims = spansOf(s, t, nd);
    if (dims === null) return UNKNOWN;
    for (let d = 0; d < nd; d++) if (!b.has(d)) perDim[d].push(dims[d]);
  }
  const outDims: SpanDim[] = [];
  for (const list of perDim) {
    const ps = [...new Set(list)];
    if (ps.length === 0) return UNKNOWN;
    if (ps.length === 1) {
      outDims.push(ps[0]);
      continue;
    }
    const jump = ps.map((p) => p.jump).reduce((m, j) => (j.compare(m) < 0 ? j : m));
    try {
      outDims.push(new UnionDim(ps, ps[0].n, jump));
    } catch (e) {
      if (e instanceof RfLimit) return UNKNOWN;
      throw e;
    }
  }
  return new SpState(outDims);
}

/** torch.cat / torch.stack. */
export function rfCat(ts: readonly TensorMeta[], states: readonly RfState[], dim: number, out: unknown, stack: boolean): RfState {
  if (ts.length === 0) return MISSING;
  const ndIn = rankOf(ts[0]) as number;
  const d = axisMod(dim, stack ? ndIn + 1 : ndIn);
  const flats = states.filter((s): s is FlatState => s instanceof FlatState);
  if (flats.length && !stack && flats.every((f) => f.axis === d)) {
    // tokens joined along the merged spatial axis (a class token prepended): keeps r
    const others = states.filter((s) => !(s instanceof FlatState) && s !== MISSING && s !== null);
    const f0 = flats[0];
    return others.length === 0 && flats.every((f) => sameFlat(f, f0, false)) ? f0 : UNKNOWN;
  }
  const st = rfMerge(
    states.map((s, k) => [s, ts[k]] as const),
    out,
  );
  if (st instanceof SpState) {
    const nsp = st.dims.length;
    if (stack ? d > ndIn - nsp : d >= ndIn - nsp) return UNKNOWN; // joined along a spatial dim
  }
  if (st instanceof InState && !stack && ndIn >= 3 && d >= 2) return UNKNOWN;
  return st;
}
