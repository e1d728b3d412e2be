// A float among a layer's sizes (nn.Linear(h, h / 2)): PyTorch 1.13 fails making the first parameter with torch.empty(size).
import { bindArgs, type Signature } from "../core/signature";
import type { Value } from "./values";

/** Per argument: whether it is a float, or for a sequence which of its items are. */
type Mark = boolean | readonly boolean[];

function markOf(v: Value): Mark {
  if (v.k === "tuple" || v.k === "list") return v.items.map((x) => x.k === "float");
  return v.k === "float";
}

/**
 * The first parameter tensor's size as PyTorch 1.13's layer __init__ builds it, by argument name
 * (`k*` stands for the kernel size over the layer's dims), and whether it is passed as one number.
 */
function firstParamSize(type: string, args: Readonly<Record<string, unknown>>): { slots: string[]; scalar: boolean } | null {
  const conv = /^Conv(Transpose)?([123])d$/.exec(type);
  if (conv) return { slots: conv[1] ? ["in_channels", "out_channels/", `k*${conv[2]}`] : ["out_channels", "in_channels/", `k*${conv[2]}`], scalar: false };
  if (type === "Linear") return { slots: ["out_features", "in_features"], scalar: false };
  if (type === "Bilinear") return { slots: ["out_features", "in1_features", "in2_features"], scalar: false };
  if (type === "Embedding" || type === "EmbeddingBag") return { slots: ["num_embeddings", "embedding_dim"], scalar: false };
  if (type === "RNN" || type === "LSTM" || type === "GRU") return { slots: ["hidden_size", "input_size"], scalar: false };
  if (type === "MultiheadAttention") return { slots: ["embed_dim", "embed_dim"], scalar: false };
  if (type === "PReLU") return { slots: ["num_parameters"], scalar: true };
  if (type === "GroupNorm") return args.affine === false ? null : { slots: ["num_channels"], scalar: true };
  if (/^(BatchNorm[123]d|SyncBatchNorm|InstanceNorm[123]d)$/.test(type)) return args.affine === true ? { slots: ["num_features"], scalar: true } : null;
  return null;
}

/**
 * The TypeError message (first line, as the oracle reports it) for a float size of a layer built with
 * these arguments, or null. `leading` is the positional parameters bound before the declared ones.
 */
export function floatSizeError(type: string, signature: Signature, bound: Readonly<Record<string, unknown>>, args: readonly Value[], kwargs: readonly (readonly [string, Value])[], leading: number): string | null {
  if (!args.some((v) => markOf(v) !== false) && !kwargs.some(([, v]) => markOf(v) !== false)) return null;
  const size = firstParamSize(type, bound);
  if (!size) return null;
  const marked = bindArgs("", signature, args.map(markOf), kwargs.map(([k, v]) => [k, markOf(v)] as const), leading);
  if (!marked.ok) return null;
  const m = marked.args as Readonly<Record<string, Mark>>;
  const floats: boolean[] = [];
  for (const slot of size.slots) {
    const k = /^k\*(\d)$/.exec(slot);
    if (k) {
      const mk = m.kernel_size;
      const nd = Number(k[1]);
      // _single / _pair / _triple repeat a single number over the dims
      floats.push(...(Array.isArray(mk) ? (mk.length === 1 ? Array<boolean>(nd).fill(mk[0]) : mk) : Array<boolean>(nd).fill(mk === true)));
    } else if (slot.endsWith("/")) floats.push(m[slot.slice(0, -1)] === true || m.groups === true); // in_channels // groups
    else floats.push(m[slot] === true);
  }
  const at = floats.indexOf(true);
  if (at < 0) return null;
  if (size.scalar) return "empty() received an invalid combination of arguments - got (float, dtype=NoneType, device=NoneType), but expected one of:";
  if (at === 0) return "empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType), but expected one of:";
  return `empty(): argument 'size' must be tuple of SymInts, but found element of type float at pos ${at + 1}`;
}
