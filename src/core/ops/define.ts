// Building op rules from a shape function and a cost spec, and the cost arithmetic they share.
import { format, isSym, product, type Dim } from "../dim";
import type { Signature } from "../signature";
import { isUnknown, unknown, ZERO_COST, type ArgValue, type Args, type CostOrUnknown, type Output, type Unknown } from "../types";
import { firstTensor, isFailure, type Failure } from "./common";
import type { OpNamespace, OpResult, OpRule } from "./rule";

/**
 * How an op's cost is found (spec §3 and the oracle's op_cost):
 * "zero" (views, copies, dropout), `{ perElement: k }` (k FLOPs per element of the first
 * output), "none" (no rule in spec v1: Unknown), or a function of the args and the output.
 */
export type CostSpec = "zero" | { readonly perElement: number } | "none" | ((args: Args, out: Output) => CostOrUnknown);

export interface OpDef {
  readonly name: string;
  readonly namespaces: readonly OpNamespace[];
  readonly aliases?: readonly string[];
  readonly signature: Signature;
  /** The name PyTorch records for the call when it differs (F.logsigmoid runs as log_sigmoid). */
  readonly costName?: string;
  readonly cost: CostSpec;
  /** The output, Unknown when it cannot be known, or the Failure PyTorch would raise. */
  output(args: Args): Output | ArgValue | Failure;
}

export function noRule(name: string): CostOrUnknown {
  return unknown(`no FLOPs rule for ${name} in spec v1`);
}

export function defineOp(def: OpDef): OpRule {
  const costName = def.costName ?? def.name;
  return {
    name: def.name,
    namespaces: def.namespaces,
    aliases: def.aliases,
    ...(def.costName ? { tracedName: def.costName } : {}),
    signature: def.signature,
    apply(args: Args): OpResult {
      const out = def.output(args);
      if (isFailure(out)) {
        const reason = out.problem.message;
        return { output: unknown(reason), cost: unknown(reason), problems: [out.problem] };
      }
      return { output: out, cost: costOf(def.cost, costName, args, out as Output), problems: [] };
    },
  };
}

function costOf(spec: CostSpec, name: string, args: Args, out: Output): CostOrUnknown {
  if (spec === "zero") return ZERO_COST;
  if (spec === "none") return noRule(name);
  if (typeof spec === "function") return spec(args, out);
  const t = firstTensor(out);
  if (!t) return isUnknown(out) ? unknown(`FLOPs unknown: ${out.reason}`) : ZERO_COST;
  return perElement(t.shape, spec.perElement);
}

/** Number of elements of a shape (Unknown when the rank is). */
export function numel(shape: readonly Dim[] | Unknown): Dim {
  return isUnknown(shape) ? shape : product(shape);
}

/** `k` FLOPs per element of a tensor of this shape (no MACs). */
export function perElement(shape: readonly Dim[] | Unknown, k: number): CostOrUnknown {
  return fromDims([numel(shape)], ([n]) => [0, k * n]);
}

/**
 * Costs computed from dims that must all be concrete: Unknown (with the reason) when one is
 * unknown or symbolic, or when a figure exceeds 2^53.
 */
export function fromDims(dims: readonly Dim[], f: (n: number[]) => readonly [number, number]): CostOrUnknown {
  const nums: number[] = [];
  for (const d of dims) {
    if (isUnknown(d)) return unknown(`FLOPs unknown: ${d.reason}`);
    if (isSym(d)) return unknown(`FLOPs depend on the symbolic size ${format(d)}`);
    nums.push(d);
  }
  const [macs, flops] = f(nums);
  if (!Number.isSafeInteger(macs) || !Number.isSafeInteger(flops)) return unknown("FLOPs exceed 2^53");
  // `(2K - 1)` adds per output goes negative for an empty reduction (K = 0): unknown, not a wrong count
  if (macs < 0 || flops < 0) return unknown("a size of zero makes the FLOP formula negative");
  return { macs, flops };
}
