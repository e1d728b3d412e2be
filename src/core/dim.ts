// Tensor dimensions: a number, a symbolic polynomial (`H-4`, `2*W`, `floor((H+2)/2)`) or Unknown.
import { isUnknown, unknown, type Unknown } from "./types";

/**
 * A symbolic dimension: a polynomial with integer coefficients over atoms. An atom is a
 * named symbol (`H`) or a floor/ceil division of a polynomial by a positive integer.
 * `terms` maps a monomial key (atom keys joined by `*`, sorted; `""` for the constant) to
 * its coefficient; zero coefficients are never stored.
 */
export interface SymDim {
  readonly kind: "sym";
  readonly terms: ReadonlyMap<string, number>;
}

export type Dim = number | SymDim | Unknown;

type Atom =
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "floor" | "ceil"; readonly num: SymDim; readonly den: number };

/** Atoms by key, so monomial keys can be formatted back. Keys are canonical strings. */
const atoms = new Map<string, Atom>();

function atomKey(atom: Atom): string {
  if (atom.kind === "var") return atom.name;
  const inner = formatPoly(atom.num.terms);
  return /[+-]/.test(inner.slice(1)) ? `${atom.kind}((${inner})/${atom.den})` : `${atom.kind}(${inner}/${atom.den})`;
}

function registerAtom(atom: Atom): string {
  const key = atomKey(atom);
  if (!atoms.has(key)) atoms.set(key, atom);
  return key;
}

export function symbol(name: string): SymDim {
  return { kind: "sym", terms: new Map([[registerAtom({ kind: "var", name }), 1]]) };
}

export function isSym(d: unknown): d is SymDim {
  return typeof d === "object" && d !== null && (d as { kind?: unknown }).kind === "sym";
}

export function isConcrete(d: Dim): d is number {
  return typeof d === "number";
}

function termsOf(d: number | SymDim): Map<string, number> {
  if (typeof d === "number") return d === 0 ? new Map() : new Map([["", d]]);
  return new Map(d.terms);
}

/** Normalise a polynomial: a bare constant becomes a number; non-safe numbers become Unknown. */
function fromTerms(terms: Map<string, number>): Dim {
  for (const [k, v] of terms) {
    if (v === 0) terms.delete(k);
    else if (!Number.isSafeInteger(v)) return unknown("a dimension exceeds 2^53");
  }
  if (terms.size === 0) return 0;
  if (terms.size === 1 && terms.has("")) return terms.get("") as number;
  return { kind: "sym", terms };
}

function firstUnknown(...ds: Dim[]): Unknown | undefined {
  for (const d of ds) if (isUnknown(d)) return d;
  return undefined;
}

function checked(n: number, what: string): Dim {
  return Number.isSafeInteger(n) ? n : unknown(`${what} exceeds 2^53`);
}

export function add(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return checked(a + b, "a dimension"); // the common case first
  const u = firstUnknown(a, b);
  if (u) return u;
  if (typeof a === "number" && typeof b === "number") return checked(a + b, "a dimension");
  const t = termsOf(a as number | SymDim);
  for (const [k, v] of termsOf(b as number | SymDim)) t.set(k, (t.get(k) ?? 0) + v);
  return fromTerms(t);
}

export function neg(a: Dim): Dim {
  if (isUnknown(a)) return a;
  if (typeof a === "number") return -a;
  const t = new Map<string, number>();
  for (const [k, v] of a.terms) t.set(k, -v);
  return fromTerms(t);
}

export function sub(a: Dim, b: Dim): Dim {
  return add(a, neg(b));
}

function mulKeys(a: string, b: string): string {
  if (a === "") return b;
  if (b === "") return a;
  return [...a.split("*"), ...b.split("*")].sort().join("*");
}

export function mul(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return checked(a * b, "a dimension"); // the common case first
  const u = firstUnknown(a, b);
  if (u) return u;
  if (typeof a === "number" && typeof b === "number") return checked(a * b, "a dimension");
  const t = new Map<string, number>();
  for (const [ka, va] of termsOf(a as number | SymDim)) {
    for (const [kb, vb] of termsOf(b as number | SymDim)) {
      const k = mulKeys(ka, kb);
      t.set(k, (t.get(k) ?? 0) + va * vb);
    }
  }
  return fromTerms(t);
}

/** Product of dims (1 for none). */
export function product(ds: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of ds) p = mul(p, d);
  return p;
}

function divRound(a: number, b: number, mode: "floor" | "ceil"): number {
  const q = a / b;
  return mode === "floor" ? Math.floor(q) : Math.ceil(q);
}

function divide(a: Dim, b: Dim, mode: "floor" | "ceil"): Dim {
  const u = firstUnknown(a, b);
  if (u) return u;
  if (b === 0) return unknown("division by zero");
  if (typeof a === "number" && typeof b === "number") return divRound(a, b, mode);
  if (typeof b !== "number") {
    // exact division by a polynomial: a == c * b for a constant c
    const ta = termsOf(a as number | SymDim);
    const tb = termsOf(b as SymDim);
    let ratio: number | undefined;
    for (const [k, vb] of tb) {
      const va = ta.get(k) ?? 0;
      const r = va / vb;
      if (ratio === undefined) ratio = r;
      if (r !== ratio || !Number.isInteger(r)) return unknown(`cannot divide ${format(a)} by ${format(b)}`);
    }
    for (const k of ta.keys()) if (!tb.has(k)) return unknown(`cannot divide ${format(a)} by ${format(b)}`);
    return ratio ?? 0;
  }
  let den = b;
  const t = termsOf(a as SymDim);
  if (den < 0) {
    den = -den;
    for (const [k, v] of t) t.set(k, -v);
    mode = mode === "floor" ? "ceil" : "floor";
  }
  if (den === 1) return fromTerms(t);
  // split into the part divisible by den and the remainder
  const exact = new Map<string, number>();
  const rest = new Map<string, number>();
  for (const [k, v] of t) {
    if (k !== "" && v % den === 0) exact.set(k, v / den);
    else rest.set(k, v);
  }
  const restConst = rest.get("") ?? 0;
  if (rest.size === 0 || (rest.size === 1 && rest.has(""))) {
    exact.set("", (exact.get("") ?? 0) + divRound(restConst, den, mode));
    return fromTerms(exact);
  }
  // pull whole multiples of den out of the constant: floor((X + c)/d) = floor((X + c mod d)/d) + c div d
  const q = Math.floor(restConst / den);
  const r = restConst - q * den;
  if (r === 0) rest.delete("");
  else rest.set("", r);
  const key = registerAtom({ kind: mode, num: { kind: "sym", terms: rest }, den });
  exact.set(key, (exact.get(key) ?? 0) + 1);
  exact.set("", (exact.get("") ?? 0) + q);
  return fromTerms(exact);
}

export function floorDiv(a: Dim, b: Dim): Dim {
  return divide(a, b, "floor");
}

export function ceilDiv(a: Dim, b: Dim): Dim {
  return divide(a, b, "ceil");
}

/** true / false when decidable, undefined when it depends on the symbols. */
export function equal(a: Dim, b: Dim): boolean | undefined {
  if (isUnknown(a) || isUnknown(b)) return undefined;
  if (typeof a === "number" && typeof b === "number") return a === b;
  const d = sub(a, b);
  if (typeof d === "number") return d === 0;
  return undefined;
}

/** Dim as a number when concrete, else undefined. */
export function asNumber(d: Dim): number | undefined {
  return typeof d === "number" ? d : undefined;
}

function formatMonomial(key: string): string {
  return key; // atom keys are already their printed form
}

function formatPoly(terms: ReadonlyMap<string, number>): string {
  const entries = [...terms.entries()].filter(([, v]) => v !== 0);
  entries.sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a < b ? -1 : a > b ? 1 : 0));
  let s = "";
  for (const [k, v] of entries) {
    const mag = Math.abs(v);
    const body = k === "" ? String(mag) : mag === 1 ? formatMonomial(k) : `${mag}*${formatMonomial(k)}`;
    if (s === "") s = v < 0 ? `-${body}` : body;
    else s += v < 0 ? `-${body}` : `+${body}`;
  }
  return s === "" ? "0" : s;
}

/** `28`, `H-4`, `2*W`, `floor((H+2)/2)`, or `?` for unknown. */
export function format(d: Dim): string {
  if (typeof d === "number") return String(d);
  if (isUnknown(d)) return "?";
  return formatPoly(d.terms);
}

/** JSON form of a dim: a number, or the symbolic expression as a string; null when unknown. */
export function toJson(d: Dim): number | string | null {
  if (typeof d === "number") return d;
  if (isUnknown(d)) return null;
  return format(d);
}
