// Output size of one spatial dim for conv, transposed conv and pooling (spec §1), symbolic dims allowed.
import { add, floorDiv, format, mul, sub, type Dim } from "../dim";
import { isUnknown, unknown } from "../types";

/** ConvNd: `floor((i + 2p - d(k-1) - 1) / s) + 1`. */
export function convOutputSize(i: Dim, k: Dim, s: Dim, p: Dim, d: Dim): Dim {
  const span = add(mul(d, sub(k, 1)), 1);
  return add(floorDiv(sub(add(i, mul(2, p)), span), s), 1);
}

/** ConvTransposeNd: `(i - 1)s - 2p + d(k-1) + op + 1`. */
export function convTransposeOutputSize(i: Dim, k: Dim, s: Dim, p: Dim, d: Dim, op: Dim): Dim {
  return add(add(sub(mul(sub(i, 1), s), mul(2, p)), mul(d, sub(k, 1))), add(op, 1));
}

/**
 * MaxPool/AvgPool: as conv; with ceil_mode round up, then drop the last window when it would
 * start inside the right padding (`(o - 1)s >= i + p`). Unknown when that depends on the symbols.
 */
export function poolOutputSize(i: Dim, k: Dim, s: Dim, p: Dim, d: Dim, ceilMode: boolean): Dim {
  const span = add(mul(d, sub(k, 1)), 1);
  const num = add(sub(add(i, mul(2, p)), span), ceilMode ? sub(s, 1) : 0);
  const o = add(floorDiv(num, s), 1);
  if (!ceilMode || isUnknown(o)) return o;
  const slack = sub(mul(sub(o, 1), s), add(i, p));
  if (typeof slack === "number") return slack >= 0 ? sub(o, 1) : o;
  return unknown(`with ceil_mode the output size depends on ${format(i)}`);
}
