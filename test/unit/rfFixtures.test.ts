// Receptive fields of the seed and layer-zoo fixtures, replayed through layerRf/opRf (numbers from real PyTorch).
import * as assert from "node:assert/strict";
import type { Args } from "../../src/core/types";
import { Chain, expectedRows, fixtureLayers } from "./rfChain";

function check(fixture: string, model: string, forward: (c: Chain) => void): void {
  const layers = fixtureLayers(fixture, model);
  const c = new Chain(layers);
  forward(c);
  assert.deepEqual(c.report(), expectedRows(layers));
}

describe("rf fixtures: seed", () => {
  it("head_tail: 5x5 conv stacks", () =>
    check("seed/head_tail", "Network", (c) => {
      let x = c.input([1, 3, 32, 32]);
      const ch = [20, 64, 32, 3];
      ["head", "tail"].forEach((part, p) => {
        for (let i = 0; i < 2; i++) {
          x = c.layer(`${part}.${2 * i}`, "Conv2d", { in_channels: 3, out_channels: ch[2 * p + i], kernel_size: 5 }, x);
          x = c.layer(`${part}.${2 * i + 1}`, "ReLU", {}, x);
        }
      });
    }));

  it("conv_ladder: strides, padding, dilation", () =>
    check("seed/conv_ladder", "ladder", (c) => {
      let x = c.input([1, 3, 64, 64]);
      const convs: Args[] = [
        { kernel_size: 3 },
        { kernel_size: 3, padding: 1 },
        { kernel_size: 4, stride: 2, padding: 1 },
        { kernel_size: 3, stride: 2 },
        { kernel_size: 3, dilation: 2 },
        { kernel_size: 5, stride: 3, padding: 2 },
        { kernel_size: 1 },
        { kernel_size: 2, stride: 2 },
      ];
      convs.forEach((a, i) => (x = c.layer(String(i), "Conv2d", a, x)));
    }));

  it("upsample_bicubic: bicubic x2 with align_corners", () =>
    check("seed/upsample_bicubic", "Refiner", (c) => {
      const img = c.input([1, 3, 24, 24]);
      const up = c.layer("upsample", "Upsample", { scale_factor: 2, mode: "bicubic", align_corners: true }, img);
      let x = c.layer("conv_in", "Conv2d", { kernel_size: 3, padding: 1 }, up);
      x = c.layer("act", "ReLU", {}, x);
      x = c.layer("conv_out", "Conv2d", { kernel_size: 3, padding: 1 }, x);
      c.op("add", { input: x, other: up }, [1, 3, 48, 48]);
    }));

  it("convtranspose_3x3: stride-2 transposed conv", () =>
    check("seed/convtranspose_3x3", "Upscaler", (c) => {
      c.layer("up", "ConvTranspose2d", { kernel_size: 3, stride: 2, padding: 1 }, c.input([1, 1, 3, 3]));
    }));

  it("superres_pixelshuffle: PixelShuffle(3) gives jump 1/3", () =>
    check("seed/superres_pixelshuffle", "SuperResolution", (c) => {
      let x = c.input([1, 1, 64, 64]);
      x = c.layer("conv1", "Conv2d", { kernel_size: 5, padding: 2 }, x);
      x = c.op("tanh", { input: x }, [1, 64, 64, 64]);
      x = c.layer("conv2", "Conv2d", { kernel_size: 3, padding: 1 }, x);
      x = c.op("tanh", { input: x }, [1, 32, 64, 64]);
      x = c.layer("conv3", "Conv2d", { kernel_size: 3, padding: 1 }, x);
      x = c.layer("shuffle", "PixelShuffle", { upscale_factor: 3 }, x);
      c.op("sigmoid", { input: x }, [1, 1, 192, 192]);
    }));
});

describe("rf fixtures: layer zoo", () => {
  it("pool_ceil_padding: per-dim rf and jump", () =>
    check("layer_zoo/pool_ceil_padding", "PoolZoo", (c) => {
      let x = c.layer("conv", "Conv2d", { kernel_size: 3 }, c.input([1, 3, 30, 30]));
      x = c.layer("p1", "MaxPool2d", { kernel_size: 3, stride: 2, ceil_mode: true }, x);
      x = c.layer("p2", "AvgPool2d", { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false }, x);
      x = c.layer("p3", "MaxPool2d", { kernel_size: 2, stride: 1, padding: 1, dilation: 2 }, x);
      x = c.layer("p4", "AvgPool2d", { kernel_size: [2, 3], stride: [2, 1] }, x);
      c.layer("p5", "MaxPool2d", { kernel_size: 2, ceil_mode: true }, x);
    }));

  it("padding_same: same/valid padding, then a Conv1d over a merged axis is null", () =>
    check("layer_zoo/padding_same", "SamePadding", (c) => {
      let x = c.input([1, 3, 21, 30]);
      x = c.layer("a", "Conv2d", { kernel_size: 3, padding: "same" }, x);
      x = c.layer("b", "Conv2d", { kernel_size: 4, padding: "same" }, x);
      x = c.layer("c", "Conv2d", { kernel_size: 3, padding: "same", dilation: 3 }, x);
      x = c.layer("d", "Conv2d", { kernel_size: [1, 5], padding: "same" }, x);
      x = c.layer("e", "Conv2d", { kernel_size: 3, padding: "valid" }, x);
      x = c.op("reshape", { input: x, shape: [1, 4, 532] }, [1, 4, 532]);
      c.layer("f", "Conv1d", { kernel_size: 6, padding: "same" }, x);
    }));

  it("pixel_unshuffle: space to depth and back", () =>
    check("layer_zoo/pixel_unshuffle", "SpaceToDepthNet", (c) => {
      let x = c.layer("down", "PixelUnshuffle", { downscale_factor: 2 }, c.input([1, 3, 64, 64]));
      x = c.layer("body", "Conv2d", { kernel_size: 3, padding: 1 }, x);
      x = c.layer("act", "PReLU", { num_parameters: 48 }, x);
      x = c.layer("up", "PixelShuffle", { upscale_factor: 2 }, x);
      c.layer("out", "Conv2d", { kernel_size: 3, padding: 1 }, x);
    }));

  it("convtranspose_1d_3d: fractional jumps per dim", () => {
    check("layer_zoo/convtranspose_1d_3d", "SignalDecoder", (c) => {
      let z = c.layer("up1", "ConvTranspose1d", { kernel_size: 4, stride: 2, padding: 1 }, c.input([1, 64, 25]));
      z = c.op("relu", { input: z }, [1, 32, 50]);
      z = c.layer("up2", "ConvTranspose1d", { kernel_size: 5, stride: 3, output_padding: 2 }, z);
      z = c.op("relu", { input: z }, [1, 16, 154]);
      z = c.layer("out", "Conv1d", { kernel_size: 7, padding: 3 }, z);
      c.op("tanh", { input: z }, [1, 1, 154]);
    });
    check("layer_zoo/convtranspose_1d_3d", "VolumeDecoder", (c) => {
      let v = c.layer("up1", "ConvTranspose3d", { kernel_size: 2, stride: 2 }, c.input([1, 32, 4, 6, 6]));
      v = c.op("relu", { input: v }, [1, 16, 8, 12, 12]);
      v = c.layer("up2", "ConvTranspose3d", { kernel_size: 3, stride: [1, 2, 2], padding: 1, output_padding: [0, 1, 1] }, v);
      v = c.op("relu", { input: v }, [1, 8, 8, 24, 24]);
      c.layer("head", "Conv3d", { kernel_size: 1 }, v);
    });
  });

  it("dilation_depthwise: dilated, depthwise and grouped convs", () =>
    check("layer_zoo/dilation_depthwise", "ContextModule", (c) => {
      let x = c.input([1, 3, 48, 48]);
      const steps: [string, Args][] = [
        ["stem", { kernel_size: 3, padding: 1 }],
        ["d2", { kernel_size: 3, padding: 2, dilation: 2 }],
        ["d4", { kernel_size: 3, padding: 4, dilation: 4 }],
        ["d8", { kernel_size: 3, dilation: 8 }],
      ];
      for (const [name, args] of steps) {
        x = c.layer(name, "Conv2d", args, x);
        x = c.op("relu", { input: x }, (x.shape as number[]).slice());
      }
      x = c.layer("depthwise", "Conv2d", { kernel_size: 5, padding: 2, groups: 32 }, x);
      x = c.layer("grouped", "Conv2d", { kernel_size: 3, stride: 2, padding: 1, groups: 4 }, x);
      c.layer("pointwise", "Conv2d", { kernel_size: 1 }, x);
    }));

  it("flatten_unflatten: global passes through Unflatten and transposed convs", () =>
    check("layer_zoo/flatten_unflatten", "ConvAutoencoder", (c) => {
      let x = c.input([8, 1, 28, 28]);
      x = c.layer("encoder.0", "Conv2d", { kernel_size: 3, stride: 2, padding: 1 }, x);
      x = c.layer("encoder.1", "ReLU", {}, x);
      x = c.layer("encoder.2", "Conv2d", { kernel_size: 3, stride: 2, padding: 1 }, x);
      x = c.layer("encoder.3", "ReLU", {}, x);
      x = c.layer("encoder.4", "Flatten", {}, x);
      const z = c.layer("encoder.5", "Linear", { in_features: 1568, out_features: 16 }, x);
      x = c.layer("decoder.0", "Linear", { in_features: 16, out_features: 1568 }, z);
      x = c.layer("decoder.1", "ReLU", {}, x);
      x = c.layer("decoder.2", "Unflatten", { dim: 1, unflattened_size: [32, 7, 7] }, x);
      x = c.layer("decoder.3", "ConvTranspose2d", { kernel_size: 3, stride: 2, padding: 1, output_padding: 1 }, x);
      x = c.layer("decoder.4", "ReLU", {}, x);
      x = c.layer("decoder.5", "ConvTranspose2d", { kernel_size: 3, stride: 2, padding: 1, output_padding: 1 }, x);
      c.layer("decoder.6", "Sigmoid", {}, x);
    }));

  it("mha_self_attention: tokens from the start stay null", () =>
    check("layer_zoo/mha_self_attention", "AttentionBlock", (c) => {
      const x = c.input([2, 10, 64]);
      const h = c.layer("norm", "LayerNorm", { normalized_shape: 64 }, x);
      const a = c.layer("attn", "MultiheadAttention", { embed_dim: 64, num_heads: 4 }, [h, h, h], [2, 10, 64]);
      const p = c.layer("proj", "Linear", { in_features: 64, out_features: 64 }, a);
      c.op("add", { input: x, other: p }, [2, 10, 64]);
    }));

  it("embedding_lstm: integer inputs have no rf", () =>
    check("layer_zoo/embedding_lstm", "SentimentLSTM", (c) => {
      const ids = c.input([4, 30], "long");
      const e = c.layer("embedding", "Embedding", { num_embeddings: 5000, embedding_dim: 64 }, ids);
      const out = c.layer("lstm", "LSTM", { input_size: 64, hidden_size: 48 }, e, [4, 30, 96]);
      const last = c.op("cat", { tensors: [out, out], dim: 1 }, [4, 96]);
      const d = c.layer("dropout", "Dropout", { p: 0.3 }, last);
      c.layer("fc", "Linear", { in_features: 96, out_features: 2 }, d);
    }));

  it("norms: every norm keeps the conv's rf", () =>
    check("layer_zoo/norms", "NormZoo", (c) => {
      let x = c.layer("conv", "Conv2d", { kernel_size: 3, padding: 1 }, c.input([2, 3, 12, 12]));
      for (const [p, t] of [
        ["bn", "BatchNorm2d"],
        ["gn", "GroupNorm"],
        ["inorm", "InstanceNorm2d"],
        ["inorm_affine", "InstanceNorm2d"],
        ["ln", "LayerNorm"],
        ["ln_plain", "LayerNorm"],
      ]) {
        x = c.layer(p, t, {}, x);
      }
    }));
});
