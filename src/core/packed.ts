// PackedSequence as the rules see it: the 4-tuple (data, batch_sizes, sorted_indices, unsorted_indices), marked as packed.
import type { ArgValue, Output } from "./types";

const PACKED = Symbol("packedSequence");

/** PyTorch's field names of torch.nn.utils.rnn.PackedSequence (a namedtuple). */
export const PACKED_FIELDS: readonly string[] = ["data", "batch_sizes", "sorted_indices", "unsorted_indices"];

/** Marks a 4-item array as a PackedSequence (non-enumerable: equality ignores it). */
export function asPacked<T extends readonly (ArgValue | Output)[]>(items: T): T {
  Object.defineProperty(items, PACKED, { value: true, enumerable: false });
  return items;
}

/** Whether an argument or output is a PackedSequence. */
export function isPacked(v: unknown): boolean {
  return Array.isArray(v) && (v as { [PACKED]?: boolean })[PACKED] === true;
}

/** Whether a named tuple's fields are PackedSequence's. */
export function hasPackedFields(fields: readonly string[] | undefined): boolean {
  return fields !== undefined && fields.length === PACKED_FIELDS.length && fields.every((f, i) => f === PACKED_FIELDS[i]);
}
