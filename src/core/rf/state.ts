// Receptive-field states carried by tensors, the generic window rule and the per-layer report.
import type { Dim } from "../dim";
import { fractionToJson, type Fraction } from "./fraction";
import { rankOf, shapeOf, tail } from "./args";
import { WindowDim } from "./spanDims";
import { InputDim, RfLimit, SpanDim, type Window } from "./spans";

export const GLOBAL = "global";
export const UNKNOWN = "unknown";
/** Nothing known (parameters, constants): left out of merges; an op giving it leaves `rf` unset. */
export const MISSING: unique symbol = Symbol("rf.missing");

/** The model input: which of its dims are spatial is decided by the layers that read it. */
export class InState {
  spatial = false;
}

/** One span dim per trailing spatial dim. */
export class SpState {
  constructor(readonly dims: readonly SpanDim[]) {}
}

export type RfValue = number | number[] | null;

/** Spatial dims merged into tensor axis `axis` (pure: that axis holds spatial positions only). */
export class FlatState {
  constructor(
    readonly rf: RfValue,
    readonly jump: RfValue,
    readonly axis: number,
    readonly pure: boolean,
    readonly src?: SpState,
    readonly srcShape?: readonly Dim[],
  ) {}

  moved(axis: number, pure?: boolean): FlatState {
    return new FlatState(this.rf, this.jump, axis, pure ?? this.pure, this.src, this.srcShape);
  }
}

/**
 * null: no spatial dims from the start (tokens, MLP features); "global": depends on the whole
 * input; "unknown": derived from the spatial input but outside the rules; InState: the model
 * input itself (shared by identity, its `spatial` flag set later); SpState: per-position spans;
 * FlatState: spatial dims merged into one axis; MISSING: nothing known.
 */
export type RfState = null | typeof GLOBAL | typeof UNKNOWN | InState | SpState | FlatState | typeof MISSING;

export interface RfReport {
  readonly rf: number | number[] | "global" | null;
  readonly jump: number | number[] | null;
}

/** Derived from a spatial input (so token mixing over it is global). */
export function spatialish(state: RfState): boolean {
  if (state instanceof SpState || state instanceof FlatState) return true;
  if (state instanceof InState) return state.spatial;
  return state === GLOBAL || state === UNKNOWN;
}

/** The state's dims for the trailing nd dims of tensor t; the model input becomes spatial here. */
export function spansOf(state: RfState, t: unknown, nd: number): readonly SpanDim[] | null {
  if (state instanceof SpState) return state.dims.length === nd ? state.dims : null;
  const shape = shapeOf(t);
  if (state instanceof InState && shape && shape.length >= nd) {
    state.spatial = true;
    return tail(shape, nd).map((s) => new InputDim(typeof s === "number" ? s : undefined));
  }
  return null;
}

/**
 * A layer mapping output position o of each trailing spatial dim d to the input span
 * windows[d](o); the jump is multiplied by jscales[d]. A null window or scale: no rule (or
 * sizes that are not concrete) for this input.
 */
export function rfWindow(
  state: RfState,
  x: unknown,
  out: unknown,
  windows: readonly (Window | null)[],
  jscales: readonly (Fraction | null)[],
): RfState {
  if (state === null || state === MISSING) return null;
  if (typeof state === "string") return state;
  const nd = windows.length;
  const dims = spansOf(state, x, nd);
  const orank = rankOf(out);
  if (dims === null || orank === undefined || orank < nd || windows.some((w) => w === null)) return UNKNOWN;
  if (jscales.some((j) => j === null)) return UNKNOWN;
  const ns = tail(shapeOf(out) as readonly Dim[], nd);
  try {
    return new SpState(
      dims.map((p, k) => {
        const n = ns[k];
        return new WindowDim(p, typeof n === "number" ? n : undefined, p.jump.mul(jscales[k] as Fraction), windows[k] as Window);
      }),
    );
  } catch (e) {
    if (e instanceof RfLimit) return UNKNOWN;
    throw e;
  }
}

function allSame<T>(xs: readonly T[]): boolean {
  return xs.every((x) => x === xs[0]);
}

/** (rf, jump) for the report; call it once the forward is over. */
export function rfReport(state: RfState): RfReport {
  if (state instanceof SpState) {
    let rs: (number | null)[];
    try {
      rs = state.dims.map((d) => d.r());
    } catch (e) {
      if (e instanceof RfLimit || e instanceof RangeError) return { rf: null, jump: null };
      throw e;
    }
    if (rs.some((r) => r === null)) return { rf: null, jump: null };
    const js = state.dims.map((d) => fractionToJson(d.jump));
    return { rf: allSame(rs) ? (rs[0] as number) : (rs as number[]), jump: allSame(js) ? js[0] : js };
  }
  if (state instanceof FlatState) return { rf: state.rf, jump: state.jump };
  if (state === GLOBAL) return { rf: "global", jump: null };
  if (state instanceof InState) return state.spatial ? { rf: 1, jump: 1 } : { rf: null, jump: null };
  return { rf: null, jump: null };
}
