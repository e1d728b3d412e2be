// Python's list/tuple/str/range indices and slices: the positions they select and the errors Python raises for bad ones.
import type { Interp } from "./interp";
import { numberOf, typeName, type Value } from "./values";
import type { Where } from "./errors";

/** Python's index of a list / tuple / str / range item, with its messages ("list index out of range"; a module container's own), raised at `where` (the subscript). */
export function normIndex(ip: Interp, i: Value, n: number, kind: "list" | "tuple" | "string" | "range" | "list assignment" | "container", where?: Where): number {
  const x = numberOf(i);
  if (kind === "container" && (x === undefined || i.k === "float")) return ip.raise("TypeError", "indices must be integers", null, where);
  if (kind === "container" && (x! < -n || x! >= n)) return ip.raise("IndexError", `index ${x} is out of range`, null, where);
  if (x === undefined || i.k === "float") {
    const t = typeName(i);
    const msg = kind === "string" ? `string indices must be integers, not '${t}'` : `${kind === "list assignment" ? "list" : kind} indices must be integers or slices, not ${t}`;
    return ip.raise("TypeError", msg, null, where);
  }
  const j = x < 0 ? x + n : x;
  if (j < 0 || j >= n) return ip.raise("IndexError", `${kind === "range" ? "range object" : kind} index out of range`, null, where);
  return j;
}

export function sliceIndices(ip: Interp, s: Extract<Value, { k: "slice" }>, n: number): number[] {
  // a float bound would index between items (xs[0.5:] gave undefined items): Python's TypeError
  const num = (v: Value, d: number | null): number | null =>
    v.k === "none" ? d : v.k === "float" ? ip.raise("TypeError", "slice indices must be integers") : (numberOf(v) ?? ip.raise("TypeError", "slice indices must be integers"));
  const step = num(s.step, 1) ?? 1;
  if (step === 0) ip.raise("ValueError", "slice step cannot be zero");
  const clamp = (v: number | null, lo: number, hi: number, d: number): number => {
    if (v === null) return d;
    const x = v < 0 ? v + n : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const start = clamp(num(s.start, null), 0, n, 0);
    const stop = clamp(num(s.stop, null), 0, n, n);
    for (let i = start; i < stop; i += step) out.push(i);
  } else {
    const start = clamp(num(s.start, null), -1, n - 1, n - 1);
    const stop = clamp(num(s.stop, null), -1, n - 1, -1);
    for (let i = start; i > stop; i += step) out.push(i);
  }
  return out;
}
