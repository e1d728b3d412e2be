// Indexing `x[...]` as the op `getitem`: ints, slices, None, Ellipsis, and advanced indexing (advindex.ts).
import { add, ceilDiv, isSym, sub, type Dim, type SymDim } from "../dim";
import { sig } from "../signature";
import { isUnknown, unknown, type ArgValue, type Args, type Output, type SliceArg, type Unknown } from "../types";
import { advConsumes, applyAdvanced, classifyAdvanced, type AdvAt, type AdvItem } from "./advindex";
import { failure, isBad, pyTypeName, tensorOf, tensorShape, unknownTensor, type Failure } from "./common";
import { defineOp } from "./define";

export type { SliceArg };

type Bound = SliceArg["start"];

/** The index argument for `start:stop:step` (null for an omitted part). */
export function sliceArg(start: Bound = null, stop: Bound = null, step: Bound = null): SliceArg {
  return { kind: "slice", start, stop, step };
}

export function isSliceArg(v: unknown): v is SliceArg {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "slice";
}

/**
 * Length of `start:stop:step` over a dim of size n, as Python's slice.indices gives it. With symbolic
 * sizes or bounds the bounds are taken to be in range (no clamping).
 */
export function sliceLength(n: Dim, s: SliceArg): Dim | Failure {
  const step = s.step ?? 1;
  if (isUnknown(step)) return step;
  if (isSym(step)) return unknown("a slice with a symbolic step");
  if (step === 0) return failure("slice step cannot be zero", "bad-argument");
  if (step < 0) return failure("step must be greater than zero", "bad-argument");
  const resolve = (b: Bound, dflt: Dim): Dim => {
    if (b === null) return dflt;
    if (typeof b === "number" && b < 0) return add(n, b);
    return b;
  };
  const start = resolve(s.start, 0);
  const stop = resolve(s.stop, n);
  if (typeof n === "number" && typeof start === "number" && typeof stop === "number") {
    const clamp = (v: number) => Math.min(Math.max(v, 0), n);
    return Math.max(0, Math.ceil((clamp(stop) - clamp(start)) / step));
  }
  const len = ceilDiv(sub(stop, start), step);
  return typeof len === "number" && len < 0 ? 0 : len;
}

type Item =
  | { readonly kind: "int"; readonly value: number | SymDim | null }
  | { readonly kind: "slice"; readonly slice: SliceArg }
  | { readonly kind: "none" }
  | { readonly kind: "ellipsis" }
  | AdvItem;

function classify(v: ArgValue): Item | ReturnType<typeof unknown> | Failure {
  if (v === null) return { kind: "none" };
  if (v === "...") return { kind: "ellipsis" };
  if (typeof v === "number" || isSym(v)) return { kind: "int", value: v };
  if (isSliceArg(v)) return { kind: "slice", slice: v };
  if (isUnknown(v)) return v;
  const adv = classifyAdvanced(v);
  if (adv !== undefined) return adv;
  return failure(
    `only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${pyTypeName(v)})`,
    "bad-argument",
  );
}

const consumes = (i: Item): number => (i.kind === "int" || i.kind === "slice" ? 1 : i.kind === "none" || i.kind === "ellipsis" ? 0 : advConsumes(i));

/**
 * The shape of x[items], as PyTorch's applySlicing then index() give it: ints select, slices cut,
 * None and bools insert a dim, advanced indices keep their dims for applyAdvanced.
 */
export function indexShape(shape: readonly Dim[], items: readonly Item[]): Dim[] | Unknown | Failure {
  const rank = shape.length;
  // PyTorch accepts several ellipses (unlike numpy) with rules of its own: not modelled
  if (items.filter((i) => i.kind === "ellipsis").length > 1) return unknown("an index with more than one ellipsis");
  const consuming = items.reduce((n, i) => n + consumes(i), 0);
  if (consuming > rank) {
    if (rank === 0 && items.some((i) => i.kind === "int")) {
      return failure(
        "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number",
      );
    }
    return failure(`too many indices for tensor of dimension ${rank}`);
  }
  const mid: Dim[] = [];
  const advs: AdvAt[] = [];
  let d = 0;
  for (const it of items) {
    if (it.kind === "none") mid.push(1);
    else if (it.kind === "ellipsis") {
      const span = rank - consuming;
      mid.push(...shape.slice(d, d + span));
      d += span;
    } else if (it.kind === "int") {
      const size = shape[d];
      const i = it.value;
      if (typeof i === "number" && typeof size === "number" && (i >= size || i < -size)) {
        return failure(`index ${i} is out of bounds for dimension ${d} with size ${size}`);
      }
      d++;
    } else if (it.kind === "slice") {
      const len = sliceLength(shape[d], it.slice);
      if (isBad(len) && !isUnknown(len)) return len;
      mid.push(len as Dim);
      d++;
    } else if (it.kind === "bool") {
      advs.push({ ...it, pos: mid.length });
      mid.push(1);
    } else {
      const k = advConsumes(it);
      advs.push({ ...it, pos: mid.length });
      mid.push(...shape.slice(d, d + k));
      d += k;
    }
  }
  mid.push(...shape.slice(d));
  return advs.length === 0 ? mid : applyAdvanced(mid, advs);
}

function getitemShape(args: Args): Output | Failure {
  const x = tensorShape(args, "input", "__getitem__");
  if (isBad(x)) return isUnknown(x) ? unknownTensor(x.reason) : x;
  const raw = args.index;
  const list = Array.isArray(raw) ? (raw as readonly ArgValue[]) : [raw];
  const items: Item[] = [];
  for (const v of list) {
    const it = classify(v);
    if (isBad(it)) return isUnknown(it) ? unknownTensor(it.reason, x.t.dtype) : it;
    items.push(it);
  }
  const out = indexShape(x.shape, items);
  if (isBad(out)) return isUnknown(out) ? unknownTensor(out.reason, x.t.dtype) : out;
  return tensorOf(out, x.t.dtype);
}

/**
 * x[index]: `index` is an int, a SymDim, a bool, null (None), "..." (Ellipsis), a SliceArg, a tensor, or an
 * array of them (a tuple); inside that array, an array is a Python list used as an index tensor.
 */
export const GETITEM = defineOp({
  name: "getitem",
  namespaces: ["method"],
  aliases: ["__getitem__"],
  signature: sig("input", "index"),
  cost: "zero",
  output: getitemShape,
});
