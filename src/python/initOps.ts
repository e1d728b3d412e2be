// The parameter initialisers PyTorch 1.13 runs building a layer: inside a traced forward they are ops without a FLOPs rule.
import { unknown, type Args } from "../core/types";
import type { Interp } from "./interp";

/**
 * The names the layer's reset_parameters records (nn.init functions that dispatch torch functions
 * themselves, or the Tensor methods the others call): kaiming_uniform_ for weights of convolutions
 * and Linear, uniform_ for their bias, RNN weights, Bilinear and xavier_uniform_, normal_ for
 * embeddings and xavier_normal_, constant_ for attention in-projection biases. Norms and PReLU only
 * fill (no cost), activations have no parameters.
 */
export function layerInitOps(type: string, args: Args): string[] {
  const bias = args.bias !== false;
  if (/^(Conv|ConvTranspose)[123]d$|^Linear$|^NonDynamicallyQuantizableLinear$/.test(type)) return bias ? ["kaiming_uniform_", "uniform_"] : ["kaiming_uniform_"];
  if (type === "Bilinear" || /^(RNN|LSTM|GRU)(Cell)?$/.test(type)) return ["uniform_"];
  if (/^Embedding(Bag)?$/.test(type)) return ["normal_"];
  if (type === "MultiheadAttention") {
    // xavier_uniform_ of the in-projection, out_proj's own Linear init, constant_ on the biases
    const ops = ["uniform_", "kaiming_uniform_"];
    if (bias) ops.push("constant_");
    if (args.add_bias_kv === true) ops.push("normal_");
    return ops;
  }
  return [];
}

/** A layer built while a forward is traced: its initialisers count as unknown ops of the running module. */
export function recordInitOps(ip: Interp, type: string, args: Args): void {
  const top = ip.trace?.stack[ip.trace.stack.length - 1];
  if (!top) return;
  for (const name of layerInitOps(type, args)) top.ops.push({ name, cost: unknown(`${name} initialises a layer built inside forward (no FLOPs rule)`) });
}
