// Index spans of one spatial dim: which model-input positions each position depends on (oracle's Dim).
import { Fraction } from "./fraction";

/** Raised when spans would need more memory or work than the analysis allows (reported "unknown"). */
export class RfLimit extends Error {}

/** A spatial size beyond this is not expanded into per-position spans. */
export const MAX_SIZE = 1_000_000;
/** The largest range of positions one dim computes at once. */
export const MAX_RANGE = 1 << 21;
/** Floats kept in span caches over all dims; least recently used caches are dropped beyond it. */
const CACHE_BUDGET = 1 << 23;
/** Room (in positions) left on each side of a new cache, so that small extensions need no copy. */
const SLACK = 64;
/** One outermost get() (one layer's r) gives up beyond computing this many positions. */
const WORK_BUDGET = 1 << 26;

/**
 * Spans in closed form: position o depends on input positions j*o + a .. j*o + b. Conv/pool,
 * padding, crops and stride-1 transposed convs keep this form (with j the integer jump), so such
 * chains need neither concrete sizes nor arrays.
 */
export interface Affine {
  readonly j: number;
  readonly a: number;
  readonly b: number;
}

/**
 * A layer's index span: output position o reads parent positions lo(o)..hi(o), or none when
 * lo(o) > hi(o). "affine" is lo(o) = s*o + c, hi(o) = s*o + c + e with s >= 1, e >= 0.
 */
export type Window =
  | { readonly kind: "affine"; readonly s: number; readonly c: number; readonly e: number }
  | { readonly kind: "map"; readonly lo: (o: number) => number; readonly hi: (o: number) => number };

/** Cached spans: position p is at index p - start; empty positions have lo = +Inf, hi = -Inf. */
export interface Spans {
  readonly start: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

const live = new Set<SpanDim>();
let liveFloats = 0;
/** Positions computed since the outermost pending get() began, and how deep gets are nested. */
let work = 0;
let depth = 0;

/** Drop every span cache (they are memos: spans are recomputed on demand). */
export function releaseSpanCaches(): void {
  for (const d of live) d.dropCache();
  live.clear();
  liveFloats = 0;
}

function checkRange(a: number, b: number): void {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b - a + 1 > MAX_RANGE) {
    throw new RfLimit(`span range ${a}..${b} is too large`);
  }
}

function safe(...xs: number[]): void {
  for (const x of xs) if (!Number.isSafeInteger(x)) throw new RfLimit("span positions exceed 2^53");
}

/** Spans of one spatial dim of one tensor; positions outside 0..n-1 are padding positions. */
export abstract class SpanDim {
  /** The size of the dim, undefined when symbolic (only affine dims can be). */
  readonly n: number | undefined;
  readonly jump: Fraction;
  readonly affine: Affine | undefined;
  /** Cached spans: valid for positions from..to, stored with room to grow on both sides. */
  private cache: (Spans & { from: number; to: number }) | undefined;

  protected constructor(n: number | undefined, jump: Fraction, affine: Affine | undefined) {
    if (affine === undefined && (n === undefined || n > MAX_SIZE)) {
      throw new RfLimit("per-position spans need a concrete size below the limit");
    }
    if (affine) safe(affine.j, affine.a, affine.b);
    this.n = n;
    this.jump = jump;
    this.affine = affine;
  }

  /** Fill lo/hi for positions a..b at indices (p - base). Only called on non-affine dims. */
  protected abstract compute(a: number, b: number, base: number, lo: Float64Array, hi: Float64Array): void;

  /** Spans covering at least positions a..b (a <= b); read only those positions. */
  get(a: number, b: number): Spans {
    if (depth === 0) work = 0;
    depth++;
    try {
      return this.getInner(a, b);
    } finally {
      depth--;
    }
  }

  dropCache(): void {
    this.cache = undefined;
  }

  private charge(positions: number): void {
    work += positions;
    if (work > WORK_BUDGET) throw new RfLimit("spans need too much work");
  }

  private getInner(a: number, b: number): Spans {
    checkRange(a, b);
    const af = this.affine;
    if (af) {
      const len = b - a + 1;
      const lo = new Float64Array(len);
      const hi = new Float64Array(len);
      for (let i = 0; i < len; i++) {
        const base = af.j * (a + i);
        lo[i] = base + af.a;
        hi[i] = base + af.b;
      }
      return { start: a, lo, hi };
    }
    const c = this.cache;
    if (c && a >= c.from && b <= c.to) {
      live.delete(this);
      live.add(this);
      return c;
    }
    let from = c ? Math.min(a, c.from) : a;
    let to = c ? Math.max(b, c.to) : b;
    checkRange(from, to);
    if (!c) {
      // a first computation also covers the padding positions the parents already hold (the
      // oracle's natural range), so that children's requests rarely extend it
      const cap = SLACK + ((b - a + 1) >> 3);
      [from, to] = this.freeRange(a, b, Math.max(a - cap, b - MAX_RANGE + 1), Math.min(b + cap, a + MAX_RANGE - 1));
    }
    if (c && from >= c.start && to < c.start + c.lo.length) {
      // room left in the buffers: compute the new positions in place
      this.charge(c.from - from + to - c.to);
      if (from < c.from) this.compute(from, c.from - 1, c.start, c.lo, c.hi);
      if (to > c.to) this.compute(c.to + 1, to, c.start, c.lo, c.hi);
      c.from = from;
      c.to = to;
      return c;
    }
    // new buffers with room to grow (doubling, so repeated extensions cost amortized O(1))
    const len = to - from + 1;
    this.charge(len);
    const room = c ? Math.min(Math.max(SLACK, len >> 1), (MAX_RANGE - len) >> 1) : SLACK;
    const start = from - Math.max(room, 0);
    const size = len + 2 * Math.max(room, 0);
    const lo = new Float64Array(size);
    const hi = new Float64Array(size);
    if (c) {
      lo.set(c.lo.subarray(c.from - c.start, c.to - c.start + 1), c.from - start);
      hi.set(c.hi.subarray(c.from - c.start, c.to - c.start + 1), c.from - start);
      if (from < c.from) this.compute(from, c.from - 1, start, lo, hi);
      if (to > c.to) this.compute(c.to + 1, to, start, lo, hi);
    } else {
      this.compute(from, to, start, lo, hi);
    }
    const next = { start, lo, hi, from, to };
    this.store(next);
    return next;
  }

  private store(c: Spans & { from: number; to: number }): void {
    if (this.cache) liveFloats -= 2 * this.cache.lo.length;
    live.delete(this);
    this.cache = c;
    live.add(this);
    liveFloats += 2 * c.lo.length;
    for (const d of live) {
      if (liveFloats <= CACHE_BUDGET) break;
      if (d === this || !d.cache) continue;
      liveFloats -= 2 * d.cache.lo.length;
      d.cache = undefined;
      live.delete(d);
    }
  }

  /** Positions cached (all of them for closed-form spans), undefined when nothing is. */
  cachedRange(): readonly [number, number] | undefined {
    if (this.affine) return [-Infinity, Infinity];
    const c = this.cache;
    return c ? [c.from, c.to] : undefined;
  }

  /**
   * The widest range within min..max around a..b whose spans need no parent positions beyond
   * what the parents hold once a..b is computed (it computes the parents' part for a..b).
   */
  protected abstract freeRange(a: number, b: number, min: number, max: number): [number, number];

  /** r: the widest span over the positions 0..n-1, null when no position depends on the input. */
  r(): number | null {
    const af = this.affine;
    if (af) {
      if (this.n === 0) return null;
      const w = af.b - af.a + 1;
      return w > 0 ? w : null;
    }
    const n = this.n as number;
    if (n <= 0) return null;
    const s = this.get(0, n - 1);
    let best = 0;
    for (let p = 0; p < n; p++) {
      const i = p - s.start;
      const w = s.hi[i] - s.lo[i] + 1;
      if (w > best) best = w;
    }
    return best > 0 ? best : null;
  }
}

/** A dim of the model input: position i depends on input position i (padding positions too). */
export class InputDim extends SpanDim {
  constructor(n: number | undefined) {
    super(n, Fraction.ONE, { j: 1, a: 0, b: 0 });
  }

  protected compute(): void {
    throw new Error("InputDim spans are affine");
  }

  protected freeRange(a: number, b: number): [number, number] {
    return [a, b];
  }


}
