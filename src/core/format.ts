// Display formatting shared by hovers, hints, the tree view and the CLI: counts, shapes, jumps.
import { format as formatDim, type Dim } from "./dim";
import { isUnknown, type Unknown } from "./types";

const UNITS = ["", "K", "M", "G", "T", "P", "E"];

function isMissing(n: unknown): n is Unknown | null | undefined {
  return n === null || n === undefined || isUnknown(n);
}

/** `999` → "999", `1520` → "1.52K", `87219` → "87.2K", `81470912` → "81.5M"; Unknown → "unknown". */
export function formatCount(n: number | Unknown | null | undefined): string {
  if (isMissing(n) || !Number.isFinite(n)) return "unknown";
  const sign = n < 0 ? "-" : "";
  const v = Math.abs(n);
  if (v < 1000) return sign + String(Number.isInteger(v) ? v : Number(v.toPrecision(3)));
  let unit = 1;
  while (unit + 1 < UNITS.length && v >= 1000 ** (unit + 1)) unit++;
  let scaled = Number((v / 1000 ** unit).toPrecision(3));
  if (scaled >= 1000 && unit + 1 < UNITS.length) {
    unit++;
    scaled = Number((v / 1000 ** unit).toPrecision(3));
  }
  return `${sign}${scaled}${UNITS[unit]}`;
}

/** `1520` → "1,520"; Unknown → "unknown". */
export function formatWithCommas(n: number | Unknown | null | undefined): string {
  if (isMissing(n) || !Number.isFinite(n)) return "unknown";
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  const whole = Math.trunc(abs);
  const frac = abs - whole;
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + grouped + (frac > 0 ? String(Number(frac.toPrecision(6))).slice(1) : "");
}

/** `[1, 20, 28, 28]` → "(1, 20, 28, 28)", symbolic dims as expressions ("H-4"), unknown dims "?". */
export function formatShape(dims: readonly Dim[] | Unknown | null | undefined): string {
  if (isMissing(dims)) return "unknown";
  return `(${dims.map((d) => formatDim(d)).join(", ")})`;
}

/** An exact fraction, as the receptive-field code may carry jumps. */
export interface Fraction {
  readonly num: number;
  readonly den: number;
}

export type Jump = number | Fraction;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

/** The simplest fraction within 1e-9 (relative) of x, denominators up to 10^6; undefined if none. */
function toFraction(x: number): Fraction | undefined {
  if (Number.isInteger(x)) return { num: x, den: 1 };
  const sign = x < 0 ? -1 : 1;
  let v = Math.abs(x);
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(v);
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (k1 > 1e6) return undefined;
    if (Math.abs(h1 / k1 - Math.abs(x)) <= 1e-9 * Math.max(1, Math.abs(x))) return { num: sign * h1, den: k1 };
    const rest = v - a;
    if (rest === 0) break;
    v = 1 / rest;
  }
  return undefined;
}

function formatFraction(f: Fraction): string {
  const g = gcd(f.num, f.den);
  let num = f.num / g;
  let den = f.den / g;
  if (den < 0) [num, den] = [-num, -den];
  if (den === 1) return String(num);
  let d = den;
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  // a terminating decimal (0.5, 0.25, 1.5) reads better than a fraction
  if (d === 1) return String(num / den);
  return `${num}/${den}`;
}

/** A jump: 1 → "1", 0.5 → "0.5", 1/3 → "1/3"; per-dim lists "[0.5, 1/3]"; null (global) → "-". */
export function formatJump(j: Jump | readonly Jump[] | Unknown | null | undefined): string {
  if (j === null || j === undefined) return "-";
  if (isUnknown(j)) return "unknown";
  if (Array.isArray(j)) return `[${(j as readonly Jump[]).map((x) => formatJump(x)).join(", ")}]`;
  if (typeof j === "number") {
    if (!Number.isFinite(j)) return "unknown";
    const f = toFraction(j);
    return f ? formatFraction(f) : String(Number(j.toPrecision(6)));
  }
  return formatFraction(j as Fraction);
}
