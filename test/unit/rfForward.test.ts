// Receptive fields of custom forwards: skips, merges, global pools, Flatten/Linear, several inputs.
import * as assert from "node:assert/strict";
import type { Dim } from "../../src/core/dim";
import type { TensorMeta } from "../../src/core/types";
import { Chain, expectedRows, fixtureLayers } from "./rfChain";

function check(fixture: string, model: string, forward: (c: Chain) => void): void {
  const layers = fixtureLayers(fixture, model);
  const c = new Chain(layers);
  forward(c);
  assert.deepEqual(c.report(), expectedRows(layers));
}

const shape = (t: TensorMeta): Dim[] => (t.shape as Dim[]).slice();

describe("rf fixtures: custom forwards", () => {
  it("unet_tiny: misaligned skips joined by cat", () =>
    check("custom_forward/unet_tiny", "TinyUNet", (c) => {
      const double = (name: string, x: TensorMeta): TensorMeta => {
        let y = c.layer(`${name}.c1`, "Conv2d", { kernel_size: 3, padding: 1 }, x);
        y = c.op("relu", { input: y }, shape(y));
        y = c.layer(`${name}.c2`, "Conv2d", { kernel_size: 3, padding: 1 }, y);
        return c.op("relu", { input: y }, shape(y));
      };
      const pool = (x: TensorMeta, s: Dim[]): TensorMeta => c.op("max_pool2d", { input: x, kernel_size: 2 }, s);
      const s1 = double("enc1", c.input([1, 1, 64, 64]));
      const s2 = double("enc2", pool(s1, [1, 8, 32, 32]));
      const b = double("bottom", pool(s2, [1, 16, 16, 16]));
      const u2 = c.layer("up2", "ConvTranspose2d", { kernel_size: 2, stride: 2 }, b);
      const d2 = double("dec2", c.op("cat", { tensors: [u2, s2], dim: 1 }, [1, 32, 32, 32]));
      const u1 = c.layer("up1", "ConvTranspose2d", { kernel_size: 2, stride: 2 }, d2);
      const d1 = double("dec1", c.op("cat", { tensors: [u1, s1], dim: 1 }, [1, 16, 64, 64]));
      c.layer("out", "Conv2d", { kernel_size: 1 }, d1);
    }));

  it("multi_output: global after AdaptiveAvgPool2d(1), kept by Flatten and Linear", () =>
    check("custom_forward/multi_output", "MultiTaskNet", (c) => {
      let x = c.input([3, 3, 48, 48]);
      x = c.layer("backbone.0", "Conv2d", { kernel_size: 3, stride: 2, padding: 1 }, x);
      x = c.layer("backbone.1", "ReLU", {}, x);
      x = c.layer("backbone.2", "Conv2d", { kernel_size: 3, stride: 2, padding: 1 }, x);
      x = c.layer("backbone.3", "ReLU", {}, x);
      x = c.layer("backbone.4", "AdaptiveAvgPool2d", { output_size: 1 }, x);
      const emb = c.layer("backbone.5", "Flatten", {}, x);
      c.layer("cls_head", "Linear", { in_features: 64, out_features: 20 }, emb);
      const box = c.layer("box_head", "Linear", { in_features: 64, out_features: 4 }, emb);
      c.op("sigmoid", { input: box }, [3, 4]);
    }));

  it("two_inputs: a Linear on the 2-D metadata input is null", () =>
    check("custom_forward/two_inputs", "ImageWithMetadata", (c) => {
      const image = c.input([8, 3, 40, 40]);
      const meta = c.input([8, 12]);
      let x = c.layer("cnn.0", "Conv2d", { kernel_size: 3, padding: 1 }, image);
      x = c.layer("cnn.1", "ReLU", {}, x);
      x = c.layer("cnn.2", "MaxPool2d", { kernel_size: 2 }, x);
      x = c.layer("cnn.3", "Conv2d", { kernel_size: 3, padding: 1 }, x);
      x = c.layer("cnn.4", "ReLU", {}, x);
      x = c.layer("cnn.5", "AdaptiveAvgPool2d", { output_size: [1, 1] }, x);
      const a = c.op("view", { input: x, size: [8, -1] }, [8, 32]);
      let b = c.layer("meta", "Linear", { in_features: 12, out_features: 16 }, meta);
      b = c.op("relu", { input: b }, [8, 16]);
      c.layer("classifier", "Linear", { in_features: 48, out_features: 3 }, c.op("cat", { tensors: [a, b], dim: 1 }, [8, 48]));
    }));

  it("residual_add: residual units, then a mean over H, W", () =>
    check("custom_forward/residual_add", "ResidualNet", (c) => {
      const unit = (name: string, x: TensorMeta): TensorMeta => {
        let y = c.layer(`${name}.conv1`, "Conv2d", { kernel_size: 3, padding: 1 }, x);
        y = c.op("relu", { input: c.layer(`${name}.bn1`, "BatchNorm2d", {}, y) }, shape(y));
        y = c.layer(`${name}.conv2`, "Conv2d", { kernel_size: 3, padding: 1 }, y);
        y = c.layer(`${name}.bn2`, "BatchNorm2d", {}, y);
        return c.op("relu", { input: c.op("add", { input: x, other: y }, shape(y)) }, shape(y));
      };
      let x = c.layer("entry", "Conv2d", { kernel_size: 3, padding: 1 }, c.input([2, 3, 32, 32]));
      x = c.op("relu", { input: x }, shape(x));
      x = unit("unit1", x);
      x = c.op("max_pool2d", { input: x, kernel_size: 2 }, [2, 32, 16, 16]);
      x = unit("unit2", x);
      x = c.op("mean", { input: x, dim: [2, 3] }, [2, 32]);
      c.layer("fc", "Linear", { in_features: 32, out_features: 10 }, x);
    }));

  it("inception_cat: parallel branches concatenated on channels", () =>
    check("custom_forward/inception_cat", "MiniInception", (c) => {
      const mixed = (name: string, x: TensorMeta, ch: number[]): TensorMeta => {
        const r = (t: TensorMeta): TensorMeta => c.op("relu", { input: t }, shape(t));
        const y1 = r(c.layer(`${name}.b1`, "Conv2d", { kernel_size: 1 }, x));
        const y3 = r(c.layer(`${name}.b3`, "Conv2d", { kernel_size: 3, padding: 1 }, r(c.layer(`${name}.b3_reduce`, "Conv2d", { kernel_size: 1 }, x))));
        const y5 = r(c.layer(`${name}.b5`, "Conv2d", { kernel_size: 5, padding: 2 }, r(c.layer(`${name}.b5_reduce`, "Conv2d", { kernel_size: 1 }, x))));
        const p = c.layer(`${name}.pool`, "MaxPool2d", { kernel_size: 3, stride: 1, padding: 1 }, x);
        const yp = r(c.layer(`${name}.pool_proj`, "Conv2d", { kernel_size: 1 }, p));
        const s = shape(x);
        return c.op("cat", { tensors: [y1, y3, y5, yp], dim: 1 }, [s[0], ch.reduce((a, b) => a + b), s[2], s[3]]);
      };
      let x = c.layer("stem", "Conv2d", { kernel_size: 3, padding: 1 }, c.input([1, 3, 32, 32]));
      x = mixed("mix_a", c.op("relu", { input: x }, shape(x)), [32, 64, 16, 16]);
      x = c.layer("down", "MaxPool2d", { kernel_size: 3, stride: 2, padding: 1 }, x);
      x = mixed("mix_b", x, [64, 96, 48, 32]);
      x = c.op("adaptive_avg_pool2d", { input: x, output_size: 1 }, [1, 240, 1, 1]);
      c.layer("head", "Linear", { in_features: 240, out_features: 10 }, c.op("flatten", { input: x, start_dim: 1 }, [1, 240]));
    }));

  it("functional_convnet: F.max_pool2d and view before the Linears", () =>
    check("custom_forward/functional_convnet", "Net", (c) => {
      let x = c.layer("conv1", "Conv2d", { kernel_size: 5 }, c.input([4, 3, 32, 32]));
      x = c.op("max_pool2d", { input: c.op("relu", { input: x }, shape(x)), kernel_size: [2, 2] }, [4, 6, 14, 14]);
      x = c.layer("conv2", "Conv2d", { kernel_size: 5 }, x);
      x = c.op("max_pool2d", { input: c.op("relu", { input: x }, shape(x)), kernel_size: 2 }, [4, 16, 5, 5]);
      x = c.op("view", { input: x, size: [4, -1] }, [4, 400]);
      x = c.layer("fc1", "Linear", { in_features: 400, out_features: 120 }, x);
      x = c.layer("fc2", "Linear", { in_features: 120, out_features: 84 }, c.op("relu", { input: x }, [4, 120]));
      c.layer("fc3", "Linear", { in_features: 84, out_features: 10 }, c.op("relu", { input: x }, [4, 84]));
    }));
});

describe("rf fixtures: sequential and structure", () => {
  it("lenet5_seqvar: Flatten keeps rf 16 / jump 4, the Linear after it is global", () =>
    check("sequential/lenet5_seqvar", "lenet", (c) => {
      let x = c.input([1, 1, 28, 28]);
      const seq: [string, Record<string, number>][] = [
        ["Conv2d", { kernel_size: 5, padding: 2 }],
        ["Sigmoid", {}],
        ["AvgPool2d", { kernel_size: 2 }],
        ["Conv2d", { kernel_size: 5 }],
        ["Sigmoid", {}],
        ["AvgPool2d", { kernel_size: 2 }],
        ["Flatten", {}],
        ["Linear", { in_features: 400, out_features: 120 }],
        ["Sigmoid", {}],
        ["Linear", { in_features: 120, out_features: 84 }],
        ["Sigmoid", {}],
        ["Linear", { in_features: 84, out_features: 10 }],
      ];
      seq.forEach(([t, a], i) => (x = c.layer(String(i), t, a, x)));
    }));

  it("modulelist_stack: dilated 1-D convs with residual adds", () =>
    check("structure/modulelist_stack", "DilatedStack", (c) => {
      let x = c.layer("inp", "Conv1d", { kernel_size: 1 }, c.input([2, 1, 256]));
      for (let i = 0; i < 5; i++) {
        let y = c.layer(`convs.${i}`, "Conv1d", { kernel_size: 3, dilation: 2 ** i, padding: 2 ** i }, x);
        y = c.layer(`norms.${i}`, "BatchNorm1d", { num_features: 32 }, y);
        x = c.op("add", { input: x, other: c.op("relu", { input: y }, [2, 32, 256]) }, [2, 32, 256]);
      }
      c.layer("out", "Conv1d", { kernel_size: 1 }, x);
    }));
});
