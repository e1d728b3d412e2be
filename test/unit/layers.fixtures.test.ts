// Every layer entry below is checked against the real-PyTorch numbers in test/fixtures/**/*.expected.json.
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { layerRule } from "../../src/core/layers";
import type { ArgValue } from "../../src/core/types";
import { costOf, forwardError, L, run, shapesOf, T } from "./layers.helpers";

interface FixtureLayer {
  readonly path: string;
  readonly type: string;
  readonly line: number;
  readonly output: unknown;
  readonly params: number;
  readonly macs: number | null;
  readonly flops: number | null;
  readonly error?: boolean;
}

interface Report {
  readonly models: readonly { readonly name: string; readonly layers: readonly FixtureLayer[] }[];
  readonly diagnostics: readonly { readonly line: number; readonly code: string; readonly message: string }[];
}

/** One fixture layer entry and how it is built and called in the fixture's source. */
interface Case {
  readonly file: string;
  readonly model: string;
  readonly path: string;
  /** Which call of that module (0 = the first). */
  readonly nth?: number;
  readonly type: string;
  readonly args?: readonly ArgValue[];
  readonly kwargs?: Readonly<Record<string, ArgValue>>;
  /** Input shapes (float) or tensors; "self" repeats the first input (query is key is value). */
  readonly inputs: readonly (readonly number[] | ArgValue)[];
  readonly fwd?: Readonly<Record<string, ArgValue>>;
  readonly selfAttention?: boolean;
  /** query, then one tensor used as both key and value. */
  readonly crossAttention?: boolean;
}

const c = (file: string, model: string, path: string, type: string, args: readonly ArgValue[], kwargs: Record<string, ArgValue>, ...inputs: (readonly number[] | ArgValue)[]): Case => ({
  file,
  model,
  path,
  type,
  args,
  kwargs,
  inputs,
});

const CASES: readonly Case[] = [
  // seed: the worked formulas
  c("seed/head_tail", "Network", "head.0", "Conv2d", [3, 20, 5], {}, [1, 3, 32, 32]),
  c("seed/head_tail", "Network", "head.1", "ReLU", [], {}, [1, 20, 28, 28]),
  c("seed/head_tail", "Network", "head.2", "Conv2d", [20, 64, 5], {}, [1, 20, 28, 28]),
  c("seed/head_tail", "Network", "tail.0", "Conv2d", [64, 32, 5], {}, [1, 64, 24, 24]),
  c("seed/head_tail", "Network", "tail.2", "Conv2d", [32, 3, 5], {}, [1, 32, 20, 20]),
  c("seed/head_tail_broken", "Network", "head.0", "Conv2d", [1, 20, 5], {}, [1, 3, 32, 32]),
  c("seed/conv_ladder", "ladder", "0", "Conv2d", [3, 8], { kernel_size: 3 }, [1, 3, 64, 64]),
  c("seed/conv_ladder", "ladder", "1", "Conv2d", [8, 8], { kernel_size: 3, padding: 1 }, [1, 8, 62, 62]),
  c("seed/conv_ladder", "ladder", "2", "Conv2d", [8, 16], { kernel_size: 4, stride: 2, padding: 1 }, [1, 8, 62, 62]),
  c("seed/conv_ladder", "ladder", "3", "Conv2d", [16, 16], { kernel_size: 3, stride: 2 }, [1, 16, 31, 31]),
  c("seed/conv_ladder", "ladder", "4", "Conv2d", [16, 16], { kernel_size: 3, dilation: 2 }, [1, 16, 15, 15]),
  c("seed/conv_ladder", "ladder", "5", "Conv2d", [16, 32], { kernel_size: 5, stride: 3, padding: 2 }, [1, 16, 11, 11]),
  c("seed/conv_ladder", "ladder", "6", "Conv2d", [32, 32], { kernel_size: 1 }, [1, 32, 4, 4]),
  c("seed/conv_ladder", "ladder", "7", "Conv2d", [32, 10], { kernel_size: 2, stride: 2 }, [1, 32, 4, 4]),
  c("seed/convtranspose_3x3", "Upscaler", "up", "ConvTranspose2d", [1, 1, 3], { stride: 2, padding: 1 }, [1, 1, 3, 3]),
  c("seed/softmax_classifier", "DigitClassifier", "features.0", "Conv2d", [1, 8, 3], { padding: 1 }, [4, 1, 28, 28]),
  c("seed/softmax_classifier", "DigitClassifier", "features.2", "MaxPool2d", [2], {}, [4, 8, 28, 28]),
  c("seed/softmax_classifier", "DigitClassifier", "classifier.0", "Flatten", [], {}, [4, 16, 7, 7]),
  c("seed/softmax_classifier", "DigitClassifier", "classifier.1", "Linear", [16 * 7 * 7, 64], {}, [4, 784]),
  c("seed/softmax_classifier", "DigitClassifier", "classifier.4", "Softmax", [], { dim: 1 }, [4, 10]),
  c("seed/superres_pixelshuffle", "SuperResolution", "conv1", "Conv2d", [1, 64], { kernel_size: 5, padding: 2 }, [1, 1, 64, 64]),
  c("seed/superres_pixelshuffle", "SuperResolution", "conv3", "Conv2d", [32, 9], { kernel_size: 3, padding: 1 }, [1, 32, 64, 64]),
  c("seed/superres_pixelshuffle", "SuperResolution", "shuffle", "PixelShuffle", [3], {}, [1, 9, 64, 64]),
  c("seed/upsample_bicubic", "Refiner", "upsample", "Upsample", [], { scale_factor: 2, mode: "bicubic", align_corners: true }, [1, 3, 24, 24]),
  c("seed/upsample_bicubic", "Refiner", "act", "ReLU", [], { inplace: true }, [1, 16, 48, 48]),
  // layer zoo
  c("layer_zoo/conv1d_audio", "RawAudioNet", "conv1", "Conv1d", [1, 32], { kernel_size: 80, stride: 16 }, [2, 1, 16000]),
  c("layer_zoo/conv1d_audio", "RawAudioNet", "bn1", "BatchNorm1d", [32], {}, [2, 32, 996]),
  c("layer_zoo/conv1d_audio", "RawAudioNet", "pool1", "MaxPool1d", [4], {}, [2, 32, 996]),
  c("layer_zoo/conv1d_audio", "RawAudioNet", "conv2", "Conv1d", [32, 64], { kernel_size: 3, padding: 1 }, [2, 32, 249]),
  c("layer_zoo/conv1d_audio", "RawAudioNet", "pool2", "MaxPool1d", [4], {}, [2, 64, 249]),
  c("layer_zoo/conv1d_audio", "RawAudioNet", "conv3", "Conv1d", [64, 64], { kernel_size: 3, stride: 2 }, [2, 64, 62]),
  c("layer_zoo/conv1d_audio", "RawAudioNet", "gap", "AdaptiveAvgPool1d", [1], {}, [2, 64, 30]),
  c("layer_zoo/conv1d_audio", "RawAudioNet", "fc", "Linear", [64, 35], {}, [2, 64]),
  c("layer_zoo/conv3d_video", "C3DLite", "conv1", "Conv3d", [3, 16], { kernel_size: 3, padding: 1 }, [1, 3, 8, 56, 56]),
  c("layer_zoo/conv3d_video", "C3DLite", "pool1", "MaxPool3d", [], { kernel_size: [1, 2, 2], stride: [1, 2, 2] }, [1, 16, 8, 56, 56]),
  c("layer_zoo/conv3d_video", "C3DLite", "bn2", "BatchNorm3d", [32], {}, [1, 32, 8, 28, 28]),
  c("layer_zoo/conv3d_video", "C3DLite", "pool2", "MaxPool3d", [], { kernel_size: 2, stride: 2 }, [1, 32, 8, 28, 28]),
  c("layer_zoo/conv3d_video", "C3DLite", "conv3", "Conv3d", [32, 64], { kernel_size: [3, 3, 3], stride: [1, 2, 2], padding: [1, 1, 1] }, [1, 32, 4, 14, 14]),
  c("layer_zoo/conv3d_video", "C3DLite", "pool3", "AdaptiveAvgPool3d", [1], {}, [1, 64, 4, 7, 7]),
  c("layer_zoo/convtranspose_1d_3d", "SignalDecoder", "up1", "ConvTranspose1d", [64, 32], { kernel_size: 4, stride: 2, padding: 1 }, [1, 64, 25]),
  c("layer_zoo/convtranspose_1d_3d", "SignalDecoder", "up2", "ConvTranspose1d", [32, 16], { kernel_size: 5, stride: 3, output_padding: 2 }, [1, 32, 50]),
  c("layer_zoo/convtranspose_1d_3d", "SignalDecoder", "out", "Conv1d", [16, 1], { kernel_size: 7, padding: 3 }, [1, 16, 154]),
  c("layer_zoo/convtranspose_1d_3d", "VolumeDecoder", "up1", "ConvTranspose3d", [32, 16], { kernel_size: 2, stride: 2 }, [1, 32, 4, 6, 6]),
  c("layer_zoo/convtranspose_1d_3d", "VolumeDecoder", "up2", "ConvTranspose3d", [16, 8], { kernel_size: 3, stride: [1, 2, 2], padding: 1, output_padding: [0, 1, 1] }, [1, 16, 8, 12, 12]),
  c("layer_zoo/convtranspose_1d_3d", "VolumeDecoder", "head", "Conv3d", [8, 2], { kernel_size: 1 }, [1, 8, 8, 24, 24]),
  c("layer_zoo/dilation_depthwise", "ContextModule", "d2", "Conv2d", [32, 32, 3], { padding: 2, dilation: 2 }, [1, 32, 48, 48]),
  c("layer_zoo/dilation_depthwise", "ContextModule", "d8", "Conv2d", [32, 32, 3], { dilation: 8 }, [1, 32, 48, 48]),
  c("layer_zoo/dilation_depthwise", "ContextModule", "depthwise", "Conv2d", [32, 32, 5], { padding: 2, groups: 32 }, [1, 32, 32, 32]),
  c("layer_zoo/dilation_depthwise", "ContextModule", "grouped", "Conv2d", [32, 64, 3], { stride: 2, padding: 1, groups: 4 }, [1, 32, 32, 32]),
  c("layer_zoo/dilation_depthwise", "ContextModule", "pointwise", "Conv2d", [64, 16, 1], {}, [1, 64, 16, 16]),
  c("layer_zoo/embedding_lstm", "SentimentLSTM", "embedding", "Embedding", [5000, 64], { padding_idx: 0 }, L(4, 30)),
  c("layer_zoo/embedding_lstm", "SentimentLSTM", "lstm", "LSTM", [64, 48], { num_layers: 2, batch_first: true, bidirectional: true, dropout: 0.3 }, [4, 30, 64]),
  c("layer_zoo/embedding_lstm", "SentimentLSTM", "dropout", "Dropout", [0.3], {}, [4, 96]),
  c("layer_zoo/embedding_lstm", "SentimentLSTM", "fc", "Linear", [96, 2], {}, [4, 96]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "encoder.0", "Conv2d", [1, 16, 3], { stride: 2, padding: 1 }, [8, 1, 28, 28]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "encoder.4", "Flatten", [], {}, [8, 32, 7, 7]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "encoder.5", "Linear", [1568, 16], {}, [8, 1568]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "decoder.0", "Linear", [16, 1568], {}, [8, 16]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "decoder.2", "Unflatten", [1, [32, 7, 7]], {}, [8, 1568]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "decoder.3", "ConvTranspose2d", [32, 16, 3], { stride: 2, padding: 1, output_padding: 1 }, [8, 32, 7, 7]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "decoder.5", "ConvTranspose2d", [16, 1, 3], { stride: 2, padding: 1, output_padding: 1 }, [8, 16, 14, 14]),
  c("layer_zoo/flatten_unflatten", "ConvAutoencoder", "decoder.6", "Sigmoid", [], {}, [8, 1, 28, 28]),
  c("layer_zoo/gru_seq", "GRUForecaster", "gru", "GRU", [], { input_size: 6, hidden_size: 32, num_layers: 2 }, [50, 8, 6]),
  c("layer_zoo/gru_seq", "GRUForecaster", "head", "Linear", [32, 6], {}, [8, 32]),
  c("layer_zoo/mha_self_attention", "AttentionBlock", "norm", "LayerNorm", [64], {}, [2, 10, 64]),
  { ...c("layer_zoo/mha_self_attention", "AttentionBlock", "attn", "MultiheadAttention", [64, 4], { batch_first: true }, [2, 10, 64]), selfAttention: true },
  c("layer_zoo/mha_self_attention", "AttentionBlock", "proj", "Linear", [64, 64], {}, [2, 10, 64]),
  c("layer_zoo/norms", "NormZoo", "conv", "Conv2d", [3, 16, 3], { padding: 1 }, [2, 3, 12, 12]),
  c("layer_zoo/norms", "NormZoo", "bn", "BatchNorm2d", [16], {}, [2, 16, 12, 12]),
  c("layer_zoo/norms", "NormZoo", "gn", "GroupNorm", [4, 16], {}, [2, 16, 12, 12]),
  c("layer_zoo/norms", "NormZoo", "inorm", "InstanceNorm2d", [16], {}, [2, 16, 12, 12]),
  c("layer_zoo/norms", "NormZoo", "inorm_affine", "InstanceNorm2d", [16], { affine: true }, [2, 16, 12, 12]),
  c("layer_zoo/norms", "NormZoo", "ln", "LayerNorm", [[16, 12, 12]], {}, [2, 16, 12, 12]),
  c("layer_zoo/norms", "NormZoo", "ln_plain", "LayerNorm", [12], { elementwise_affine: false }, [2, 16, 12, 12]),
  c("layer_zoo/padding_same", "SamePadding", "a", "Conv2d", [3, 8], { kernel_size: 3, padding: "same" }, [1, 3, 21, 30]),
  c("layer_zoo/padding_same", "SamePadding", "b", "Conv2d", [8, 8], { kernel_size: 4, padding: "same" }, [1, 8, 21, 30]),
  c("layer_zoo/padding_same", "SamePadding", "c", "Conv2d", [8, 8], { kernel_size: 3, padding: "same", dilation: 3 }, [1, 8, 21, 30]),
  c("layer_zoo/padding_same", "SamePadding", "d", "Conv2d", [8, 8], { kernel_size: [1, 5], padding: "same" }, [1, 8, 21, 30]),
  c("layer_zoo/padding_same", "SamePadding", "e", "Conv2d", [8, 4], { kernel_size: 3, padding: "valid" }, [1, 8, 21, 30]),
  c("layer_zoo/padding_same", "SamePadding", "f", "Conv1d", [4, 4], { kernel_size: 6, padding: "same" }, [1, 4, 532]),
  c("layer_zoo/pixel_unshuffle", "SpaceToDepthNet", "down", "PixelUnshuffle", [2], {}, [1, 3, 64, 64]),
  c("extra/effnet_like", "EffNetLike", "blocks.0.expand", "Identity", [], {}, [1, 24, 16, 16]),
  c("layer_zoo/pixel_unshuffle", "SpaceToDepthNet", "body", "Conv2d", [12, 48, 3], { padding: 1 }, [1, 12, 32, 32]),
  c("layer_zoo/pixel_unshuffle", "SpaceToDepthNet", "act", "PReLU", [48], {}, [1, 48, 32, 32]),
  c("layer_zoo/pixel_unshuffle", "SpaceToDepthNet", "up", "PixelShuffle", [2], {}, [1, 48, 32, 32]),
  c("layer_zoo/pool_ceil_padding", "PoolZoo", "p1", "MaxPool2d", [3], { stride: 2, ceil_mode: true }, [1, 8, 28, 28]),
  c("layer_zoo/pool_ceil_padding", "PoolZoo", "p2", "AvgPool2d", [3], { stride: 2, padding: 1, ceil_mode: true, count_include_pad: false }, [1, 8, 14, 14]),
  c("layer_zoo/pool_ceil_padding", "PoolZoo", "p3", "MaxPool2d", [], { kernel_size: 2, stride: 1, padding: 1, dilation: 2 }, [1, 8, 8, 8]),
  c("layer_zoo/pool_ceil_padding", "PoolZoo", "p4", "AvgPool2d", [], { kernel_size: [2, 3], stride: [2, 1] }, [1, 8, 8, 8]),
  c("layer_zoo/pool_ceil_padding", "PoolZoo", "p5", "MaxPool2d", [2], { ceil_mode: true }, [1, 8, 4, 6]),
  c("layer_zoo/transformer_encoder", "TinyTextTransformer", "tok", "Embedding", [1000, 32], {}, L(3, 16)),
  {
    ...c("layer_zoo/transformer_encoder", "TinyTextTransformer", "layer.self_attn", "MultiheadAttention", [32, 4], { dropout: 0.1, batch_first: true }, [3, 16, 32]),
    selfAttention: true,
    fwd: { attn_mask: null, key_padding_mask: null, need_weights: false },
  },
  c("layer_zoo/transformer_encoder", "TinyTextTransformer", "layer.norm1", "LayerNorm", [32], { eps: 1e-5 }, [3, 16, 32]),
  c("layer_zoo/transformer_encoder", "TinyTextTransformer", "layer.linear1", "Linear", [32, 64], {}, [3, 16, 32]),
  c("layer_zoo/transformer_encoder", "TinyTextTransformer", "layer.dropout", "Dropout", [0.1], {}, [3, 16, 64]),
  c("layer_zoo/transformer_encoder", "TinyTextTransformer", "layer.linear2", "Linear", [64, 32], {}, [3, 16, 64]),
  // sequential models
  c("sequential/alexnet_like", "AlexNetLike", "features.0", "Conv2d", [3, 96], { kernel_size: 11, stride: 4 }, [1, 3, 227, 227]),
  c("sequential/alexnet_like", "AlexNetLike", "features.2", "MaxPool2d", [], { kernel_size: 3, stride: 2 }, [1, 96, 55, 55]),
  c("sequential/alexnet_like", "AlexNetLike", "features.3", "Conv2d", [96, 256], { kernel_size: 5, padding: 2 }, [1, 96, 27, 27]),
  c("sequential/alexnet_like", "AlexNetLike", "avgpool", "AdaptiveAvgPool2d", [[6, 6]], {}, [1, 256, 6, 6]),
  c("sequential/alexnet_like", "AlexNetLike", "classifier.0", "Dropout", [], { p: 0.5 }, [1, 9216]),
  c("sequential/alexnet_like", "AlexNetLike", "classifier.1", "Linear", [256 * 6 * 6, 4096], {}, [1, 9216]),
  c("sequential/lenet5", "LeNet5", "features.1", "Tanh", [], {}, [8, 6, 28, 28]),
  c("sequential/lenet5", "LeNet5", "features.2", "AvgPool2d", [], { kernel_size: 2, stride: 2 }, [8, 6, 28, 28]),
  c("sequential/lenet5", "LeNet5", "features.6", "Conv2d", [16, 120], { kernel_size: 5 }, [8, 16, 5, 5]),
  c("sequential/lenet5_seqvar", "lenet", "0", "Conv2d", [1, 6, 5], { padding: 2 }, [1, 1, 28, 28]),
  c("sequential/lenet5_seqvar", "lenet", "1", "Sigmoid", [], {}, [1, 6, 28, 28]),
  c("sequential/lenet5_seqvar", "lenet", "2", "AvgPool2d", [2], {}, [1, 6, 28, 28]),
  c("sequential/lenet5_seqvar", "lenet", "6", "Flatten", [], {}, [1, 16, 5, 5]),
  c("sequential/mlp", "MLP", "body.0", "Linear", [784, 512], {}, [16, 784]),
  c("sequential/mlp", "MLP", "body.2", "Dropout", [0.2], {}, [16, 512]),
  c("sequential/vgg_cfg_loop", "VGGish", "features.5", "BatchNorm2d", [64], {}, [2, 64, 16, 16]),
  c("sequential/vgg_cfg_loop", "VGGish", "features.11", "Conv2d", [128, 128], { kernel_size: 3, padding: 1 }, [2, 128, 8, 8]),
  c("sequential/zfnet_like", "ZFNetLike", "stem.0", "Conv2d", [3, 64], { kernel_size: 7, stride: 2, padding: 1 }, [1, 3, 128, 128]),
  c("sequential/zfnet_like", "ZFNetLike", "stem.2", "MaxPool2d", [3], { stride: 2, padding: 1 }, [1, 64, 62, 62]),
  c("sequential/zfnet_like", "ZFNetLike", "body.0", "Conv2d", [64, 128], { kernel_size: 5, stride: 2 }, [1, 64, 31, 31]),
  // structure
  c("structure/mobilenet_tiny", "TinyMobileNet", "features.0.2", "ReLU6", [], { inplace: true }, [1, 32, 32, 32]),
  c("structure/mobilenet_tiny", "TinyMobileNet", "features.1.conv.0", "Conv2d", [32, 32, 3, 1, 1], { groups: 32, bias: false }, [1, 32, 32, 32]),
  c("structure/mobilenet_tiny", "TinyMobileNet", "features.2.conv.3", "Conv2d", [96, 96, 3, 2, 1], { groups: 96, bias: false }, [1, 96, 32, 32]),
  c("structure/mobilenet_tiny", "TinyMobileNet", "classifier.0", "Dropout", [0.2], {}, [1, 32]),
  c("structure/moduledict_heads", "MultiHead", "activations.silu", "SiLU", [], {}, [5, 64]),
  c("structure/modulelist_stack", "DilatedStack", "convs.2", "Conv1d", [32, 32, 3], { dilation: 4, padding: 4 }, [2, 32, 256]),
  c("structure/modulelist_stack", "DilatedStack", "norms.0", "BatchNorm1d", [32], {}, [2, 32, 256]),
  c("structure/sequential_star", "Critic", "encoder.2", "LeakyReLU", [0.2], {}, [16, 32, 16, 16]),
  c("structure/sequential_star", "Critic", "encoder.9", "Flatten", [], {}, [16, 128, 4, 4]),
  c("structure/bottleneck_expansion", "MiniResNet50", "stem.0", "Conv2d", [3, 32], { kernel_size: 7, stride: 2, padding: 3, bias: false }, [1, 3, 128, 128]),
  c("structure/bottleneck_expansion", "MiniResNet50", "stem.3", "MaxPool2d", [], { kernel_size: 3, stride: 2, padding: 1 }, [1, 32, 64, 64]),
  c("structure/resnet_make_layer", "ResNet", "layer2.0.shortcut.0", "Conv2d", [16, 32], { kernel_size: 1, stride: 2, bias: false }, [1, 16, 32, 32]),
  c("structure/resnet_make_layer", "ResNet", "layer2.0.conv1", "Conv2d", [16, 32], { kernel_size: 3, stride: 2, padding: 1, bias: false }, [1, 16, 32, 32]),
  // custom forwards
  c("custom_forward/unet_tiny", "TinyUNet", "up2", "ConvTranspose2d", [32, 16], { kernel_size: 2, stride: 2 }, [1, 32, 16, 16]),
  c("custom_forward/unet_tiny", "TinyUNet", "up1", "ConvTranspose2d", [16, 8], { kernel_size: 2, stride: 2 }, [1, 16, 32, 32]),
  c("custom_forward/multi_output", "MultiTaskNet", "backbone.4", "AdaptiveAvgPool2d", [1], {}, [3, 64, 12, 12]),
  c("custom_forward/two_inputs", "ImageWithMetadata", "cnn.2", "MaxPool2d", [2], {}, [8, 16, 40, 40]),
  // extra (oracle-checked): attention variants, the RNN family, unbatched inputs, padding
  c("extra/attn_custom", "Block", "mlp.1", "GELU", [], {}, [2, 9, 128]),
  {
    ...c("extra/cross_attention", "CrossAttention", "attn", "MultiheadAttention", [32, 4], { kdim: 48, vdim: 48, batch_first: true }, [2, 6, 32], [2, 9, 48]),
    crossAttention: true,
    fwd: { attn_mask: T(6, 9), need_weights: false },
  },
  c("extra/misc_ops", "Misc", "pad", "ReflectionPad2d", [[1, 2, 3, 4]], {}, [2, 3, 28, 28]),
  c("extra/misc_ops", "Misc", "conv", "Conv2d", [3, 8, [3, 5]], { stride: [2, 1], bias: false }, [2, 3, 35, 31]),
  c("extra/misc_ops", "Misc", "drop", "Dropout2d", [0.1], {}, [2, 8, 17, 27]),
  c("extra/misc_ops", "Misc", "pool", "AdaptiveMaxPool2d", [[5, 7]], {}, [2, 8, 17, 27]),
  c("extra/rnn_lstm_proj", "Seq", "lstm", "LSTM", [16, 64], { num_layers: 2, proj_size: 32, batch_first: true }, [4, 25, 16]),
  c("extra/rnn_lstm_proj", "Seq", "gru", "GRU", [32, 24], { bidirectional: true }, [25, 4, 32]),
  c("extra/rnn_lstm_proj", "Seq", "rnn", "RNN", [48, 16], { nonlinearity: "relu", bias: false }, [25, 4, 48]),
  c("extra/rnn_lstm_proj", "Seq", "cell", "GRUCell", [16, 8], {}, [4, 16]),
  c("extra2_seq/lstmcell_decoder", "CaptionDecoder", "cell", "LSTMCell", [88, 48], {}, [3, 88]),
  c("extra/se_block", "Net", "se.pool", "AdaptiveAvgPool2d", [1], {}, [1, 16, 20, 20]),
  c("extra/se_block", "Net", "up", "Upsample", [], { scale_factor: 2, mode: "bilinear", align_corners: false }, [1, 16, 15, 15]),
  c("extra/seq_misc", "features", "2", "MaxPool2d", [2], { ceil_mode: true }, [5, 8, 15, 15]),
  c("extra/seq_misc", "head", "1", "LogSoftmax", [], { dim: 1 }, [5, 10]),
  {
    ...c("extra/transformer_stack", "Encoder", "enc.layers.0.self_attn", "MultiheadAttention", [48, 3], { dropout: 0.0, batch_first: true }, [2, 17, 48]),
    selfAttention: true,
    fwd: { attn_mask: null, key_padding_mask: null, need_weights: false },
  },
  c("extra/unbatched_embed", "Tagger", "emb", "Embedding", [100, 16], {}, L(3, 12)),
  c("extra/unbatched_embed", "Tagger", "conv", "Conv1d", [16, 16, 3], { padding: 1 }, [3, 16, 12]),
  c("extra/unbatched_embed", "Shared", "a", "Linear", [8, 8], {}, [8]),
  c("extra/unet_pad", "UNet", "up.up", "ConvTranspose2d", [16, 8, 2], { stride: 2 }, [1, 16, 18, 22]),
  c("extra/vit_tiny", "ViT", "embed.proj", "Conv2d", [3, 64, 4], { stride: 4 }, [2, 3, 32, 32]),
  {
    ...c("extra/vit_tiny", "ViT", "blocks.1.self_attn", "MultiheadAttention", [64, 4], { dropout: 0.1, batch_first: true }, [2, 65, 64]),
    selfAttention: true,
    fwd: { attn_mask: null, key_padding_mask: null, need_weights: false },
  },
  c("extra/errs_forward", "Rnn", "lstm", "LSTM", [10, 20], {}, [5, 2, 12]),
  c("extra/errs_forward", "Small", "conv", "Conv2d", [3, 4, 5], {}, [1, 3, 3, 3]),
  c("extra/errs_names", "Net", "bn", "BatchNorm2d", [16], {}, [1, 8, 6, 6]),
  // broken: the layer that fails, with the oracle's diagnostic
  c("broken/channel_mismatch", "Encoder", "layers.5", "Conv2d", [64, 64, 3], { padding: 1 }, [1, 32, 16, 16]),
  c("broken/linear_in_features", "Classifier", "fc1", "Linear", [320, 50], {}, [2, 500]),
  c("broken/spatial_too_small", "TooDeep", "features.14", "MaxPool2d", [2], {}, [1, 64, 1, 1]),
  c("broken/spatial_too_small", "TooDeep", "features.11", "MaxPool2d", [2], {}, [1, 64, 2, 2]),
  // extra2_upsample: MaxUnpool2d back to the pre-pool size (output_size is the full torch.Size)
  { ...c("extra2_upsample/autoencoders", "UnpoolAE", "unpool", "MaxUnpool2d", [2], { stride: 2 }, [1, 8, 7, 8], L(1, 8, 7, 8)), fwd: { output_size: [1, 8, 15, 17] } },
  // extra7_layer_args: MaxUnpool1d to the pre-pool length
  { ...c("extra7_layer_args/pool_indices_unpool", "IndexPools", "un1", "MaxUnpool1d", [3], { stride: 2 }, [2, 4, 14], L(2, 4, 14)), fwd: { output_size: [2, 4, 29] } },
  c("extra7_layer_args/pool_indices_unpool", "IndexPools", "un3", "MaxUnpool3d", [2], {}, [1, 2, 3, 4, 5], L(1, 2, 3, 4, 5)),
  c("extra2_upsample/volumetric_1d", "WaveUpsampler", "pool", "AvgPool1d", [4], { stride: 3, ceil_mode: true }, [4, 1, 304]),
  c("extra2_upsample/upsample_variants", "UpsampleZoo", "near2d", "UpsamplingNearest2d", [], { scale_factor: 2 }, [2, 8, 11, 14]),
  c("extra2_upsample/upsample_variants", "UpsampleZoo", "bil2d", "UpsamplingBilinear2d", [], { size: [30, 31] }, [2, 8, 11, 14]),
  c("extra2_seq/embedding_bag", "FastText", "embedding", "EmbeddingBag", [500, 24], { mode: "mean" }, L(30), L(4)),
  c("extra2_seq/embedding_bag", "BagOfWords", "bag", "EmbeddingBag", [300, 16], { mode: "sum", padding_idx: 0 }, L(5, 12)),
  c("extra2_seq/conformer_conv", "Subsample", "block.conv.glu", "GLU", [], { dim: 1 }, [2, 64, 11]),
  // extra2_cnn: MobileNetV3's hard activations
  c("extra2_cnn/mobilenet_v3", "MobileNetV3", "features.0.2", "Hardswish", [], { inplace: true }, [1, 16, 48, 48]),
  c("extra2_cnn/mobilenet_v3", "MobileNetV3", "features.1.block.1.scale_activation", "Hardsigmoid", [], {}, [1, 16, 1, 1]),
  // extra3_zoo: every activation, dropout variants, 1-d/3-d pools, norms on 3-d and 1-d inputs
  c("extra3_zoo/activations_all", "ActZoo", "acts.0", "Threshold", [0.1, 20.0], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.1", "RReLU", [0.1, 0.3], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.2", "CELU", [], { alpha: 0.5 }, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.3", "Hardshrink", [0.3], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.4", "Softshrink", [], { lambd: 0.2 }, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.5", "Tanhshrink", [], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.6", "Mish", [], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.8", "ELU", [], { alpha: 2.0 }, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.9", "SELU", [], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.11", "Hardtanh", [-2.0, 2.0], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.15", "Softplus", [], { beta: 2, threshold: 10 }, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.16", "Softsign", [], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "acts.17", "LogSigmoid", [], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "sm2d", "Softmax2d", [], {}, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "ActZoo", "smin", "Softmin", [], { dim: 1 }, [2, 8, 6, 10]),
  c("extra3_zoo/activations_all", "Softmax2dUnbatched", "drop1", "Dropout1d", [0.2], {}, [6, 8]),
  c("extra3_zoo/activations_all", "Softmax2dUnbatched", "drop3", "Dropout3d", [], { p: 0.1 }, [1, 4, 6, 8]),
  c("extra3_zoo/activations_all", "Softmax2dUnbatched", "ad", "AlphaDropout", [0.2], {}, [6, 8]),
  c("extra3_zoo/activations_all", "Softmax2dUnbatched", "fad", "FeatureAlphaDropout", [0.2], {}, [1, 4, 6, 8]),
  c("extra3_zoo/norms_unbatched", "NormVariants", "in3", "InstanceNorm3d", [8], { affine: true, track_running_stats: true }, [2, 8, 4, 6, 6]),
  c("extra3_zoo/norms_unbatched", "FeatureNorms", "inorm", "InstanceNorm1d", [32], { affine: true }, [16, 32, 7]),
  c("extra3_zoo/pools_1d_3d", "Pools1d", "amp", "AdaptiveMaxPool1d", [5], {}, [2, 8, 5]),
  c("extra3_zoo/pools_1d_3d", "Pools3d", "ap", "AvgPool3d", [2], { stride: 1, padding: 1, count_include_pad: true, divisor_override: 3 }, [2, 4, 6, 7, 7]),
  c("extra3_zoo/pools_1d_3d", "Pools3d", "amp", "AdaptiveMaxPool3d", [[null, 2, 3]], {}, [2, 4, 4, 4, 4]),
  c("extra3_zoo/recurrent_args", "StackedGRU", "rcell", "RNNCell", [32, 8, true, "relu"], {}, [4, 32]),
  c("extra3_zoo/attention_embed", "CrossAttn", "bil", "Bilinear", [32, 24, 16], {}, [3, 32], [3, 24]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "pad1", "ConstantPad1d", [[2, 3], 0.5], {}, [2, 4, 13]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "pad2", "ZeroPad2d", [[1, 0, 2, 1]], {}, [2, 8, 2, 8]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "rpad", "ReplicationPad2d", [1], {}, [2, 8, 5, 9]),
  c("extra6_layer_zoo/pads_tuple_all", "PadPlayground", "const2", "ConstantPad2d", [[1, 1, 2, 2], 3.5], {}, [2, 6, 9, 14]),
  c("extra6_layer_zoo/pads_tuple_all", "UnbatchedPads", "p3", "ConstantPad2d", [2, 1.0], {}, [1, 5, 16]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "cpad3", "ConstantPad3d", [[1, 1, 0, 0, 2, 0], -1.0], {}, [2, 1, 8, 7, 11]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "repl3", "ReplicationPad3d", [[0, 1, 1, 0, 0, 1]], {}, [2, 1, 10, 7, 13]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "refl3", "ReflectionPad3d", [1], {}, [2, 1, 11, 8, 14]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "refl1", "ReflectionPad1d", [[3, 1]], {}, [2, 13, 160]),
  c("extra3_zoo/reshape_pad_upsample", "ShapeOps", "repl1", "ReplicationPad1d", [2], {}, [2, 13, 164]),
  // extra3_zoo: layers without a FLOPs rule (shapes only) and their errors
  c("extra3_zoo/lppool_lrn", "AlexStyleLRN", "lrn", "LocalResponseNorm", [5], { alpha: 1e-4, beta: 0.75, k: 2.0 }, [2, 24, 18, 18]),
  c("extra3_zoo/lppool_lrn", "AlexStyleLRN", "lp", "LPPool2d", [2, 3], { stride: 2 }, [2, 24, 18, 18]),
  c("extra3_zoo/lppool_lrn", "AlexStyleLRN", "xlrn", "CrossMapLRN2d", [3], {}, [2, 32, 6, 6]),
  c("extra3_zoo/lppool_lrn", "AlexStyleLRN", "lp2", "LPPool2d", [], { norm_type: 1.5, kernel_size: [2, 3], ceil_mode: true }, [2, 32, 6, 6]),
  c("extra3_zoo/lppool_lrn", "Speech1d", "lp", "LPPool1d", [3], { kernel_size: 4, stride: 2 }, [4, 64, 101]),
  c("extra3_zoo/distances_fold", "Siamese", "cos", "CosineSimilarity", [], { dim: 1, eps: 1e-6 }, [8, 16], [8, 16]),
  c("extra3_zoo/distances_fold", "Siamese", "dist", "PairwiseDistance", [], { p: 2.0, keepdim: true }, [8, 16], [8, 16]),
  c("extra3_zoo/distances_fold", "CosMap", "pd", "PairwiseDistance", [], {}, [2, 10, 12], [2, 10, 12]),
  c("extra3_zoo/distances_fold", "PatchFold", "unfold", "Unfold", [], { kernel_size: [4, 4], stride: 4 }, [2, 3, 16, 20]),
  c("extra3_zoo/distances_fold", "PatchFold", "fold", "Fold", [], { output_size: [16, 20], kernel_size: 4, stride: 4 }, [2, 48, 20]),
  c("extra3_zoo/distances_fold", "PatchFold", "shuffle", "ChannelShuffle", [3], {}, [2, 3, 16, 20]),
  c("extra3_zoo/distances_fold", "PatchFold", "unfold2", "Unfold", [3], { dilation: 2, padding: 1, stride: 2 }, [2, 3, 16, 20]),
  c("extra3_zoo/fractional_lazy", "FracNet", "fmp", "FractionalMaxPool2d", [2], { output_ratio: [0.5, 0.7] }, [2, 16, 20, 24]),
  c("extra3_zoo/fractional_lazy", "FracNet", "fmp3", "FractionalMaxPool3d", [2], { output_size: [2, 3, 3] }, [2, 1, 16, 7, 7]),
  c("extra3_zoo/zoo_errors", "BadShuffle", "shuffle", "ChannelShuffle", [3], {}, [2, 8, 4, 4]),
  c("extra3_zoo/zoo_errors", "FoldMismatch", "fold", "Fold", [], { output_size: [6, 6], kernel_size: 2, stride: 2 }, [2, 12, 10]),
  c("extra3_zoo/zoo_errors", "TooSmallFrac", "pool", "FractionalMaxPool2d", [3], { output_size: [6, 6] }, [1, 4, 7, 9]),
  c("extra3_zoo/zoo_errors", "LrnOnVectors", "lrn", "LocalResponseNorm", [2], {}, [4, 8]),
  c("extra3_zoo/zoo_errors", "UnfoldTooBig", "unfold", "Unfold", [], { kernel_size: 5, dilation: 2 }, [1, 2, 8, 12]),
  c("extra3_zoo/zoo_errors", "CosMismatch", "cos", "CosineSimilarity", [], { dim: -1 }, [4, 16], [3, 16]),
];

const FIXTURES = join(__dirname, "..", "fixtures");
const reports = new Map<string, Report>();
function report(file: string): Report {
  let r = reports.get(file);
  if (!r) {
    r = JSON.parse(readFileSync(join(FIXTURES, `${file}.expected.json`), "utf8")) as Report;
    reports.set(file, r);
  }
  return r;
}

function entryOf(k: Case): FixtureLayer {
  const model = report(k.file).models.find((m) => m.name === k.model);
  assert.ok(model, `${k.file}: no model ${k.model}`);
  const entries = model.layers.filter((l) => l.path === k.path);
  const e = entries[k.nth ?? 0];
  assert.ok(e, `${k.file}: ${k.model} has no layer ${k.path}`);
  assert.equal(e.type, k.type, `${k.file}: ${k.path} is a ${e.type}`);
  return e;
}

describe("layer rules reproduce the fixtures' real-PyTorch layer entries", () => {
  for (const k of CASES) {
    it(`${k.file} ${k.model}.${k.path} (${k.type})`, () => {
      const e = entryOf(k);
      const inputs = k.inputs.map((s) => (Array.isArray(s) ? T(...(s as number[])) : (s as ArgValue)));
      if (k.selfAttention) inputs.push(inputs[0], inputs[0]);
      if (k.crossAttention) inputs.push(inputs[1]);
      const r = run(k.type, k.args, k.kwargs, inputs, k.fwd);
      assert.deepEqual(r.initProblems, []);
      assert.equal(r.params.total, e.params, "params");
      if (e.error) {
        const diag = report(k.file).diagnostics.find((d) => d.line === e.line);
        assert.ok(diag, "the fixture has a diagnostic for the failing layer");
        assert.deepEqual(forwardError(r), [diag.code, diag.message]);
        return;
      }
      assert.deepEqual(forwardError(r), undefined);
      assert.deepEqual(shapesOf(r.result.output), e.output, "output");
      assert.deepEqual(costOf(r.result), e.macs === null ? null : [e.macs, e.flops], "macs, flops");
    });
  }

  it("covers every layer type with a rule that appears in the fixtures", () => {
    const seen = new Set<string>();
    for (const k of CASES) seen.add(k.type);
    const files = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".expected.json"))
      .map((f) => f.replace(/\\/g, "/").replace(/\.expected\.json$/, ""));
    assert.ok(files.length > 20);
    for (const f of files) {
      for (const m of report(f).models) {
        for (const l of m.layers) if (layerRule(l.type)) assert.ok(seen.has(l.type), `${f}: ${l.type} has no case`);
      }
    }
  });
});
