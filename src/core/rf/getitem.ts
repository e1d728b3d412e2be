// Receptive field of indexing `x[idx]`: crops shift positions, ints and advanced indices drop the rule.
import { isSym, type Dim } from "../dim";
import { isTensor, isUnknown, type SliceArg } from "../types";
import { intOf, rankOf, shapeOf } from "./args";
import { Fraction } from "./fraction";
import { FlatState, InState, MISSING, SpState, UNKNOWN, rfWindow, spansOf, type RfState } from "./state";
import { shiftWindow } from "./windows";

/** A Python slice `start:stop:step` (null for an omitted part). */
export type SliceIndex = SliceArg;

export function isSlice(v: unknown): v is SliceIndex {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "slice";
}

type Item = { readonly kind: "slice"; readonly slice: SliceIndex; readonly axis: number } | { readonly kind: "int" } | { readonly kind: "adv" };

/** For each dim of x: a slice (with its output axis), an int, or an advanced index; null if not followed. */
function indexItems(rank: number, idx: unknown): Item[] | null {
  const its: readonly unknown[] = Array.isArray(idx) ? idx : [idx];
  let consuming = 0;
  for (const it of its) {
    if (it === null || it === "...") continue;
    if (isTensor(it) && it.dtype === "bool") {
      const r = rankOf(it);
      if (r === undefined) return null;
      consuming += Math.max(r, 1);
    } else consuming += 1;
  }
  const fill = rank - consuming;
  if (fill < 0) return null;
  const full: SliceIndex = { kind: "slice", start: null, stop: null, step: null };
  const seq: unknown[] = [];
  let seenEllipsis = false;
  for (const it of its) {
    if (it === "...") {
      for (let k = 0; k < fill; k++) seq.push(full);
      seenEllipsis = true;
    } else seq.push(it);
  }
  if (!seenEllipsis) for (let k = 0; k < fill; k++) seq.push(full);
  const res: Item[] = [];
  let axis = 0;
  for (const it of seq) {
    if (it === null) axis++;
    else if (isSlice(it)) res.push({ kind: "slice", slice: it, axis: axis++ });
    else if (typeof it === "number" || typeof it === "boolean" || isSym(it) || (isTensor(it) && rankOf(it) === 0 && it.dtype === "long")) res.push({ kind: "int" });
    else if (isUnknown(it)) return null;
    else res.push({ kind: "adv" });
  }
  return res.length === rank ? res : null;
}

interface SliceAt {
  readonly start: number;
  readonly step: number;
  /** stop >= size: nothing cut at the end */
  readonly full: boolean;
}

/** Python's slice.indices(size) as far as the rule needs it; undefined when not decidable. */
function sliceIndices(sl: SliceIndex, size: Dim): SliceAt | undefined {
  const step = sl.step === null || sl.step === undefined ? 1 : intOf(sl.step);
  if (step === undefined || step <= 0) return undefined;
  const start = sl.start === null || sl.start === undefined ? 0 : intOf(sl.start);
  const stopRaw = sl.stop === null || sl.stop === undefined ? null : intOf(sl.stop);
  if (typeof size !== "number") {
    // symbolic size: a non-negative start is taken as is; an explicit stop may cut
    if (start === undefined || start < 0) return undefined;
    return { start, step, full: stopRaw === null };
  }
  if (start === undefined) return undefined;
  const clamp = (v: number): number => {
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, 0), size);
  };
  const s = clamp(start);
  if (stopRaw === undefined) return { start: s, step, full: false };
  const e = stopRaw === null ? size : clamp(stopRaw);
  return { start: s, step, full: e >= size };
}

export function rfGetitem(state: RfState, x: unknown, idx: unknown, out: unknown): RfState {
  if (state === null || state === MISSING || typeof state === "string") return state;
  const xsh = shapeOf(x);
  const orank = rankOf(out);
  if (!xsh || orank === undefined) return UNKNOWN;
  const R = xsh.length;
  const items = indexItems(R, idx);
  if (state instanceof InState) {
    if (orank !== R) return null;
    const unchanged = (it: Item, k: number): boolean => {
      if (it.kind !== "slice") return false;
      const s = sliceIndices(it.slice, xsh[k]);
      return s !== undefined && s.start === 0 && s.step === 1;
    };
    if (items === null || R < 3 || items.every((it, k) => k < 2 || unchanged(it, k))) return state;
    const dims = spansOf(state, x, R - 2);
    if (!dims) return UNKNOWN;
    state = new SpState(dims); // a crop of the image: positions shift
  }
  if (items === null) return UNKNOWN;
  const adv = items.some((it) => it.kind === "adv");
  if (state instanceof FlatState) {
    const it = items[state.axis];
    if (!it || it.kind !== "slice" || adv) return UNKNOWN;
    return state.moved(it.axis);
  }
  const nd = state.dims.length;
  const windows = [];
  const js = [];
  let same = true;
  for (let k = 0; k < nd; k++) {
    const it = items[R - nd + k];
    if (!it || it.kind !== "slice") return UNKNOWN;
    const s = sliceIndices(it.slice, xsh[R - nd + k]);
    if (!s) return UNKNOWN;
    same = same && s.start === 0 && s.step === 1 && s.full;
    windows.push(shiftWindow(s.start, s.step));
    js.push(new Fraction(s.step));
  }
  if (adv || orank < nd) return UNKNOWN;
  if (same) return state;
  return rfWindow(state, x, out, windows, js); // a crop: output position o is input position start + o*step
}
