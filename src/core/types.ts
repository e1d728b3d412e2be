// The core's own small types: unknown values, tensors, argument values, problems and costs.
import type { Dim, SymDim } from "./dim";

/** A value that cannot be known statically, with the reason shown to the user. */
export interface Unknown {
  readonly kind: "unknown";
  readonly reason: string;
}

export function unknown(reason: string): Unknown {
  return { kind: "unknown", reason };
}

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "unknown";
}

export type DType = "float" | "long" | "bool";

/**
 * A tensor as the analysis sees it: shape (dims may be symbolic or unknown) and dtype.
 * `shape` is Unknown when even the rank is not known. `rf` is the receptive-field state
 * (see rf.ts); the layer and op rules never look at it.
 */
export interface TensorMeta {
  readonly kind: "tensor";
  readonly shape: readonly Dim[] | Unknown;
  readonly dtype: DType;
  readonly rf?: unknown;
  /** Strides of a non-contiguous view (after transpose/permute); absent: row-major. */
  readonly strides?: readonly number[];
  /** The exact integer content of a small 1-D constant tensor (`torch.tensor([10, 7, 4])`, sequence
   * lengths); set by the creators, kept by copies, dropped by every other op. */
  readonly values?: readonly number[];
  /** Bounds of an integer tensor's values (torch.randint draws, an arange), see valueRange.ts; dropped by ops that change values. */
  readonly range?: ValueRange;
}

/** Integer values in [lo, hi]: every one of them present (an arange), or drawn uniformly (`random`, torch.randint). */
export interface ValueRange {
  readonly lo: number;
  readonly hi: number;
  readonly random: boolean;
}

/** An opaque object passed as an argument (a module given as `activation=nn.GELU()`). */
export interface Opaque {
  readonly kind: "opaque";
  readonly typeName: string;
}

/** A Python slice `start:stop:step` used as an index (null for an omitted part). */
export interface SliceArg {
  readonly kind: "slice";
  readonly start: number | SymDim | Unknown | null;
  readonly stop: number | SymDim | Unknown | null;
  readonly step: number | SymDim | Unknown | null;
}

/** Argument values the layer and op rules receive (the evaluator converts Python values).
 * A symbolic int (from `x.size(2)` on a symbolic shape) is a SymDim. */
export type ArgValue =
  | number
  | SymDim
  | boolean
  | string
  | null
  | readonly ArgValue[]
  | Unknown
  | TensorMeta
  | Opaque
  | SliceArg;

export type Args = Readonly<Record<string, ArgValue>>;

/** Which Python sequence an array argument came from (its repr in PyTorch's messages differs). */
export type SeqKind = "list" | "tuple" | "size";
const SEQ_KIND = Symbol("seqKind");

/** Marks an array argument with its Python sequence kind (non-enumerable: equality ignores it). */
export function withSeqKind<T extends readonly ArgValue[]>(items: T, kind: SeqKind): T {
  Object.defineProperty(items, SEQ_KIND, { value: kind, enumerable: false });
  return items;
}

/** The Python sequence kind of an array argument, when the evaluator recorded it. */
export function seqKindOf(items: readonly ArgValue[]): SeqKind | undefined {
  return (items as { [SEQ_KIND]?: SeqKind })[SEQ_KIND];
}

export type Severity = "error" | "warning" | "info";

/** A problem in the user's model, as PyTorch would raise it (never an exception here). */
export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  readonly message: string;
  /** Where a single argument edit fixes it: the argument name and its new value. */
  readonly fix?: { readonly arg: string; readonly value: string };
}

export type ProblemCode =
  | "channel-mismatch"
  | "in-features-mismatch"
  | "size-too-small"
  | "groups-mismatch"
  | "shape-mismatch"
  | "unknown-layer"
  | "bad-argument"
  | "syntax-error"
  | "unknown-name"
  | "budget";

export function error(code: ProblemCode, message: string, fix?: Problem["fix"]): Problem {
  return fix ? { code, severity: "error", message, fix } : { code, severity: "error", message };
}

/** MACs and FLOPs of one call, or Unknown with the reason. */
export interface Cost {
  readonly macs: number;
  readonly flops: number;
}

export type CostOrUnknown = Cost | Unknown;

export const ZERO_COST: Cost = { macs: 0, flops: 0 };

/** The output of a layer or op: a tensor, a tuple of outputs, None, or something unknown. */
export type Output = TensorMeta | null | Unknown | readonly Output[];

export function isTensor(v: unknown): v is TensorMeta {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "tensor";
}
