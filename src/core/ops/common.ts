// Shared helpers for op rules: failures as values, argument readers, dim wrapping and shape formatting.
import { format, isSym, type Dim, type SymDim } from "../dim";
import {
  error,
  isTensor,
  isUnknown,
  seqKindOf,
  unknown,
  type ArgValue,
  type DType,
  type Output,
  type Problem,
  type ProblemCode,
  type TensorMeta,
  type Unknown,
} from "../types";

export type Shape = readonly Dim[];

/** A problem PyTorch would raise, returned as a value (never thrown). */
export interface Failure {
  readonly kind: "failure";
  readonly problem: Problem;
}

export function failure(message: string, code: ProblemCode = "shape-mismatch"): Failure {
  return { kind: "failure", problem: error(code, message) };
}

export function isFailure(v: unknown): v is Failure {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "failure";
}

/** Unknown or Failure: the value cannot be used and should be passed on. */
export function isBad(v: unknown): v is Unknown | Failure {
  return isUnknown(v) || isFailure(v);
}

export function tensorOf(shape: Shape | Unknown, dtype: DType = "float"): TensorMeta {
  return { kind: "tensor", shape, dtype };
}

export function unknownTensor(reason: string, dtype: DType = "float"): TensorMeta {
  return tensorOf(unknown(reason), dtype);
}

/** The first tensor of an output (itself, or the first of a tuple). */
export function firstTensor(out: Output | ArgValue): TensorMeta | undefined {
  if (isTensor(out)) return out;
  if (Array.isArray(out)) {
    for (const o of out as readonly unknown[]) {
      const t = firstTensor(o as Output);
      if (t) return t;
    }
  }
  return undefined;
}

/** Python's type name of a value, for TypeError-style messages. */
export function pyTypeName(v: ArgValue): string {
  if (v === null) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "tuple";
  const k = (v as { kind: string }).kind;
  if (k === "sym") return "int";
  if (k === "tensor") return "Tensor";
  if (k === "opaque") return (v as { typeName: string }).typeName;
  return k;
}

/** The tensor bound to `param`, or Unknown, or a Failure when something else was passed. */
export function tensorArg(args: Readonly<Record<string, ArgValue>>, param: string, fn: string): TensorMeta | Unknown | Failure {
  const v = args[param];
  if (isTensor(v)) return v;
  if (isUnknown(v)) return v;
  return failure(`${fn}(): argument '${param}' must be Tensor, not ${pyTypeName(v)}`, "bad-argument");
}

/** The tensor's shape, or Unknown when its rank is not known. */
export function shapeOf(t: TensorMeta | Unknown): Shape | Unknown {
  return isUnknown(t) ? t : t.shape;
}

/** A tensor argument's shape in one step (Unknown/Failure passed on). */
export function tensorShape(
  args: Readonly<Record<string, ArgValue>>,
  param: string,
  fn: string,
): { readonly t: TensorMeta; readonly shape: Shape } | Unknown | Failure {
  const t = tensorArg(args, param, fn);
  if (isBad(t)) return t;
  if (isUnknown(t.shape)) return t.shape;
  return { t, shape: t.shape };
}

/** An int argument: a number, a symbolic int, Unknown, or a Failure for anything else. */
export function intArg(v: ArgValue, what: string): number | SymDim | Unknown | Failure {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return failure(`${what} must be an int, not float`, "bad-argument");
    return Number.isSafeInteger(v) ? v : unknown(`${what} exceeds 2^53`);
  }
  if (typeof v === "boolean") return v ? 1 : 0;
  if (isSym(v) || isUnknown(v)) return v;
  return failure(`${what} must be an int, not ${pyTypeName(v)}`, "bad-argument");
}

/** An int argument that must be concrete (a dim index, a count): symbolic values become Unknown. */
export function concreteInt(v: ArgValue, what: string): number | Unknown | Failure {
  const i = intArg(v, what);
  if (isSym(i)) return unknown(`${what} is the symbolic value ${format(i)}`);
  return i;
}

/** A list of ints (a tuple, list or torch.Size): each entry a number, SymDim or Unknown. */
export function intList(v: ArgValue, what: string): Dim[] | Unknown | Failure {
  if (isUnknown(v)) return v;
  if (!Array.isArray(v)) {
    const one = intArg(v, what);
    return isFailure(one) ? one : [one];
  }
  const out: Dim[] = [];
  for (const x of v as readonly ArgValue[]) {
    const i = intArg(x, what);
    if (isFailure(i)) return i;
    out.push(i);
  }
  return out;
}

/** Varargs sizes: `x.view(2, -1)` and `x.view((2, -1))` both give [2, -1]. */
export function sizesFromVarargs(v: ArgValue, what: string): Dim[] | Unknown | Failure {
  if (Array.isArray(v) && v.length === 1 && (Array.isArray(v[0]) || isUnknown(v[0]))) return intList(v[0], what);
  return intList(v, what);
}

/**
 * An int-or-tuple parameter expanded to `nd` entries (kernel_size=3 -> [3, 3]). A 1-tuple is
 * repeated too; other lengths give `lengthError`.
 */
export function expandParam(v: ArgValue, nd: number, what: string, lengthError: (given: Dim[]) => string): Dim[] | Unknown | Failure {
  const list = intList(v, what);
  if (isBad(list)) return list;
  if (!Array.isArray(v)) return Array.from({ length: nd }, () => list[0]);
  if (list.length === 1) return Array.from({ length: nd }, () => list[0]);
  if (list.length !== nd) return failure(lengthError(list), "bad-argument");
  return list;
}

/** PyTorch's maybe_wrap_dim: negative dims count from the end; a 0-d tensor wraps like rank 1. */
export function wrapDim(dim: number, rank: number, scalarWraps = true): number | Failure {
  const r = rank === 0 && scalarWraps ? 1 : rank;
  if (dim < -r || dim >= r) {
    return failure(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + r : dim;
}

/** A dim argument read and wrapped in one step. */
export function dimArg(v: ArgValue, rank: number, what = "dim"): number | Unknown | Failure {
  const d = concreteInt(v, what);
  if (isBad(d)) return d;
  return wrapDim(d, rank);
}

/** `[1, 400]`: PyTorch's printing of a size list. */
export function fmtList(ds: readonly Dim[]): string {
  return `[${ds.map(format).join(", ")}]`;
}

/** `64x1x1`: the pooling error's printing of sizes. */
export function fmtX(ds: readonly Dim[], sep = "x"): string {
  return ds.map(format).join(sep);
}

/** Python's repr of a tuple of ints: `(16,)`, `(2, 2, 2)`. */
export function fmtTuple(ds: readonly Dim[]): string {
  return ds.length === 1 ? `(${format(ds[0])},)` : `(${ds.map(format).join(", ")})`;
}

/** A size argument as Python prints it: a list `[a, b]`, a torch.Size `torch.Size([a, b])`, else a tuple `(a, b)`. */
export function fmtSeq(ds: readonly Dim[], given: ArgValue): string {
  const kind = Array.isArray(given) ? seqKindOf(given as readonly ArgValue[]) : undefined;
  if (kind === "list") return fmtList(ds);
  if (kind === "size") return `torch.Size(${fmtList(ds)})`;
  return fmtTuple(ds);
}

/** Float when any tensor is float, else long when any is long, else bool. */
export function promote(...dtypes: DType[]): DType {
  if (dtypes.includes("float")) return "float";
  if (dtypes.includes("long")) return "long";
  return "bool";
}

/** A dtype named by an argument (`torch.float32` as a string or opaque object), if recognisable. */
export function dtypeFromArg(v: ArgValue): DType | undefined {
  let name: string | undefined;
  if (typeof v === "string") name = v;
  else if (typeof v === "object" && v !== null && !Array.isArray(v) && (v as { kind?: unknown }).kind === "opaque") {
    name = (v as { typeName: string }).typeName;
  }
  if (name === undefined) return undefined;
  const n = name.replace(/^(dtype:|torch\.)/, "");
  if (/^(float|double|half|bfloat16|float16|float32|float64|complex\d*|cfloat|cdouble)$/.test(n)) return "float";
  if (/^(long|int|int8|int16|int32|int64|uint8|short|char|byte)$/.test(n)) return "long";
  if (n === "bool") return "bool";
  return undefined;
}
