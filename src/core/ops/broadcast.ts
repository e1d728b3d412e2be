// Numpy-style broadcasting and Tensor.expand, with PyTorch's error messages; symbolic dims allowed.
import { equal, format, type Dim } from "../dim";
import { isUnknown, unknown } from "../types";
import { failure, fmtList, type Failure, type Shape } from "./common";

/**
 * The broadcast of two sizes: equal sizes, or one of them 1. A concrete size other than 1 wins
 * over a symbolic or unknown one (any valid program has them equal, or the other 1).
 * undefined when two concrete sizes clash.
 */
function broadcastDim(x: Dim, y: Dim): Dim | undefined {
  if (equal(x, y) === true) return x;
  if (x === 1) return y;
  if (y === 1) return x;
  if (typeof x === "number" && typeof y === "number") return undefined;
  if (typeof x === "number") return x;
  if (typeof y === "number") return y;
  if (isUnknown(x)) return x;
  if (isUnknown(y)) return y;
  return unknown(`cannot tell whether ${format(x)} and ${format(y)} broadcast`);
}

/** Broadcast two shapes (numpy rules: align at the right, sizes equal or 1). */
export function broadcastShapes(a: Shape, b: Shape): Dim[] | Failure {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = new Array<Dim>(n);
  for (let i = n - 1; i >= 0; i--) {
    const off = n - 1 - i;
    const x = a.length - 1 - off >= 0 ? a[a.length - 1 - off] : 1;
    const y = b.length - 1 - off >= 0 ? b[b.length - 1 - off] : 1;
    const d = broadcastDim(x, y);
    if (d === undefined) {
      return failure(
        `The size of tensor a (${format(x)}) must match the size of tensor b (${format(y)}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = d;
  }
  return out;
}

/** Broadcast any number of shapes. */
export function broadcastAll(shapes: readonly Shape[]): Dim[] | Failure {
  let acc: Dim[] = [];
  for (const s of shapes) {
    const r = broadcastShapes(acc, s);
    if (!Array.isArray(r)) return r;
    acc = r;
  }
  return acc;
}

/**
 * Tensor.expand(*sizes): new leading dims are added; -1 keeps a size; a size can only grow from 1.
 * `what` names the tensor in the rank message (PyTorch prints `expand(torch.FloatTensor{[2, 3]}, size=[3])`).
 */
export function expandShape(shape: Shape, sizes: readonly Dim[], typeName = "torch.FloatTensor"): Dim[] | Failure {
  if (sizes.length < shape.length) {
    return failure(
      `expand(${typeName}{${fmtList(shape)}}, size=${fmtList(sizes)}): the number of sizes provided (${sizes.length}) ` +
        `must be greater or equal to the number of dimensions in the tensor (${shape.length})`,
    );
  }
  const lead = sizes.length - shape.length;
  const out: Dim[] = new Array<Dim>(sizes.length);
  // PyTorch checks from the last dim back: the innermost clash is the one reported
  for (let i = sizes.length - 1; i >= 0; i--) {
    const target = sizes[i];
    if (i < lead) {
      if (target === -1) {
        return failure(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      }
      out[i] = target;
      continue;
    }
    const existing = shape[i - lead];
    if (target === -1) {
      out[i] = existing;
      continue;
    }
    const same = equal(existing, target);
    if (same === true || existing === 1) {
      out[i] = target;
    } else if (typeof existing === "number" && typeof target === "number") {
      return failure(
        `The expanded size of the tensor (${target}) must match the existing size (${existing}) at non-singleton ` +
          `dimension ${i}.  Target sizes: ${fmtList(sizes)}.  Tensor sizes: ${fmtList(shape)}`,
      );
    } else {
      // symbolic: valid programs have them equal (or the existing size 1)
      out[i] = typeof existing === "number" ? existing : target;
    }
  }
  return out;
}
