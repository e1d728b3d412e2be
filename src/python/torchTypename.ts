// torch.typename(x) as PyTorch words it in "X is not a Module subclass": the module path of a class or function, or a value's type name.
import { typeName, type Value } from "./values";

/** The torch.nn.modules file each nn class lives in (PyTorch 1.13). */
const NN_FILES: Record<string, string> = {
  activation: "CELU ELU GELU GLU Hardshrink Hardsigmoid Hardswish Hardtanh LeakyReLU LogSigmoid LogSoftmax Mish MultiheadAttention PReLU RReLU ReLU ReLU6 SELU SiLU Sigmoid Softmax Softmax2d Softmin Softplus Softshrink Softsign Tanh Tanhshrink Threshold",
  adaptive: "AdaptiveLogSoftmaxWithLoss",
  batchnorm: "BatchNorm1d BatchNorm2d BatchNorm3d LazyBatchNorm1d LazyBatchNorm2d LazyBatchNorm3d SyncBatchNorm",
  channelshuffle: "ChannelShuffle",
  container: "Container ModuleDict ModuleList ParameterDict ParameterList Sequential",
  conv: "Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d LazyConv1d LazyConv2d LazyConv3d LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d",
  distance: "CosineSimilarity PairwiseDistance",
  dropout: "AlphaDropout Dropout Dropout1d Dropout2d Dropout3d FeatureAlphaDropout",
  flatten: "Flatten Unflatten",
  fold: "Fold Unfold",
  instancenorm: "InstanceNorm1d InstanceNorm2d InstanceNorm3d LazyInstanceNorm1d LazyInstanceNorm2d LazyInstanceNorm3d",
  linear: "Bilinear Identity LazyLinear Linear",
  loss: "BCELoss BCEWithLogitsLoss CTCLoss CosineEmbeddingLoss CrossEntropyLoss GaussianNLLLoss HingeEmbeddingLoss HuberLoss KLDivLoss L1Loss MSELoss MarginRankingLoss MultiLabelMarginLoss MultiLabelSoftMarginLoss MultiMarginLoss NLLLoss NLLLoss2d PoissonNLLLoss SmoothL1Loss SoftMarginLoss TripletMarginLoss TripletMarginWithDistanceLoss",
  module: "Module",
  normalization: "CrossMapLRN2d GroupNorm LayerNorm LocalResponseNorm",
  padding: "ConstantPad1d ConstantPad2d ConstantPad3d ReflectionPad1d ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d ReplicationPad3d ZeroPad2d",
  pixelshuffle: "PixelShuffle PixelUnshuffle",
  pooling: "AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d AdaptiveMaxPool3d AvgPool1d AvgPool2d AvgPool3d FractionalMaxPool2d FractionalMaxPool3d LPPool1d LPPool2d MaxPool1d MaxPool2d MaxPool3d MaxUnpool1d MaxUnpool2d MaxUnpool3d",
  rnn: "GRU GRUCell LSTM LSTMCell RNN RNNBase RNNCell RNNCellBase",
  sparse: "Embedding EmbeddingBag",
  transformer: "Transformer TransformerDecoder TransformerDecoderLayer TransformerEncoder TransformerEncoderLayer",
  upsampling: "Upsample UpsamplingBilinear2d UpsamplingNearest2d",
};

const NN_MODULE_OF = new Map<string, string>(
  Object.entries(NN_FILES).flatMap(([file, names]) => names.split(" ").map((n) => [n, `torch.nn.modules.${file}`] as [string, string])),
);

/** F functions that are not Python functions of torch.nn.functional, by the module torch.typename reports. */
const F_ELSEWHERE: Record<string, string> = {
  "torch._VariableFunctionsClass": "adaptive_avg_pool1d avg_pool1d bilinear celu_ channel_shuffle conv1d conv2d conv3d conv_tbc conv_transpose1d conv_transpose2d conv_transpose3d cosine_similarity hardshrink pairwise_distance pdist pixel_shuffle pixel_unshuffle prelu relu_ rrelu_ selu_ threshold_",
  "torch._C._nn": "avg_pool2d avg_pool3d elu_ gelu hardtanh_ leaky_relu_ linear logsigmoid one_hot softplus softshrink",
};

const F_MODULE_OF = new Map<string, string>(Object.entries(F_ELSEWHERE).flatMap(([mod, names]) => names.split(" ").map((n) => [n, mod] as [string, string])));

/** `torch.typename(v)` for a value that is not a module: what PyTorch's container error names. */
export function torchTypename(v: Value): string {
  if (v.k === "class") {
    if (v.cls.isUser) return `__main__.${v.cls.name}`;
    const mod = NN_MODULE_OF.get(v.cls.name);
    return mod ? `${mod}.${v.cls.name}` : v.cls.name;
  }
  if (v.k === "func" && !v.self) return `__main__.${v.fn.name}`;
  if (v.k === "builtin" && !v.self) {
    const m = /^(F|torch)\.(\w+)$/.exec(v.name);
    if (m && m[1] === "F") {
      if (m[2] === "threshold") return "torch.nn.functional._threshold";
      if (/^(adaptive_|fractional_)?max_pool\dd$/.test(m[2])) return "torch.nn.functional.boolean_dispatch.<locals>.fn";
      return `${F_MODULE_OF.get(m[2]) ?? "torch.nn.functional"}.${m[2]}`;
    }
    if (m) return `torch._VariableFunctionsClass.${m[2]}`;
  }
  if (v.k === "tensor") return `torch.${{ float: "Float", long: "Long", bool: "Bool" }[v.t.dtype]}Tensor`;
  return typeName(v);
}
