// Memory layout of views: the strides a transpose/permute leaves, and PyTorch's check that view() can keep them (computeStride).
import { isUnknown, type TensorMeta } from "../types";

/** Row-major strides of a shape. */
function contiguousStrides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = acc;
    acc *= Math.max(shape[i], 1);
  }
  return out;
}

function numericShape(t: TensorMeta): readonly number[] | undefined {
  const s = t.shape;
  if (isUnknown(s) || !s.every((d): d is number => typeof d === "number")) return undefined;
  return s;
}

/**
 * The tensor's strides where its sizes are all known: the recorded ones after a transposing view,
 * row-major otherwise (every other op is taken to give a contiguous tensor).
 */
export function stridesOf(t: TensorMeta): number[] | undefined {
  const shape = numericShape(t);
  if (!shape) return undefined;
  return t.strides && t.strides.length === shape.length ? [...t.strides] : contiguousStrides(shape);
}

/** PyTorch's is_contiguous: row-major strides, ignoring dims of size 1. */
function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  const want = contiguousStrides(shape);
  return shape.every((d, i) => d === 1 || strides[i] === want[i]) || shape.some((d) => d === 0);
}

/** `out` with these strides recorded, when they are known and not plain row-major. */
export function withStrides(out: TensorMeta, strides: readonly number[] | undefined): TensorMeta {
  const shape = numericShape(out);
  const { strides: _old, ...plain } = out;
  void _old;
  if (!shape || !strides || strides.length !== shape.length || isContiguous(shape, strides)) return plain;
  return { ...plain, strides };
}

/** A view's input strides permuted: output dim i is input dim perm[i]. */
export function permutedStrides(x: TensorMeta, perm: readonly number[]): number[] | undefined {
  const s = stridesOf(x);
  return s && perm.length === s.length ? perm.map((p) => s[p]) : undefined;
}

/**
 * ATen's computeStride: the strides of `x` viewed as `newShape`, or null when no strides can
 * describe it (a dim of the view spans two non-adjacent chunks of memory); undefined when unknown.
 */
export function viewStrides(x: TensorMeta, newShape: readonly unknown[]): number[] | null | undefined {
  const oldShape = numericShape(x);
  const oldStride = stridesOf(x);
  if (!oldShape || !oldStride || !newShape.every((d): d is number => typeof d === "number")) return undefined;
  if (oldShape.length === 0 || oldShape.some((d) => d === 0)) return undefined;
  const newStride = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStride[oldStride.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStride[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStride[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStride[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStride : null;
}

export const VIEW_STRIDE_ERROR =
  "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.";
