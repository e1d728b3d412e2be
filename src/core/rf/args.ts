// Reading tensors and integer arguments for the receptive-field rules (concrete values or nothing).
import { equal, floorDiv, isConcrete, mul, product, type Dim } from "../dim";
import { isTensor, isUnknown, type ArgValue, type Output, type TensorMeta } from "../types";

/** The shape of a tensor whose rank is known. */
export function shapeOf(t: unknown): readonly Dim[] | undefined {
  if (!isTensor(t) || isUnknown(t.shape)) return undefined;
  return t.shape as readonly Dim[];
}

export function rankOf(t: unknown): number | undefined {
  return shapeOf(t)?.length;
}

/** Every tensor inside a value (tuples and lists walked in order), like the oracle's tensors_in. */
export function tensorsIn(v: Output | ArgValue | undefined, acc: TensorMeta[] = []): TensorMeta[] {
  if (isTensor(v)) acc.push(v);
  else if (Array.isArray(v)) for (const x of v as readonly (Output | ArgValue)[]) tensorsIn(x, acc);
  return acc;
}

export function firstTensor(v: Output | ArgValue | undefined): TensorMeta | undefined {
  return tensorsIn(v)[0];
}

/** A concrete int (bools count as 0/1 like Python's), else undefined. */
export function intOf(v: ArgValue | undefined): number | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

/** A float (or int) argument, else undefined. */
export function numOf(v: ArgValue | undefined): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** The oracle's _tup: a scalar repeated n times; a 1-tuple repeated; a tuple as is. Undefined if not concrete. */
export function tupleOf(v: ArgValue | undefined, n: number, read: (x: ArgValue) => number | undefined = intOf): number[] | undefined {
  if (Array.isArray(v)) {
    const xs = (v as readonly ArgValue[]).map(read);
    if (xs.some((x) => x === undefined)) return undefined;
    const ys = xs as number[];
    return ys.length === 1 && n > 1 ? Array<number>(n).fill(ys[0]) : ys;
  }
  const x = v === undefined ? undefined : read(v);
  return x === undefined ? undefined : Array<number>(n).fill(x);
}

/** Python's a[-k:] */
export function tail<T>(a: readonly T[], k: number): readonly T[] {
  return k <= 0 ? [] : a.slice(Math.max(0, a.length - k));
}

/** Decidably equal dims. */
export function dimEq(a: Dim, b: Dim): boolean {
  return equal(a, b) === true;
}

export function dimsEq(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => dimEq(d, b[i]));
}

export function prod(ds: readonly Dim[]): Dim {
  return product(ds);
}

/** a / b when b divides a exactly (decidably), else undefined. */
export function divExact(a: Dim, b: Dim): Dim | undefined {
  if (isConcrete(a) && isConcrete(b)) return b !== 0 && a % b === 0 ? a / b : undefined;
  const q = floorDiv(a, b);
  if (isUnknown(q)) return undefined;
  return dimEq(mul(q, b), a) ? q : undefined;
}

/** Python's a % n for an axis index. */
export function axisMod(d: number, n: number): number {
  return ((d % n) + n) % n;
}
