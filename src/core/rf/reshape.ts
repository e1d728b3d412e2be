// Receptive-field rules of shape changes: view/flatten, permutes, reductions and Linear.
import { mul, type Dim } from "../dim";
import { dimEq, dimsEq, divExact, prod, rankOf, shapeOf, tail } from "./args";
import { FlatState, GLOBAL, InState, MISSING, SpState, UNKNOWN, rfReport, spansOf, spatialish, type RfState, type RfValue } from "./state";

function flatBlock(shape: readonly Dim[], axis: number): [Dim, Dim, Dim] {
  return [prod(shape.slice(0, axis)), shape[axis], prod(shape.slice(axis + 1))];
}

function nonZero(d: Dim): boolean {
  return typeof d !== "number" || d !== 0;
}

/**
 * view / reshape / flatten / unflatten / squeeze / unsqueeze. Spatial dims kept as trailing dims
 * keep their spans; spatial dims merged into one axis keep r and jump (FlatState).
 */
export function rfReshape(state: RfState, tIn: unknown, tOut: unknown): RfState {
  if (state === null || state === MISSING || state === GLOBAL || state === UNKNOWN) return state;
  const ish = shapeOf(tIn);
  const osh = shapeOf(tOut);
  if (!ish || !osh) return UNKNOWN;
  if (state instanceof InState) {
    if (dimsEq(ish, osh) || ish.length < 3) return state;
    if (dimsEq(tail(osh, ish.length - 2), ish.slice(2))) return state;
    const dims = spansOf(state, tIn, ish.length - 2);
    return dims ? rfReshape(new SpState(dims), tIn, tOut) : UNKNOWN;
  }
  if (state instanceof SpState) {
    const nd = state.dims.length;
    if (osh.length >= nd + 1 && dimsEq(tail(osh, nd), tail(ish, nd))) return state;
    const T = prod(tail(ish, nd));
    const pre = prod(ish.slice(0, Math.max(0, ish.length - nd)));
    // the axis holding every spatial position (with channels merged in when not pure)
    for (let t = osh.length - 1; t >= 0; t--) {
      if (!dimEq(prod(osh.slice(t + 1)), 1)) break;
      if (!dimEq(osh[t], 1) || dimEq(T, 1)) {
        const q = divExact(osh[t], T);
        if (q !== undefined && dimEq(mul(prod(osh.slice(0, t)), q), pre)) {
          const { rf, jump } = rfReport(state);
          return new FlatState(rf as RfValue, jump, t, dimEq(osh[t], T), state, ish);
        }
        break;
      }
    }
    return UNKNOWN;
  }
  if (state instanceof FlatState) {
    if (state.src && state.srcShape && dimsEq(osh, state.srcShape)) return state.src;
    const a = state.axis;
    if (a >= ish.length) return UNKNOWN;
    const [pre, A, post] = flatBlock(ish, a);
    for (let t = 0; t < osh.length; t++) {
      const [p0, n0, p1] = flatBlock(osh, t);
      if (dimEq(p0, pre) && dimEq(n0, A)) return state.moved(t);
      if (nonZero(p0) && nonZero(p1)) {
        const qa = divExact(pre, p0);
        const qb = divExact(post, p1);
        if (qa !== undefined && qb !== undefined && dimEq(n0, mul(mul(qa, A), qb))) {
          return state.moved(t, state.pure && dimEq(n0, A));
        }
      }
    }
    return UNKNOWN;
  }
  return UNKNOWN;
}

/** permute / transpose / movedim with the full permutation (perm[i] = source axis of output axis i). */
export function rfPermute(state: RfState, ndim: number, perm: readonly number[]): RfState {
  if (state instanceof SpState) {
    const nd = state.dims.length;
    for (let i = ndim - nd; i < ndim; i++) if (perm[i] !== i) return UNKNOWN;
    return state;
  }
  if (state instanceof FlatState) {
    const i = perm.indexOf(state.axis);
    return i < 0 ? null : state.moved(i);
  }
  return state;
}

/** mean / sum / amax / amin over `dims` (null: all dims). */
export function rfReduce(state: RfState, ndim: number, dims: readonly number[] | null, keepdim: boolean): RfState {
  if (state === null || state === MISSING || state === GLOBAL) return state;
  if (dims === null) return spatialish(state) || state instanceof InState ? GLOBAL : state;
  const ds = new Set(dims.map((d) => ((d % ndim) + ndim) % ndim));
  if (state === UNKNOWN) return UNKNOWN;
  if (state instanceof FlatState) {
    if (ds.has(state.axis)) return GLOBAL;
    if (keepdim) return state;
    let below = 0;
    for (const d of ds) if (d < state.axis) below++;
    return state.moved(state.axis - below);
  }
  let sp: number[];
  if (state instanceof SpState) sp = Array.from({ length: state.dims.length }, (_, i) => ndim - state.dims.length + i);
  else if (state instanceof InState) sp = ndim >= 3 ? Array.from({ length: ndim - 2 }, (_, i) => i + 2) : [];
  else return state;
  if (sp.length === 0 || !sp.some((d) => ds.has(d))) return state;
  if (sp.every((d) => ds.has(d))) {
    if (state instanceof InState) state.spatial = true;
    return GLOBAL; // mean over all spatial dims
  }
  return UNKNOWN;
}

/**
 * Linear over flattened spatial features sees the whole input; over the channels of spatial
 * tokens it keeps r; on features / tokens from the start it is not defined.
 */
export function rfLinear(xs: RfState, x: unknown): RfState {
  if (xs === null || xs === MISSING) return null;
  if (xs === GLOBAL) return GLOBAL;
  if (xs instanceof InState) return null;
  const rank = rankOf(x);
  if (xs instanceof FlatState) return rank !== undefined && xs.axis === rank - 1 ? GLOBAL : xs;
  if (rank !== undefined && rank <= 2) return GLOBAL;
  return UNKNOWN;
}
