// What PyTorch 1.13 raises when a layer is called on something that is not a tensor (a tuple from an LSTM, None from a forward that forgot to return).
import { hasPackedFields } from "../core/packed";
import { typeName, type Value } from "./values";

/** Layers whose forward passes the input to an aten function first: "relu(): argument 'input' (position 1) must be Tensor, not tuple". */
const ARG_FIRST: Readonly<Record<string, string>> = {
  AdaptiveAvgPool1d: "adaptive_avg_pool1d", AdaptiveMaxPool1d: "adaptive_max_pool1d", AlphaDropout:
  "alpha_dropout", AvgPool1d: "avg_pool1d", AvgPool2d: "avg_pool2d", AvgPool3d: "avg_pool3d", CELU: "celu",
  ConstantPad1d: "pad", ConstantPad2d: "pad", ConstantPad3d: "pad", ConvTranspose1d: "conv_transpose1d",
  ConvTranspose2d: "conv_transpose2d", ConvTranspose3d: "conv_transpose3d", Dropout: "dropout", ELU: "elu",
  FeatureAlphaDropout: "feature_alpha_dropout", GELU: "gelu", Hardshrink: "hardshrink", Hardsigmoid:
  "hardsigmoid", Hardswish: "hardswish", Hardtanh: "hardtanh", LayerNorm: "layer_norm", LeakyReLU: "leaky_relu",
  Linear: "linear", LogSigmoid: "log_sigmoid", MaxPool1d: "max_pool1d", MaxPool2d: "max_pool2d", MaxPool3d:
  "max_pool3d", Mish: "mish", PReLU: "prelu", PixelShuffle: "pixel_shuffle", PixelUnshuffle: "pixel_unshuffle",
  RReLU: "rrelu", ReLU: "relu", ReLU6: "hardtanh", ReflectionPad1d: "pad", ReflectionPad2d: "pad",
  ReflectionPad3d: "pad", ReplicationPad1d: "pad", ReplicationPad2d: "pad", ReplicationPad3d: "pad", SELU: "selu",
  SiLU: "silu", Sigmoid: "sigmoid", Softplus: "softplus", Softshrink: "softshrink", Tanh: "tanh", Threshold:
  "threshold", ZeroPad2d: "pad",
};

/** Layers whose forward first reads a tensor attribute of the input: "'NoneType' object has no attribute 'dim'". */
const ATTR_FIRST: Readonly<Record<string, string>> = {
  AdaptiveAvgPool2d: "size", AdaptiveAvgPool3d: "size", AdaptiveMaxPool2d: "size", AdaptiveMaxPool3d: "size",
  BatchNorm1d: "dim", BatchNorm2d: "dim", BatchNorm3d: "dim", Dropout1d: "dim", Dropout2d: "dim", Dropout3d:
  "dim", Flatten: "flatten", GRU: "dim", GRUCell: "dim", GroupNorm: "size", InstanceNorm1d: "dim", InstanceNorm2d:
  "dim", InstanceNorm3d: "dim", LSTM: "dim", LSTMCell: "dim", LogSoftmax: "log_softmax", RNN: "dim", RNNCell:
  "dim", Softmax: "softmax", Softmax2d: "dim", Softsign: "abs", SyncBatchNorm: "is_cuda", Tanhshrink: "tanh",
  Unflatten: "unflatten", Upsample: "dim", UpsamplingBilinear2d: "dim", UpsamplingNearest2d: "dim",
};

const NOT_TENSOR = new Set(["none", "tuple", "list", "int", "float", "str", "bool", "dict"]);

/**
 * The exception (type and message) a layer of this type raises when its input is `x`, a known value
 * that is not a tensor; null when the input may be a tensor or the layer is not in the tables.
 * `args` are the layer's bound constructor arguments (a conv's message lists its bias and padding).
 */
export function nonTensorInputError(type: string, x: Value | undefined, args: Readonly<Record<string, unknown>>): { pyType: string; message: string } | null {
  if (!x || !NOT_TENSOR.has(x.k) || (x.k === "tuple" && x.isSize)) return null;
  const packed = x.k === "tuple" && hasPackedFields(x.fields);
  // the recurrent layers take a PackedSequence; the others name its class
  if (packed && (type === "RNN" || type === "LSTM" || type === "GRU")) return null;
  const got = packed ? "PackedSequence" : typeName(x);
  const conv = /^Conv([123])d$/.exec(type);
  if (conv && args.padding_mode !== undefined && args.padding_mode !== "zeros") return { pyType: "TypeError", message: `pad(): argument 'input' (position 1) must be Tensor, not ${got}` };
  if (conv) {
    const bias = args.bias === false ? "NoneType" : "Parameter";
    const padding = typeof args.padding === "string" ? "str" : "tuple";
    return { pyType: "TypeError", message: `conv${conv[1]}d() received an invalid combination of arguments - got (${got}, Parameter, ${bias}, tuple, ${padding}, tuple, int), but expected one of:` };
  }
  if (type === "Embedding") return { pyType: "TypeError", message: `embedding(): argument 'indices' (position 2) must be Tensor, not ${got}` };
  const fn = ARG_FIRST[type];
  if (fn) return { pyType: "TypeError", message: `${fn}(): argument 'input' (position 1) must be Tensor, not ${got}` };
  const attr = ATTR_FIRST[type];
  if (attr) return { pyType: "AttributeError", message: `'${got}' object has no attribute '${attr}'` };
  return null;
}
