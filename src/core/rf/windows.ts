// The index span of each layer kind (spec §4): output position o reads input positions lo(o)..hi(o).
import type { Window } from "./spans";

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function ceilDiv(a: number, b: number): number {
  return -Math.floor(-a / b);
}

/** conv / pool: [o*s - p, o*s - p + d(k-1)] */
export function convWindow(k: number, s: number, p: number, d: number): Window | null {
  if (s < 1) return null;
  return { kind: "affine", s, c: -p, e: d * (k - 1) };
}

/** transposed conv: [ceil((o + p - d(k-1)) / s), floor((o + p) / s)], empty if none */
export function convTransposeWindow(k: number, s: number, p: number, d: number): Window | null {
  if (s < 1) return null;
  const ext = d * (k - 1);
  if (s === 1) return { kind: "affine", s: 1, c: p - ext, e: ext };
  return { kind: "map", lo: (o) => ceilDiv(o + p - ext, s), hi: (o) => floorDiv(o + p, s) };
}

/** adaptive pool i -> n: [floor(o*i/n), ceil((o+1)*i/n) - 1] */
export function adaptiveWindow(i: number, n: number): Window | null {
  if (n < 1) return null;
  if (i % n === 0) return { kind: "affine", s: i / n, c: 0, e: i / n - 1 };
  return { kind: "map", lo: (o) => floorDiv(o * i, n), hi: (o) => ceilDiv((o + 1) * i, n) - 1 };
}

/** padding (off = -left pad), slicing (off = start): o -> off + o*step */
export function shiftWindow(off: number, step = 1): Window {
  return { kind: "affine", s: step, c: off, e: 0 };
}

export function pixelShuffleWindow(r: number): Window | null {
  if (r < 1) return null;
  if (r === 1) return shiftWindow(0);
  return { kind: "map", lo: (o) => floorDiv(o, r), hi: (o) => floorDiv(o, r) };
}

export function pixelUnshuffleWindow(r: number): Window | null {
  if (r < 1) return null;
  return { kind: "affine", s: r, c: 0, e: r - 1 };
}

const f32 = Math.fround;

/**
 * The input span of output position o of an interpolation i -> n, from the source coordinate
 * PyTorch 1.13's CPU kernels compute for float32 tensors (ATen/native/UpSample.h): the scale is
 * a float32 (1/scale_factor when one is given, else in/out; (in-1)/(out-1) with align_corners);
 * nearest floors o*scale in float32 (nearest-exact (o+0.5)*scale) and clamps to in-1; the linear
 * modes and bicubic compute x in double (negative x clamped to 0 for linear, not for bicubic;
 * equal sizes copy for linear). Spans: nearest floor(x); linear floor(x)..floor(x)+1; bicubic
 * floor(x)-1..floor(x)+2. Positions outside 0..n-1 use the same formula without the clamps.
 * `scale` is the scale factor when one is used (not recomputed), else null. Null: no rule.
 */
export function interpWindow(mode: string, i: number, n: number, alignCorners: boolean, scale: number | null): Window | null {
  const inside = (o: number): boolean => o >= 0 && o < n;
  if (mode === "nearest" || mode === "nearest-exact") {
    const sc = scale ? f32(1.0 / scale) : f32(f32(i) / f32(n));
    const src =
      mode === "nearest"
        ? (o: number): number => Math.floor(f32(f32(o) * sc))
        : (o: number): number => Math.floor(f32((o + 0.5) * sc));
    const at = (o: number): number => {
      const s = src(o);
      return inside(o) ? Math.min(s, i - 1) : s;
    };
    return { kind: "map", lo: at, hi: at };
  }
  if (mode === "linear" || mode === "bilinear" || mode === "trilinear" || mode === "bicubic") {
    const cubic = mode === "bicubic";
    if (n === i && !cubic) return shiftWindow(0);
    let sc: number;
    if (alignCorners) sc = n > 1 ? f32(f32(i - 1) / f32(n - 1)) : 0;
    else sc = scale ? f32(1.0 / scale) : f32(f32(i) / f32(n));
    const fl = (o: number): number => {
      let x: number;
      if (alignCorners) x = sc * o;
      else {
        x = sc * (o + 0.5) - 0.5;
        if (!cubic && inside(o) && x < 0) x = 0;
      }
      return Math.floor(x);
    };
    return cubic
      ? { kind: "map", lo: (o) => fl(o) - 1, hi: (o) => fl(o) + 2 }
      : { kind: "map", lo: fl, hi: (o) => fl(o) + 1 };
  }
  if (mode === "area") return adaptiveWindow(i, n);
  return null;
}
