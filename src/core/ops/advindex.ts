// Advanced indexing `x[t]` with index tensors, int lists and bool masks: PyTorch's shape rules and IndexErrors.
import { isSym, type Dim, type SymDim } from "../dim";
import { isTensor, isUnknown, unknown, type ArgValue, type Unknown } from "../types";
import { broadcastAll } from "./broadcast";
import { failure, fmtList, isBad, type Failure } from "./common";

/**
 * An advanced index: a long tensor or a list of ints (`values` when known), a bool tensor or list
 * of bools over `shape.length` dims with `count` True values, or a Python bool (`x[True]`): a new
 * dim of size 1 indexed by a mask of `count` (1 or 0) True values.
 */
export type AdvItem =
  | { readonly kind: "index"; readonly shape: readonly Dim[]; readonly values?: readonly number[] }
  | { readonly kind: "mask"; readonly shape: readonly Dim[]; readonly count: Dim }
  | { readonly kind: "bool"; readonly count: Dim };

/** An advanced index placed at `pos`, a dim of the tensor left after the basic indices (ints, slices, None). */
export type AdvAt = AdvItem & { readonly pos: number };

/** A 0-dim long tensor indexes like an int of unknown value. */
export interface SelectItem {
  readonly kind: "int";
  readonly value: number | SymDim | null;
}

const maskCount = (what: string): Unknown => unknown(`the number of True values in ${what}`);

/** A Python list (nested lists allowed) used as an index: ints make an index tensor, bools a mask. */
function listIndex(v: readonly ArgValue[]): AdvItem | Unknown {
  const shape: number[] = [];
  const leaves: ArgValue[] = [];
  const walk = (x: ArgValue, depth: number): boolean => {
    if (!Array.isArray(x)) {
      if (depth !== shape.length) return false;
      leaves.push(x);
      return true;
    }
    const xs = x as readonly ArgValue[];
    if (depth === shape.length) shape.push(xs.length);
    else if (depth > shape.length || shape[depth] !== xs.length) return false;
    // an inner empty list fixes the depth: nothing may be deeper
    return xs.every((y) => walk(y, depth + 1)) && (xs.length > 0 || depth + 1 === shape.length);
  };
  if (!walk(v, 0)) return unknown("an index list that is not rectangular");
  if (leaves.length > 0 && leaves.every((l) => typeof l === "boolean")) {
    return { kind: "mask", shape, count: leaves.filter((l) => l === true).length };
  }
  if (!leaves.every((l) => typeof l === "number" || typeof l === "boolean" || isSym(l))) {
    return unknown("an index list of values other than ints and bools");
  }
  if (leaves.some((l) => typeof l === "number" && !Number.isInteger(l))) return unknown("an index list of floats");
  const known = leaves.every((l) => typeof l !== "object");
  return known ? { kind: "index", shape, values: leaves.map((l) => Number(l)) } : { kind: "index", shape };
}

/** An advanced index, a 0-dim long tensor (a select), or undefined when `v` is a basic index. */
export function classifyAdvanced(v: ArgValue): AdvItem | SelectItem | Unknown | Failure | undefined {
  if (typeof v === "boolean") return { kind: "bool", count: v ? 1 : 0 };
  if (Array.isArray(v)) return listIndex(v as readonly ArgValue[]);
  if (!isTensor(v)) return undefined;
  if (isUnknown(v.shape)) return unknown("an index tensor of unknown rank");
  if (v.dtype === "float") return failure("tensors used as indices must be long, byte or bool tensors");
  if (v.dtype === "bool") {
    if (v.shape.length === 0) return { kind: "bool", count: maskCount("a 0-dim bool index") };
    return { kind: "mask", shape: v.shape, count: maskCount("a bool mask") };
  }
  return v.shape.length === 0 ? { kind: "int", value: null } : { kind: "index", shape: v.shape };
}

/** How many dims of x an advanced index consumes. */
export function advConsumes(it: AdvItem): number {
  return it.kind === "mask" ? it.shape.length : it.kind === "index" ? 1 : 0;
}

/**
 * The result of indexing the tensor `mid` (the basic indices applied, each advanced index's dims
 * kept) with the advanced indices: a mask over k dims becomes k index tensors of its True count;
 * the index tensors broadcast together; their result shape replaces the indexed dims in place when
 * those are adjacent, else it goes first.
 */
export function applyAdvanced(mid: readonly Dim[], advs: readonly AdvAt[]): Dim[] | Unknown | Failure {
  for (const a of advs) {
    if (a.kind !== "mask") continue;
    for (let k = 0; k < a.shape.length; k++) {
      const m = a.shape[k];
      const t = mid[a.pos + k];
      if (typeof m === "number" && typeof t === "number" && m !== t) {
        return failure(
          `The shape of the mask ${fmtList(a.shape)} at index ${k} does not match the shape of the indexed tensor ${fmtList(mid)} at index ${a.pos + k}`,
        );
      }
    }
  }
  // the index tensors, masks expanded to one per dim they cover
  const tensors: { readonly pos: number; readonly shape: readonly Dim[]; readonly values?: readonly number[] }[] = [];
  for (const a of advs) {
    if (a.kind === "index") tensors.push(a);
    else if (a.kind === "bool") tensors.push({ pos: a.pos, shape: [a.count] });
    else for (let k = 0; k < a.shape.length; k++) tensors.push({ pos: a.pos + k, shape: [a.count] });
  }
  const shapes = tensors.map((t) => t.shape);
  const b = broadcastAll(shapes);
  if (isBad(b)) {
    return failure(`shape mismatch: indexing tensors could not be broadcast together with shapes ${shapes.map(fmtList).join(", ")}`);
  }
  for (let i = 0; i < tensors.length; i++) {
    const { pos, values } = tensors[i];
    const size = mid[pos];
    if (!values || typeof size !== "number") continue;
    const bad = values.find((v) => v >= size || v < -size);
    if (bad !== undefined) return failure(`index ${bad} is out of bounds for dimension ${i} with size ${size}`);
  }
  const at = tensors.map((t) => t.pos);
  const first = Math.min(...at);
  const last = Math.max(...at);
  if (last - first + 1 === at.length) return [...mid.slice(0, first), ...b, ...mid.slice(last + 1)];
  const taken = new Set(at);
  return [...b, ...mid.filter((_, i) => !taken.has(i))];
}
