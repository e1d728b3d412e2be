// Integer value bounds carried through ops (ids - 1, arange(n).unsqueeze(0)) so an embedding lookup can see ids out of range.
import type { TensorMeta, ValueRange } from "../core/types";
import type { Value } from "./values";

/** Ops that move or repeat values without changing them. */
const KEEP_ALL = new Set(["unsqueeze", "squeeze", "view", "reshape", "flatten", "unflatten", "transpose", "permute", "contiguous", "clone", "detach", "expand", "repeat", "t", "long", "int", "to", "flip", "view_as", "expand_as", "reshape_as"]);
/** Ops that pick some of the values: uniform draws stay uniform, a full range may lose its ends. */
const KEEP_SOME = new Set(["getitem", "narrow", "select"]);

const intOf = (v: Value | undefined): number | undefined => (v?.k === "int" && typeof v.v === "number" ? v.v : v?.k === "bool" ? Number(v.v) : undefined);

/** The value range of an op's integer result, from its first tensor argument's (null: not known). */
function rangeAfter(name: string, args: readonly Value[]): ValueRange | null {
  const [a, b] = args;
  if (a?.k === "tensor" && a.t.range && (KEEP_ALL.has(name) || (KEEP_SOME.has(name) && a.t.range.random))) return a.t.range;
  if (name !== "add" && name !== "sub" && name !== "rsub") return null;
  const t = a?.k === "tensor" ? a : b?.k === "tensor" ? b : undefined;
  const n = intOf(a?.k === "tensor" ? b : a);
  const r = t?.t.range;
  if (!r || n === undefined || !Number.isSafeInteger(n)) return null;
  if (name === "add") return { ...r, lo: r.lo + n, hi: r.hi + n };
  // sub(t, n) = t - n; rsub(t, n) = n - t
  return name === "sub" && t === a ? { ...r, lo: r.lo - n, hi: r.hi - n } : { ...r, lo: n - r.hi, hi: n - r.lo };
}

/** The op's result with its value range (integer tensors only). */
export function withValueRange(name: string, args: readonly Value[], out: Value): Value {
  if (out.k !== "tensor" || out.t.dtype !== "long") return out;
  const range = rangeAfter(name, args);
  if (!range) return out;
  const t: TensorMeta = { ...out.t, range };
  return { ...out, t };
}
