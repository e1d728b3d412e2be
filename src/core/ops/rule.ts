// The contract of one functional/tensor op rule (F.conv2d, torch.cat, x.view, +, ...).
import type { Signature } from "../signature";
import type { ArgValue, Args, CostOrUnknown, Output, Problem } from "../types";

export type OpNamespace = "F" | "torch" | "method";

export interface OpResult {
  /** A tensor, a tuple of tensors, or (for shape queries) a plain value. */
  readonly output: Output | ArgValue;
  readonly cost: CostOrUnknown;
  readonly problems: readonly Problem[];
}

export interface OpRule {
  /** Canonical name, as PyTorch's function is named: "conv2d", "max_pool2d", "cat", "view", "add". */
  readonly name: string;
  /** Where the op is reachable: F.name, torch.name, tensor.name(...). Aliases go in `aliases`. */
  readonly namespaces: readonly OpNamespace[];
  readonly aliases?: readonly string[];
  /** The name PyTorch's tracer records when it differs (F.logsigmoid runs as log_sigmoid): the RF rules key on it. */
  readonly tracedName?: string;
  /** Signature with PyTorch's parameter names; for methods, the tensor is bound to the first parameter. */
  readonly signature: Signature;
  apply(args: Args): OpResult;
}
