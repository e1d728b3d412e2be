// The table of functional and tensor-method op rules, and lookup by namespace and name (or alias).
import { ACTIVATION_OPS } from "./activation";
import { ARITH_OPS } from "./arith";
import { CONV_OPS } from "./conv";
import { COPY_OPS } from "./copy";
import { EXTRA_OPS } from "./extraOps";
import { FFT_OPS } from "./fft";
import { GATHER_OPS } from "./gather";
import { GETITEM } from "./indexing";
import { INTERP_OPS } from "./interp";
import { JOIN_OPS } from "./join";
import { LINALG_OPS } from "./linalg";
import { LAYER_FORM_OPS } from "./layerForms";
import { LOSS_OPS } from "./loss";
import { MATMUL_OPS } from "./matmul";
import { MHA_FORM_OPS } from "./mhaForm";
import { NORM_OPS } from "./norm";
import { PACKING_OPS } from "./packing";
import { POINTWISE_OPS } from "./pointwise";
import { POOL_OPS } from "./pool";
import { REDUCE_OPS } from "./reduce";
import { RNN_UTIL_OPS } from "./rnnUtils";
import type { OpNamespace, OpRule } from "./rule";
import { SAMPLING_OPS } from "./sampling";
import { SHAPE_OPS } from "./shape";
import { SORTING_OPS } from "./sorting";

export type { OpNamespace, OpResult, OpRule } from "./rule";
export { isSliceArg, sliceArg, sliceLength, type SliceArg } from "./indexing";
export { broadcastShapes, expandShape } from "./broadcast";
export { inferSize } from "./shape";
export { convOutputSize, convTransposeOutputSize, poolOutputSize } from "./spatial";
export { matmulShape } from "./matmul";
export { UPSAMPLE_COST, scaledSize } from "./interp";

export const OP_RULES: readonly OpRule[] = [
  ...CONV_OPS,
  ...POOL_OPS,
  ...ACTIVATION_OPS,
  ...NORM_OPS,
  ...INTERP_OPS,
  ...SAMPLING_OPS,
  ...FFT_OPS,
  ...EXTRA_OPS,
  ...LINALG_OPS,
  ...RNN_UTIL_OPS,
  ...PACKING_OPS,
  ...SHAPE_OPS,
  ...COPY_OPS,
  ...JOIN_OPS,
  ...REDUCE_OPS,
  ...SORTING_OPS,
  ...ARITH_OPS,
  ...POINTWISE_OPS,
  ...MATMUL_OPS,
  ...GATHER_OPS,
  ...LOSS_OPS,
  ...LAYER_FORM_OPS,
  ...MHA_FORM_OPS,
  GETITEM,
];

let table: Map<string, OpRule> | undefined;

function buildTable(): Map<string, OpRule> {
  const t = new Map<string, OpRule>();
  for (const rule of OP_RULES) {
    for (const ns of rule.namespaces) {
      for (const name of [rule.name, ...(rule.aliases ?? [])]) {
        const key = `${ns}:${name}`;
        if (!t.has(key)) t.set(key, rule);
      }
    }
  }
  return t;
}

/** The rule for `F.name` ("F"), `torch.name` ("torch") or `tensor.name(...)` ("method"). */
export function findOp(namespace: OpNamespace, name: string): OpRule | undefined {
  table ??= buildTable();
  return table.get(`${namespace}:${name}`);
}

/** Every name reachable in a namespace (canonical names and aliases), sorted. */
export function opNames(namespace: OpNamespace): string[] {
  table ??= buildTable();
  const prefix = `${namespace}:`;
  return [...table.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
}
