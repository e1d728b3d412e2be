// torch.nn.utils.rnn.pad_sequence: a list of (L_i, *) tensors padded to (max L, B, *) or (B, max L, *); no FLOPs rule in spec v1.
import { type Dim } from "../dim";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type Output } from "../types";
import { failure, pyTypeName, tensorOf, unknownTensor, type Failure } from "./common";
import { defineOp } from "./define";
import type { OpRule } from "./rule";

function padSequence(a: Args): Output | Failure {
  const v = a.sequences;
  if (isUnknown(v)) return unknownTensor(v.reason);
  if (isTensor(v)) return unknownTensor("pad_sequence over the rows of a tensor");
  if (!Array.isArray(v)) return failure(`pad_sequence(): argument 'sequences' must be tuple of Tensors, not ${pyTypeName(v)}`, "bad-argument");
  const list = v as readonly ArgValue[];
  if (list.length === 0) return failure("received an empty list of sequences");
  let maxLen: number | undefined = 0;
  let trailing: readonly Dim[] | undefined;
  for (const t of list) {
    if (isUnknown(t)) return unknownTensor(t.reason);
    if (!isTensor(t)) return failure(`pad_sequence(): argument 'sequences' must be tuple of Tensors, but found element of type ${pyTypeName(t)}`, "bad-argument");
    if (isUnknown(t.shape)) return unknownTensor(t.shape.reason, t.dtype);
    if (t.shape.length === 0) return failure("Dimension specified as 0 but tensor has no dimensions");
    const [len, ...rest] = t.shape;
    maxLen = typeof len === "number" && maxLen !== undefined ? Math.max(maxLen, len) : undefined;
    if (!trailing) trailing = rest;
    else if (rest.length !== trailing.length) return failure("pad_sequence: all sequences must have the same number of dimensions");
    else {
      const k = rest.findIndex((d, i) => typeof d === "number" && typeof trailing![i] === "number" && d !== trailing![i]);
      if (k >= 0) return failure(`The size of tensor a (${String(trailing[k])}) must match the size of tensor b (${String(rest[k])}) at non-singleton dimension ${k + 1}`);
    }
  }
  const L: Dim = maxLen ?? unknown("the longest of symbolic sequence lengths");
  const B = list.length;
  const dtype = (list[0] as { dtype: "float" | "long" | "bool" }).dtype;
  return tensorOf(a.batch_first === true ? [B, L, ...trailing!] : [L, B, ...trailing!], dtype);
}

/** Reached as torch.nn.utils.rnn.pad_sequence (see torch.ts), recorded as PyTorch names it. */
export const RNN_UTIL_OPS: readonly OpRule[] = [
  defineOp({ name: "pad_sequence", namespaces: ["torch"], signature: sig("sequences", ["batch_first", false], ["padding_value", 0.0]), cost: "none", output: padSequence }),
];
