// Every rule's constructor signature against the one PyTorch 1.13 declares (names, order, defaults).
import * as assert from "node:assert/strict";
import { LAYER_RULES, layerRule } from "../../src/core/layers";
import type { ArgValue } from "../../src/core/types";

type Declared = readonly (string | readonly [string, ArgValue])[];

// inspect.signature(nn.X.__init__) in PyTorch 1.13, self left out (a bare name is required).
const TORCH_1_13: Readonly<Record<string, Declared>> = {
  Conv1d: ["in_channels", "out_channels", "kernel_size", ["stride", 1], ["padding", 0], ["dilation", 1], ["groups", 1], ["bias", true], ["padding_mode", "zeros"], ["device", null], ["dtype", null]],
  Conv2d: ["in_channels", "out_channels", "kernel_size", ["stride", 1], ["padding", 0], ["dilation", 1], ["groups", 1], ["bias", true], ["padding_mode", "zeros"], ["device", null], ["dtype", null]],
  Conv3d: ["in_channels", "out_channels", "kernel_size", ["stride", 1], ["padding", 0], ["dilation", 1], ["groups", 1], ["bias", true], ["padding_mode", "zeros"], ["device", null], ["dtype", null]],
  ConvTranspose1d: ["in_channels", "out_channels", "kernel_size", ["stride", 1], ["padding", 0], ["output_padding", 0], ["groups", 1], ["bias", true], ["dilation", 1], ["padding_mode", "zeros"], ["device", null], ["dtype", null]],
  ConvTranspose2d: ["in_channels", "out_channels", "kernel_size", ["stride", 1], ["padding", 0], ["output_padding", 0], ["groups", 1], ["bias", true], ["dilation", 1], ["padding_mode", "zeros"], ["device", null], ["dtype", null]],
  ConvTranspose3d: ["in_channels", "out_channels", "kernel_size", ["stride", 1], ["padding", 0], ["output_padding", 0], ["groups", 1], ["bias", true], ["dilation", 1], ["padding_mode", "zeros"], ["device", null], ["dtype", null]],
  MaxPool1d: ["kernel_size", ["stride", null], ["padding", 0], ["dilation", 1], ["return_indices", false], ["ceil_mode", false]],
  MaxPool2d: ["kernel_size", ["stride", null], ["padding", 0], ["dilation", 1], ["return_indices", false], ["ceil_mode", false]],
  MaxPool3d: ["kernel_size", ["stride", null], ["padding", 0], ["dilation", 1], ["return_indices", false], ["ceil_mode", false]],
  MaxUnpool1d: ["kernel_size", ["stride", null], ["padding", 0]],
  MaxUnpool2d: ["kernel_size", ["stride", null], ["padding", 0]],
  MaxUnpool3d: ["kernel_size", ["stride", null], ["padding", 0]],
  AvgPool1d: ["kernel_size", ["stride", null], ["padding", 0], ["ceil_mode", false], ["count_include_pad", true]],
  AvgPool2d: ["kernel_size", ["stride", null], ["padding", 0], ["ceil_mode", false], ["count_include_pad", true], ["divisor_override", null]],
  AvgPool3d: ["kernel_size", ["stride", null], ["padding", 0], ["ceil_mode", false], ["count_include_pad", true], ["divisor_override", null]],
  AdaptiveAvgPool1d: ["output_size"],
  AdaptiveAvgPool2d: ["output_size"],
  AdaptiveAvgPool3d: ["output_size"],
  AdaptiveMaxPool1d: ["output_size", ["return_indices", false]],
  AdaptiveMaxPool2d: ["output_size", ["return_indices", false]],
  AdaptiveMaxPool3d: ["output_size", ["return_indices", false]],
  Linear: ["in_features", "out_features", ["bias", true], ["device", null], ["dtype", null]],
  Bilinear: ["in1_features", "in2_features", "out_features", ["bias", true], ["device", null], ["dtype", null]],
  Flatten: [["start_dim", 1], ["end_dim", -1]],
  Unflatten: ["dim", "unflattened_size"],
  BatchNorm1d: ["num_features", ["eps", 1e-05], ["momentum", 0.1], ["affine", true], ["track_running_stats", true], ["device", null], ["dtype", null]],
  BatchNorm2d: ["num_features", ["eps", 1e-05], ["momentum", 0.1], ["affine", true], ["track_running_stats", true], ["device", null], ["dtype", null]],
  BatchNorm3d: ["num_features", ["eps", 1e-05], ["momentum", 0.1], ["affine", true], ["track_running_stats", true], ["device", null], ["dtype", null]],
  SyncBatchNorm: ["num_features", ["eps", 1e-05], ["momentum", 0.1], ["affine", true], ["track_running_stats", true], ["process_group", null], ["device", null], ["dtype", null]],
  LayerNorm: ["normalized_shape", ["eps", 1e-05], ["elementwise_affine", true], ["device", null], ["dtype", null]],
  GroupNorm: ["num_groups", "num_channels", ["eps", 1e-05], ["affine", true], ["device", null], ["dtype", null]],
  InstanceNorm1d: ["num_features", ["eps", 1e-05], ["momentum", 0.1], ["affine", false], ["track_running_stats", false], ["device", null], ["dtype", null]],
  InstanceNorm2d: ["num_features", ["eps", 1e-05], ["momentum", 0.1], ["affine", false], ["track_running_stats", false], ["device", null], ["dtype", null]],
  InstanceNorm3d: ["num_features", ["eps", 1e-05], ["momentum", 0.1], ["affine", false], ["track_running_stats", false], ["device", null], ["dtype", null]],
  Dropout: [["p", 0.5], ["inplace", false]],
  Dropout1d: [["p", 0.5], ["inplace", false]],
  Dropout2d: [["p", 0.5], ["inplace", false]],
  Dropout3d: [["p", 0.5], ["inplace", false]],
  AlphaDropout: [["p", 0.5], ["inplace", false]],
  FeatureAlphaDropout: [["p", 0.5], ["inplace", false]],
  ReLU: [["inplace", false]],
  ReLU6: [["inplace", false]],
  LeakyReLU: [["negative_slope", 0.01], ["inplace", false]],
  PReLU: [["num_parameters", 1], ["init", 0.25], ["device", null], ["dtype", null]],
  RReLU: [["lower", 0.125], ["upper", 0.3333333333333333], ["inplace", false]],
  ELU: [["alpha", 1.0], ["inplace", false]],
  SELU: [["inplace", false]],
  CELU: [["alpha", 1.0], ["inplace", false]],
  GELU: [["approximate", "none"]],
  SiLU: [["inplace", false]],
  Sigmoid: [],
  LogSigmoid: [],
  Tanh: [],
  Hardtanh: [["min_val", -1.0], ["max_val", 1.0], ["inplace", false], ["min_value", null], ["max_value", null]],
  Hardswish: [["inplace", false]],
  Hardsigmoid: [["inplace", false]],
  Mish: [["inplace", false]],
  Softplus: [["beta", 1], ["threshold", 20]],
  Softsign: [],
  Tanhshrink: [],
  Threshold: ["threshold", "value", ["inplace", false]],
  Hardshrink: [["lambd", 0.5]],
  Softshrink: [["lambd", 0.5]],
  Softmax: [["dim", null]],
  LogSoftmax: [["dim", null]],
  Softmin: [["dim", null]],
  Softmax2d: [],
  Upsample: [["size", null], ["scale_factor", null], ["mode", "nearest"], ["align_corners", null], ["recompute_scale_factor", null]],
  UpsamplingNearest2d: [["size", null], ["scale_factor", null]],
  UpsamplingBilinear2d: [["size", null], ["scale_factor", null]],
  PixelShuffle: ["upscale_factor"],
  PixelUnshuffle: ["downscale_factor"],
  ZeroPad2d: ["padding"],
  ConstantPad1d: ["padding", "value"],
  ConstantPad2d: ["padding", "value"],
  ConstantPad3d: ["padding", "value"],
  ReflectionPad1d: ["padding"],
  ReflectionPad2d: ["padding"],
  ReflectionPad3d: ["padding"],
  ReplicationPad1d: ["padding"],
  ReplicationPad2d: ["padding"],
  ReplicationPad3d: ["padding"],
  Embedding: ["num_embeddings", "embedding_dim", ["padding_idx", null], ["max_norm", null], ["norm_type", 2.0], ["scale_grad_by_freq", false], ["sparse", false], ["_weight", null], ["device", null], ["dtype", null]],
  RNNCell: ["input_size", "hidden_size", ["bias", true], ["nonlinearity", "tanh"], ["device", null], ["dtype", null]],
  GRUCell: ["input_size", "hidden_size", ["bias", true], ["device", null], ["dtype", null]],
  LSTMCell: ["input_size", "hidden_size", ["bias", true], ["device", null], ["dtype", null]],
  LPPool1d: ["norm_type", "kernel_size", ["stride", null], ["ceil_mode", false]],
  LPPool2d: ["norm_type", "kernel_size", ["stride", null], ["ceil_mode", false]],
  FractionalMaxPool2d: ["kernel_size", ["output_size", null], ["output_ratio", null], ["return_indices", false], ["_random_samples", null]],
  FractionalMaxPool3d: ["kernel_size", ["output_size", null], ["output_ratio", null], ["return_indices", false], ["_random_samples", null]],
  LocalResponseNorm: ["size", ["alpha", 0.0001], ["beta", 0.75], ["k", 1.0]],
  CrossMapLRN2d: ["size", ["alpha", 0.0001], ["beta", 0.75], ["k", 1]],
  ChannelShuffle: ["groups"],
  CosineSimilarity: [["dim", 1], ["eps", 1e-8]],
  PairwiseDistance: [["p", 2.0], ["eps", 1e-6], ["keepdim", false]],
  Unfold: ["kernel_size", ["dilation", 1], ["padding", 0], ["stride", 1]],
  Fold: ["output_size", "kernel_size", ["dilation", 1], ["padding", 0], ["stride", 1]],
  MultiheadAttention: ["embed_dim", "num_heads", ["dropout", 0.0], ["bias", true], ["add_bias_kv", false], ["add_zero_attn", false], ["kdim", null], ["vdim", null], ["batch_first", false], ["device", null], ["dtype", null]],
};

// Parameters PyTorch added after 1.13 that the rules accept too (keyword use stays compatible).
const LATER_ADDITIONS: Readonly<Record<string, readonly string[]>> = {
  LayerNorm: ["bias"], // 2.1
  Embedding: ["_freeze"], // 2.0
};

// RNN / LSTM / GRU declare (*args, **kwargs) in 1.13 and pass them on to RNNBase(mode, *args, **kwargs):
// RNNBase's positionals for all three (nn.RNN(10, 20, 2, 'relu', True) means bias='relu', batch_first=True)
const RNN_BASE: Declared = ["input_size", "hidden_size", ["num_layers", 1], ["bias", true], ["batch_first", false], ["dropout", 0.0], ["bidirectional", false], ["proj_size", 0], ["device", null], ["dtype", null]];
const RECURRENT: Readonly<Record<string, Declared>> = { RNN: RNN_BASE, LSTM: RNN_BASE, GRU: RNN_BASE };

function declaredOf(type: string): Declared {
  const rule = layerRule(type);
  assert.ok(rule, type);
  const extra = LATER_ADDITIONS[type] ?? [];
  return rule.signature.params
    .filter((p) => !extra.includes(p.name))
    .map((p) => (p.default === undefined ? p.name : ([p.name, p.default] as const)));
}

describe("layer rule signatures", () => {
  for (const [type, declared] of Object.entries({ ...TORCH_1_13, ...RECURRENT })) {
    it(`${type} is declared as in PyTorch`, () => {
      // Python floats print as 1e-05 / 0.1: compare numbers by value
      assert.deepEqual(JSON.parse(JSON.stringify(declaredOf(type))), JSON.parse(JSON.stringify(declared)));
    });
  }

  it("RNN takes nonlinearity by keyword only; RNNBase counts self and mode in its TypeErrors", () => {
    assert.deepEqual(layerRule("RNN")?.signature.kwOnly, [{ name: "nonlinearity", default: "tanh" }]);
    assert.equal(layerRule("GRU")?.signature.kwOnly, undefined);
  });

  it("Identity takes anything", () => {
    const sig = layerRule("Identity")?.signature;
    assert.deepEqual(sig, { params: [], varargs: "args", varkw: true });
  });

  it("the later additions sit just before device/dtype", () => {
    const ln = layerRule("LayerNorm")?.signature.params.map((p) => p.name);
    assert.deepEqual(ln, ["normalized_shape", "eps", "elementwise_affine", "bias", "device", "dtype"]);
    const emb = layerRule("Embedding")?.signature.params.map((p) => p.name);
    assert.deepEqual(emb?.slice(-3), ["_freeze", "device", "dtype"]);
  });

  it("covers every layer of the brief and nothing composite", () => {
    const want = [
      ...["Conv", "ConvTranspose", "MaxPool", "AvgPool", "AdaptiveAvgPool", "AdaptiveMaxPool", "MaxUnpool", "BatchNorm", "InstanceNorm"].flatMap((f) => [1, 2, 3].map((n) => `${f}${n}d`)),
      ...["ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad"].flatMap((f) => [1, 2, 3].map((n) => `${f}${n}d`)),
      "SyncBatchNorm", "LayerNorm", "GroupNorm", "Linear", "Bilinear", "Identity", "Flatten", "Unflatten", "Embedding", "EmbeddingBag", "GLU",
      "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
      "ReLU", "ReLU6", "LeakyReLU", "PReLU", "RReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Sigmoid", "LogSigmoid", "Tanh",
      "Hardtanh", "Hardswish", "Hardsigmoid", "Mish", "Softplus", "Softsign", "Tanhshrink", "Threshold", "Hardshrink", "Softshrink",
      "Softmax", "LogSoftmax", "Softmin", "Softmax2d", "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d",
      "PixelShuffle", "PixelUnshuffle", "RNN", "LSTM", "GRU", "RNNCell", "GRUCell", "LSTMCell", "MultiheadAttention",
      "LPPool1d", "LPPool2d", "FractionalMaxPool2d", "FractionalMaxPool3d", "LocalResponseNorm", "CrossMapLRN2d", "ChannelShuffle",
      "CosineSimilarity", "PairwiseDistance", "Unfold", "Fold",
    ];
    assert.deepEqual([...LAYER_RULES.keys()].sort(), [...want].sort());
    for (const composite of ["Sequential", "ModuleList", "ModuleDict", "TransformerEncoderLayer", "TransformerDecoderLayer"]) {
      assert.equal(layerRule(composite), undefined);
    }
    for (const [type, rule] of LAYER_RULES) assert.equal(rule.type, type);
  });
});
