// The shapes of a layer's parameter tensors (conv.weight, linear.bias, ...), for forwards that use them directly.
import type { Dim } from "../dim";
import type { ArgValue, Args } from "../types";

function int(v: ArgValue | undefined): number | undefined {
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

function ints(v: ArgValue | undefined, n: number): number[] | undefined {
  if (Array.isArray(v)) {
    const items = (v as readonly ArgValue[]).map(int);
    if (items.length === 1 && n > 1) return items[0] === undefined ? undefined : Array<number>(n).fill(items[0]);
    return items.length === n && items.every((x) => x !== undefined) ? (items as number[]) : undefined;
  }
  const one = int(v);
  return one === undefined ? undefined : Array<number>(n).fill(one);
}

function weightShape(type: string, a: Args): number[] | undefined {
  const conv = /^(Lazy)?Conv(Transpose)?([123])d$/.exec(type);
  if (conv) {
    const nd = Number(conv[3]);
    const [cin, cout, g, k] = [int(a.in_channels), int(a.out_channels), int(a.groups ?? 1), ints(a.kernel_size, nd)];
    if (cin === undefined || cout === undefined || !g || !k) return undefined;
    return conv[2] ? [cin, cout / g, ...k] : [cout, cin / g, ...k];
  }
  if (type === "Linear") {
    const [i, o] = [int(a.in_features), int(a.out_features)];
    return i === undefined || o === undefined ? undefined : [o, i];
  }
  if (type === "Bilinear") {
    const [i1, i2, o] = [int(a.in1_features), int(a.in2_features), int(a.out_features)];
    return i1 === undefined || i2 === undefined || o === undefined ? undefined : [o, i1, i2];
  }
  if (type === "Embedding") {
    const [n, d] = [int(a.num_embeddings), int(a.embedding_dim)];
    return n === undefined || d === undefined ? undefined : [n, d];
  }
  return normShape(type, a);
}

function normShape(type: string, a: Args): number[] | undefined {
  if (/^(BatchNorm[123]d|SyncBatchNorm|InstanceNorm[123]d)$/.test(type)) {
    const c = int(a.num_features);
    return c === undefined ? undefined : [c];
  }
  if (type === "GroupNorm") {
    const c = int(a.num_channels);
    return c === undefined ? undefined : [c];
  }
  if (type === "LayerNorm") {
    const ns = a.normalized_shape;
    const dims = Array.isArray(ns) ? (ns as readonly ArgValue[]).map(int) : [int(ns)];
    return dims.every((d) => d !== undefined) ? (dims as number[]) : undefined;
  }
  if (type === "PReLU") {
    const n = int(a.num_parameters ?? 1);
    return n === undefined ? undefined : [n];
  }
  return undefined;
}

/**
 * The shape of the parameter `name` ("weight" or "bias") of a layer built with `args`, when the
 * rule's count agrees with it (`numel`); undefined where it is not known.
 */
export function layerParamShape(type: string, args: Args, name: string, numel: number): Dim[] | undefined {
  const named = recurrentShape(type, args, name) ?? attentionShape(type, args, name);
  if (named) return named.reduce((p, d) => p * d, 1) === numel ? named : undefined;
  const w = weightShape(type, args);
  if (!w) return undefined;
  let shape: number[];
  if (name === "weight") shape = w;
  else if (name === "bias") shape = /Conv/.test(type) ? [int(args.out_channels) ?? NaN] : /Linear|Bilinear/.test(type) ? [w[0]] : w;
  else return undefined;
  const n = shape.reduce((p, d) => p * d, 1);
  return Number.isInteger(n) && n === numel ? shape : undefined;
}

const GATES: Readonly<Record<string, number>> = { RNN: 1, GRU: 3, LSTM: 4, RNNCell: 1, GRUCell: 3, LSTMCell: 4 };

/** weight_ih_l0, weight_hh_l1_reverse, bias_ih_l0, weight_hr_l0 (RNN/LSTM/GRU) and weight_ih, bias_hh (cells). */
function recurrentShape(type: string, a: Args, name: string): number[] | undefined {
  const g = GATES[type];
  const m = /^(weight|bias)_(ih|hh|hr)(?:_l(\d+)(_reverse)?)?$/.exec(name);
  if (!g || !m) return undefined;
  const [I, H] = [int(a.input_size), int(a.hidden_size)];
  if (I === undefined || H === undefined) return undefined;
  const P = type === "LSTM" ? (int(a.proj_size) ?? 0) : 0;
  const R = P > 0 ? P : H;
  const layer = m[3] === undefined ? 0 : Number(m[3]);
  const inSize = layer === 0 ? I : (a.bidirectional === true ? 2 : 1) * R;
  if (m[2] === "hr") return m[1] === "weight" ? [P, H] : undefined;
  if (m[1] === "bias") return [g * H];
  return m[2] === "ih" ? [g * H, inSize] : [g * H, /Cell$/.test(type) ? H : R];
}

/** MultiheadAttention's in_proj_weight/bias, q/k/v_proj_weight and bias_k/bias_v. */
function attentionShape(type: string, a: Args, name: string): number[] | undefined {
  if (type !== "MultiheadAttention") return undefined;
  const E = int(a.embed_dim);
  if (E === undefined) return undefined;
  const dims: Record<string, number[] | undefined> = {
    in_proj_weight: [3 * E, E],
    in_proj_bias: [3 * E],
    q_proj_weight: [E, E],
    k_proj_weight: [E, int(a.kdim) ?? E],
    v_proj_weight: [E, int(a.vdim) ?? E],
    bias_k: [1, 1, E],
    bias_v: [1, 1, E],
    "out_proj.weight": [E, E],
    "out_proj.bias": [E],
  };
  return dims[name];
}
