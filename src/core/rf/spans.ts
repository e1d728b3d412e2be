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
/** Direct window scans (non-monotone windows only) give up beyond this many reads. */
const SCAN_BUDGET = 1 << 25;

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
    const from = c ? Math.min(a, c.from) : a;
    const to = c ? Math.max(b, c.to) : b;
    checkRange(from, to);
    if (c && from >= c.start && to < c.start + c.lo.length) {
      // room left in the buffers: compute the new positions in place
      if (from < c.from) this.compute(from, c.from - 1, c.start, c.lo, c.hi);
      if (to > c.to) this.compute(c.to + 1, to, c.start, c.lo, c.hi);
      c.from = from;
      c.to = to;
      return c;
    }
    // new buffers with room to grow (doubling, so repeated extensions cost amortized O(1))
    const len = to - from + 1;
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


}

/** A layer: output position o reads parent positions window(o). */
export class WindowDim extends SpanDim {
  constructor(
    private readonly parent: SpanDim,
    n: number | undefined,
    jump: Fraction,
    private readonly window: Window,
  ) {
    super(n, jump, composeAffine(parent.affine, window));
  }

  protected compute(a: number, b: number, base: number, lo: Float64Array, hi: Float64Array): void {
    const w = this.window;
    const len = b - a + 1;
    const A = new Float64Array(len);
    const B = new Float64Array(len);
    let pa = Infinity;
    let pb = -Infinity;
    let monotone = true;
    if (w.kind === "affine") {
      // conv / pool / shift over per-position parents: no closures in the hot loop
      for (let i = 0; i < len; i++) {
        A[i] = w.s * (a + i) + w.c;
        B[i] = A[i] + w.e;
      }
      pa = A[0];
      pb = B[len - 1];
    } else {
      let lastA = -Infinity;
      let lastB = -Infinity;
      for (let i = 0; i < len; i++) {
        const x = w.lo(a + i);
        const y = w.hi(a + i);
        A[i] = x;
        B[i] = y;
        if (x > y) continue;
        if (x < pa) pa = x;
        if (y > pb) pb = y;
        if (x < lastA || y < lastB) monotone = false;
        lastA = x;
        lastB = y;
      }
    }
    const off = base - a;
    const pf = this.parent.affine;
    for (let i = 0; i < len; i++) {
      lo[i - off] = Infinity;
      hi[i - off] = -Infinity;
    }
    if (pa > pb) return;
    if (pf) {
      for (let i = 0; i < len; i++) {
        if (A[i] > B[i]) continue;
        lo[i - off] = pf.j * A[i] + pf.a;
        hi[i - off] = pf.j * B[i] + pf.b;
      }
      return;
    }
    const ps = this.parent.get(pa, pb);
    if (monotone) slidingWindow(A, B, ps, pb - pa + 1, lo, hi, -off);
    else scanWindows(A, B, ps, lo, hi, -off);
  }
}

/** Min of lo and max of hi over windows whose both ends never move left (monotone deques). */
function slidingWindow(A: Float64Array, B: Float64Array, ps: Spans, size: number, lo: Float64Array, hi: Float64Array, at: number): void {
  // each parent position in the windows' range is pushed at most once
  const qmin = new Int32Array(size);
  const qmax = new Int32Array(size);
  let h1 = 0;
  let t1 = 0;
  let h2 = 0;
  let t2 = 0;
  let next = 0; // next parent index to push
  for (let i = 0; i < A.length; i++) {
    if (A[i] > B[i]) continue;
    const first = A[i] - ps.start;
    const last = B[i] - ps.start;
    if (next < first) {
      next = first;
      h1 = t1 = h2 = t2 = 0;
    }
    for (; next <= last; next++) {
      const l = ps.lo[next];
      while (t1 > h1 && ps.lo[qmin[t1 - 1]] >= l) t1--;
      qmin[t1++] = next;
      const u = ps.hi[next];
      while (t2 > h2 && ps.hi[qmax[t2 - 1]] <= u) t2--;
      qmax[t2++] = next;
    }
    while (qmin[h1] < first) h1++;
    while (qmax[h2] < first) h2++;
    lo[i + at] = ps.lo[qmin[h1]];
    hi[i + at] = ps.hi[qmax[h2]];
  }
}

/** The plain scan for windows that move back and forth. */
function scanWindows(A: Float64Array, B: Float64Array, ps: Spans, lo: Float64Array, hi: Float64Array, at: number): void {
  let work = 0;
  for (let i = 0; i < A.length; i++) {
    if (A[i] > B[i]) continue;
    work += B[i] - A[i] + 1;
    if (work > SCAN_BUDGET) throw new RfLimit("window scan too long");
    let l = Infinity;
    let h = -Infinity;
    for (let q = A[i] - ps.start; q <= B[i] - ps.start; q++) {
      if (ps.lo[q] < l) l = ps.lo[q];
      if (ps.hi[q] > h) h = ps.hi[q];
    }
    lo[i + at] = l;
    hi[i + at] = h;
  }
}

function composeAffine(p: Affine | undefined, w: Window): Affine | undefined {
  if (!p || w.kind !== "affine") return undefined;
  return { j: p.j * w.s, a: p.j * w.c + p.a, b: p.j * (w.c + w.e) + p.b };
}

/** Where branches meet: the union of the parents' spans, position by position. */
export class UnionDim extends SpanDim {
  constructor(
    private readonly parents: readonly SpanDim[],
    n: number | undefined,
    jump: Fraction,
  ) {
    super(n, jump, unionAffine(parents));
  }

  protected compute(a: number, b: number, base: number, lo: Float64Array, hi: Float64Array): void {
    for (let p = a; p <= b; p++) {
      lo[p - base] = Infinity;
      hi[p - base] = -Infinity;
    }
    for (const parent of this.parents) {
      const s = parent.get(a, b);
      for (let p = a; p <= b; p++) {
        const i = p - s.start;
        if (s.lo[i] < lo[p - base]) lo[p - base] = s.lo[i];
        if (s.hi[i] > hi[p - base]) hi[p - base] = s.hi[i];
      }
    }
  }
}

function unionAffine(ps: readonly SpanDim[]): Affine | undefined {
  const first = ps[0].affine;
  if (!first) return undefined;
  let a = first.a;
  let b = first.b;
  for (const p of ps) {
    if (!p.affine || p.affine.j !== first.j) return undefined;
    a = Math.min(a, p.affine.a);
    b = Math.max(b, p.affine.b);
  }
  return { j: first.j, a, b };
}
