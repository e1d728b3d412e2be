// The contract of one layer rule: constructor signature, validation, params, forward shape and cost.
import type { Signature } from "../signature";
import type { ArgValue, Args, CostOrUnknown, Output, Problem, Unknown } from "../types";

/** How the module was called: forward(*inputs, **kwargs). */
export interface LayerCall {
  readonly inputs: readonly ArgValue[];
  readonly kwargs: Args;
}

export interface LayerResult {
  /** The forward's output; Unknown/undefined parts when not computable. Ignored when an error problem is present. */
  readonly output: Output;
  readonly cost: CostOrUnknown;
  /** Errors PyTorch would raise in forward (channel mismatch, ...) and warnings. */
  readonly problems: readonly Problem[];
}

export interface ParamCount {
  /** sum(p.numel() for p in module.parameters()) */
  readonly total: number | Unknown;
  /** The named parameter tensors and their sizes: [["weight", 1500], ["bias", 20]]. */
  readonly parts: readonly (readonly [string, number])[];
}

export interface LayerRule {
  /** PyTorch class name: "Conv2d". */
  readonly type: string;
  /** The constructor signature exactly as PyTorch 1.13+ declares it. */
  readonly signature: Signature;
  /** Errors PyTorch's __init__ raises (groups not dividing, embed_dim % num_heads, ...). */
  validate?(args: Args): Problem[];
  params(args: Args): ParamCount;
  forward(args: Args, call: LayerCall): LayerResult;
  /** Human lines with the formulas and this layer's numbers (for hover). */
  explain?(args: Args, call: LayerCall, result: LayerResult): string[];
}
