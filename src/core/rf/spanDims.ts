// Span dims of layers and merges: per-position windows over a parent, unions of branches.
import type { Fraction } from "./fraction";
import { RfLimit, SpanDim, type Affine, type Spans, type Window } from "./spans";

/** Direct window scans (non-monotone windows only) give up beyond this many reads. */
const SCAN_BUDGET = 1 << 25;

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

  protected freeRange(a: number, b: number, min: number, max: number): [number, number] {
    const w = asMap(this.window);
    if (!this.parent.affine) {
      let pa = Infinity;
      let pb = -Infinity;
      for (const o of [a, b]) {
        // windows move monotonically in practice; the scan below re-checks each position
        if (w.lo(o) <= w.hi(o)) [pa, pb] = [Math.min(pa, w.lo(o)), Math.max(pb, w.hi(o))];
      }
      if (pa <= pb) this.parent.get(pa, pb);
    }
    const pr = this.parent.cachedRange();
    if (!pr) return [a, b];
    const fits = (o: number): boolean => {
      const x = w.lo(o);
      const y = w.hi(o);
      return x > y || (x >= pr[0] && y <= pr[1]);
    };
    let a2 = a;
    let b2 = b;
    while (a2 > min && fits(a2 - 1)) a2--;
    while (b2 < max && fits(b2 + 1)) b2++;
    return [a2, b2];
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

type MapWindow = Extract<Window, { kind: "map" }>;

function asMap(w: Window): MapWindow {
  if (w.kind === "map") return w;
  const { s, c, e } = w;
  return { kind: "map", lo: (o) => s * o + c, hi: (o) => s * o + c + e };
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

  protected freeRange(a: number, b: number, min: number, max: number): [number, number] {
    let a2 = min;
    let b2 = max;
    for (const p of this.parents) {
      if (!p.affine) p.get(a, b);
      const r = p.cachedRange() as readonly [number, number];
      a2 = Math.max(a2, r[0]);
      b2 = Math.min(b2, r[1]);
    }
    return [Math.min(a, a2), Math.max(b, b2)];
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
