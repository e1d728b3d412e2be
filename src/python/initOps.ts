// The parameter initialisers PyTorch 1.13 runs building a layer: inside a traced forward they are ops without a FLOPs rule.
import { unknown, type Args } from "../core/types";
import type { Interp } from "./interp";
import { NONE, numberOf, unknownValue, type Value } from "./values";

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

/**
 * The ops PyTorch 1.13's TorchFunctionMode sees when forward calls `nn.init.<name>` (the functions that
 * dispatch themselves, or the Tensor methods the others call); fill_ / zero_ / indexing cost nothing.
 */
const INIT_FN_OPS: Readonly<Record<string, readonly string[]>> = {
  uniform_: ["uniform_"],
  normal_: ["normal_"],
  trunc_normal_: ["uniform_", "erfinv_", "clamp_"],
  constant_: ["constant_"],
  eye_: ["eye"],
  xavier_uniform_: ["uniform_"],
  xavier_normal_: ["normal_"],
  kaiming_uniform_: ["kaiming_uniform_"],
  kaiming_normal_: ["normal_"],
  orthogonal_: ["new", "normal_", "linalg_qr", "diag", "sign"],
  sparse_: ["normal_", "randperm"],
};

/** calculate_gain(nonlinearity, param=None) as torch.nn.init computes it (unknown names give null). */
function gain(nonlinearity: Value | undefined, param: Value | undefined): Value {
  const name = nonlinearity?.k === "str" ? nonlinearity.v : null;
  if (name === null) return unknownValue("an init gain");
  if (/^(linear|conv[123]d|conv_transpose[123]d|sigmoid)$/.test(name)) return { k: "float", v: 1 };
  if (name === "tanh") return { k: "float", v: 5 / 3 };
  if (name === "relu") return { k: "float", v: Math.sqrt(2) };
  if (name === "selu") return { k: "float", v: 3 / 4 };
  if (name === "leaky_relu") {
    const slope = param && param.k !== "none" ? numberOf(param) : 0.01;
    return typeof slope === "number" ? { k: "float", v: Math.sqrt(2 / (1 + slope * slope)) } : unknownValue("an init gain");
  }
  return unknownValue(`the gain of ${name}`);
}

/** `nn.init.<name>`: initialising a tensor returns it; inside a traced forward its ops have no FLOPs rule. */
export function initFunction(ip: Interp, name: string): Value {
  if (name === "calculate_gain") return { k: "builtin", name: "nn.init.calculate_gain", call: (a, kw) => gain(a[0] ?? kw.find(([k]) => k === "nonlinearity")?.[1], a[1] ?? kw.find(([k]) => k === "param")?.[1]) };
  return {
    k: "builtin",
    name: `nn.init.${name}`,
    call: (a, kw) => {
      const t = a[0] ?? kw.find(([k]) => k === "tensor")?.[1] ?? NONE;
      const top = ip.trace?.stack[ip.trace.stack.length - 1];
      if (top && t.k === "tensor") for (const op of INIT_FN_OPS[name] ?? []) top.ops.push({ name: op, cost: unknown(`nn.init.${name} inside forward (no FLOPs rule for ${op})`) });
      return t;
    },
  };
}
