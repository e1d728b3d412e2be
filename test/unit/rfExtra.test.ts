// Receptive fields of extra cases (interpolation modes, adaptive pools, pads, crops, SE gates, tokens), numbers from the oracle.
import * as assert from "node:assert/strict";
import type { Dim } from "../../src/core/dim";
import { rfReport } from "../../src/core/rf";
import type { SliceArg, TensorMeta } from "../../src/core/types";
import { Chain, expectedRows, type ExpectedLayer } from "./rfChain";

type Row = [string, string, Dim[], unknown, unknown];

/** Expected rows as /work/shared/tools/oracle.py printed them (PyTorch 1.13) for the case in the comment. */
function rows(rs: Row[]): ExpectedLayer[] {
  return rs.map(([path, type, output, rf, jump]) => ({ path, type, output, rf, jump }));
}

function check(expected: Row[], forward: (c: Chain) => void): void {
  const layers = rows(expected);
  const c = new Chain(layers);
  forward(c);
  assert.deepEqual(c.report(), expectedRows(layers));
}

const sl = (start: number | null, stop: number | null = null, step: number | null = null): SliceArg => ({ kind: "slice", start, stop, step });
const all = sl(null);

describe("rf extra cases: interpolation", () => {
  it("Upsample nearest x1.7, bilinear x1.5, sized align_corners, x0.5", () =>
    // c0 Conv2d(3,8,3,p1); Upsample(1.7, nearest); c1 Conv2d(3, s2); Upsample(1.5, bilinear);
    // c2 Conv2d(3,p1); Upsample((33,29), bilinear, ac); c3 Conv2d(5, s3); Upsample(0.5, bilinear); c4 Conv2d(3)
    check(
      [
        ["c0", "Conv2d", [1, 8, 23, 19], 3, 1],
        ["near", "Upsample", [1, 8, 39, 32], 3, 0.5882352941176471],
        ["c1", "Conv2d", [1, 8, 19, 15], 5, 1.1764705882352942],
        ["bil", "Upsample", [1, 8, 28, 22], 6, 0.7843137254901961],
        ["c2", "Conv2d", [1, 8, 28, 22], 8, 0.7843137254901961],
        ["sized", "Upsample", [1, 8, 33, 29], 8, [0.6654783125371361, 0.5949966193373901]],
        ["c3", "Conv2d", [1, 8, 10, 9], [12, 11], [1.9964349376114081, 1.7849898580121704]],
        ["down", "Upsample", [1, 8, 5, 4], [13, 12], [3.9928698752228162, 3.5699797160243407]],
        ["c4", "Conv2d", [1, 4, 3, 2], [21, 19], [3.9928698752228162, 3.5699797160243407]],
      ],
      (c) => {
        let x = c.layer("c0", "Conv2d", { kernel_size: 3, padding: 1 }, c.input([1, 3, 23, 19]));
        x = c.layer("near", "Upsample", { scale_factor: 1.7, mode: "nearest" }, x);
        x = c.layer("c1", "Conv2d", { kernel_size: 3, stride: 2 }, x);
        x = c.layer("bil", "Upsample", { scale_factor: 1.5, mode: "bilinear", align_corners: false }, x);
        x = c.layer("c2", "Conv2d", { kernel_size: 3, padding: 1 }, x);
        x = c.layer("sized", "Upsample", { size: [33, 29], mode: "bilinear", align_corners: true }, x);
        x = c.layer("c3", "Conv2d", { kernel_size: 5, stride: 3 }, x);
        x = c.layer("down", "Upsample", { scale_factor: 0.5, mode: "bilinear" }, x);
        c.layer("c4", "Conv2d", { kernel_size: 3 }, x);
      },
    ));

  it("F.interpolate nearest-exact, bicubic by size, area recomputed, per-dim nearest", () =>
    check(
      [
        ["a", "Conv2d", [1, 4, 19, 15], 3, 1],
        ["b", "Conv2d", [1, 4, 45, 35], 4, 0.4],
        ["c", "Conv2d", [1, 4, 39, 35], [7, 6], [0.43902439024390244, 0.3783783783783784]],
        ["d", "Conv2d", [1, 4, 21, 19], [9, 8], [0.7444326617179216, 0.6306306306306306]],
        ["e", "Conv2d", [1, 4, 27, 38], [9, 8], [0.5726405090137858, 0.3153153153153153]],
      ],
      (c) => {
        const k3 = { kernel_size: 3 };
        let x = c.layer("a", "Conv2d", k3, c.input([1, 3, 21, 17]));
        x = c.op("interpolate", { input: x, scale_factor: 2.5, mode: "nearest-exact" }, [1, 4, 47, 37]);
        x = c.layer("b", "Conv2d", k3, x);
        x = c.op("interpolate", { input: x, size: [41, 37], mode: "bicubic", align_corners: false }, [1, 4, 41, 37]);
        x = c.layer("c", "Conv2d", k3, x);
        x = c.op("interpolate", { input: x, scale_factor: 0.6, mode: "area", recompute_scale_factor: true }, [1, 4, 23, 21]);
        x = c.layer("d", "Conv2d", k3, x);
        x = c.op("interpolate", { input: x, scale_factor: [1.3, 2.0], mode: "nearest" }, [1, 4, 27, 38]);
        c.layer("e", "Conv2d", { kernel_size: 1 }, x);
      },
    ));

  it("trilinear with per-dim scales; a 1-D second input", () =>
    check(
      [
        ["a", "Conv3d", [1, 2, 5, 7, 9], 3, 1],
        ["up", "Upsample", [1, 2, 10, 10, 11], 4, [0.5, 0.6666666666666666, 0.8]],
        ["b", "Conv3d", [1, 2, 8, 8, 9], [5, 6, 6], [0.5, 0.6666666666666666, 0.8]],
        ["lin", "Conv1d", [1, 2, 15], 3, 2],
      ],
      (c) => {
        let x = c.layer("a", "Conv3d", { kernel_size: 3, padding: 1 }, c.input([1, 2, 5, 7, 9]));
        x = c.layer("up", "Upsample", { scale_factor: [2, 1.5, 1.25], mode: "trilinear" }, x);
        c.layer("b", "Conv3d", { kernel_size: 3 }, x);
        c.layer("lin", "Conv1d", { kernel_size: 3, stride: 2 }, c.input([1, 2, 31]));
      },
    ));
});

describe("rf extra cases: pads, crops, pools, gates, tokens", () => {
  it("F.pad, crops, adaptive pool 7->3, ReflectionPad2d, narrow, chunk + cat", () =>
    check(
      [
        ["a", "Conv2d", [1, 8, 20, 18], 3, 2],
        ["b", "Conv2d", [1, 8, 21, 19], 7, 2],
        ["pool", "AdaptiveAvgPool2d", [1, 8, 3, 3], 11, 4.666666666666667],
        ["c", "Conv2d", [1, 8, 2, 2], 15, 4.666666666666667],
        ["pad", "ReflectionPad2d", [1, 8, 21, 11], 7, [2, 4]],
        ["d", "Conv2d", [1, 8, 19, 9], [11, 15], [2, 4]],
        ["e", "Conv2d", [1, 8, 19, 3], [11, 15], [2, 4]],
        ["f", "Conv2d", [1, 8, 19, 3], [15, 23], [2, 4]],
      ],
      (c) => {
        let x = c.layer("a", "Conv2d", { kernel_size: 3, stride: 2 }, c.input([1, 3, 41, 37]));
        x = c.op("pad", { input: x, pad: [1, 2, 3, 0] }, [1, 8, 23, 21]);
        x = c.layer("b", "Conv2d", { kernel_size: 3 }, x);
        const crop = c.op("getitem", { input: x, index: [all, all, sl(1, 8), sl(null, 7)] }, [1, 8, 7, 7]);
        c.layer("c", "Conv2d", { kernel_size: 2 }, c.layer("pool", "AdaptiveAvgPool2d", { output_size: 3 }, crop));
        x = c.op("getitem", { input: x, index: [all, all, sl(2, -2), sl(1, null, 2)] }, [1, 8, 17, 9]);
        x = c.layer("d", "Conv2d", { kernel_size: 3 }, c.layer("pad", "ReflectionPad2d", { padding: [2, 0, 1, 3] }, x));
        x = c.layer("e", "Conv2d", { kernel_size: 1 }, c.op("narrow", { input: x, dim: 3, start: 1, length: 3 }, [1, 8, 19, 3]));
        const halves = c.op("chunk", { input: x, chunks: 2, dim: 1 }, [1, 4, 19, 3]);
        x = c.op("cat", { tensors: [halves, { ...halves }], dim: 1 }, [1, 8, 19, 3]);
        c.layer("f", "Conv2d", { kernel_size: 3, padding: 1 }, x);
      },
    ));

  it("squeeze-excitation gate and a global mean broadcast do not widen r", () =>
    check(
      [
        ["conv", "Conv2d", [2, 16, 15, 15], 3, 2],
        ["pool", "AdaptiveAvgPool2d", [2, 16, 1, 1], "global", null],
        ["fc1", "Conv2d", [2, 4, 1, 1], "global", null],
        ["fc2", "Conv2d", [2, 16, 1, 1], "global", null],
        ["proj", "Conv2d", [2, 16, 15, 15], 7, 2],
        ["adapt", "AdaptiveMaxPool2d", [2, 16, 5, 7], 11, [6, 4.285714285714286]],
        ["tail", "Conv2d", [2, 16, 3, 5], [23, 19], [6, 4.285714285714286]],
      ],
      (c) => {
        let x = c.layer("conv", "Conv2d", { kernel_size: 3, stride: 2, padding: 1 }, c.input([2, 3, 30, 30]));
        let g = c.layer("fc1", "Conv2d", { kernel_size: 1 }, c.layer("pool", "AdaptiveAvgPool2d", { output_size: 1 }, x));
        g = c.layer("fc2", "Conv2d", { kernel_size: 1 }, c.op("relu", { input: g }, [2, 4, 1, 1]));
        x = c.op("mul", { input: x, other: c.op("sigmoid", { input: g }, [2, 16, 1, 1]) }, [2, 16, 15, 15]);
        x = c.layer("proj", "Conv2d", { kernel_size: 3, padding: 1 }, x);
        const m = c.op("mean", { input: x, dim: [2, 3], keepdim: true }, [2, 16, 1, 1]);
        x = c.op("add", { input: x, other: m }, [2, 16, 15, 15]);
        c.layer("tail", "Conv2d", { kernel_size: 3 }, c.layer("adapt", "AdaptiveMaxPool2d", { output_size: [5, 7] }, x));
      },
    ));

  it("patch tokens: Linear over channels keeps r, over the merged axis and attention are global", () => {
    let back: TensorMeta | undefined;
    check(
      [
        ["patch", "Conv2d", [1, 32, 8, 8], 4, 4],
        ["mlp", "Linear", [1, 64, 32], 4, 4],
        ["mix", "Linear", [1, 32, 64], "global", null],
        ["norm", "LayerNorm", [1, 64, 32], 4, 4],
        ["attn", "MultiheadAttention", [], null, null],
        ["head", "Linear", [1, 10], "global", null],
      ],
      (c) => {
        const p = c.layer("patch", "Conv2d", { kernel_size: 4, stride: 4 }, c.input([1, 3, 32, 32]));
        let t = c.op("transpose", { input: c.op("flatten", { input: p, start_dim: 2 }, [1, 32, 64]), dim0: 1, dim1: 2 }, [1, 64, 32]);
        t = c.layer("mlp", "Linear", { in_features: 32, out_features: 32 }, t);
        c.layer("mix", "Linear", { in_features: 64, out_features: 64 }, c.op("transpose", { input: t, dim0: 1, dim1: 2 }, [1, 32, 64]));
        t = c.layer("norm", "LayerNorm", { normalized_shape: 32 }, t);
        const [a] = c.layerTuple("attn", "MultiheadAttention", { embed_dim: 32, num_heads: 4 }, [t, t, t], [[1, 64, 32], [1, 64, 64]]);
        c.layer("head", "Linear", { in_features: 32, out_features: 10 }, c.op("mean", { input: a, dim: 1 }, [1, 32]));
        const tt = c.op("transpose", { input: t, dim0: 1, dim1: 2 }, [1, 32, 64]);
        back = c.op("reshape", { input: tt, shape: [1, 32, 8, 8] }, [1, 32, 8, 8]);
      },
    );
    // tokens reshaped back to the image get their spans back
    assert.deepEqual(rfReport((back as TensorMeta).rf as never), { rf: 4, jump: 4 });
  });

  it("crops after a transposed conv, cat of branches with different jumps", () =>
    check(
      [
        ["a", "ConvTranspose2d", [1, 4, 19, 23], 2, 0.5],
        ["b", "Conv2d", [1, 4, 17, 21], 3, 0.5],
        ["c", "Conv2d", [1, 4, 17, 7], [4, 10], 0.5],
        ["d", "MaxPool2d", [1, 4, 9, 4], [5, 13], 1],
      ],
      (c) => {
        const y = c.layer("b", "Conv2d", { kernel_size: 3 }, c.layer("a", "ConvTranspose2d", { kernel_size: 3, stride: 2 }, c.input([1, 3, 9, 11])));
        let z = c.op("getitem", { input: y, index: ["...", sl(1, -1), sl(null, null, 3)] }, [1, 4, 15, 7]);
        z = c.op("pad", { input: z, pad: [0, 0, 2, 2] }, [1, 4, 19, 7]);
        z = c.op("getitem", { input: z, index: [all, all, sl(null, 17), all] }, [1, 4, 17, 7]);
        const y7 = c.op("getitem", { input: y, index: [all, all, all, sl(null, 7)] }, [1, 4, 17, 7]);
        const w = c.op("cat", { tensors: [y7, z], dim: 1 }, [1, 8, 17, 7]);
        c.layer("d", "MaxPool2d", { kernel_size: 3, stride: 2, padding: 1 }, c.layer("c", "Conv2d", { kernel_size: 3, padding: 1 }, w));
      },
    ));

  it("ops on the model input: crop, stack/view, sum + expand, permute, indexing a spatial dim away", () =>
    check(
      [
        ["drop", "Dropout", [1, 3, 35, 32], 1, 1],
        ["a", "Conv2d", [1, 4, 30, 26], 3, 1],
        ["b", "Conv2d", [1, 4, 14, 12], 5, 2],
        ["c", "Conv2d", [1, 4, 14, 12], 5, 2],
        ["d", "Conv1d", [1, 4, 12], null, null],
        ["e", "Conv2d", [1, 4, 12, 10], null, null],
      ],
      (c) => {
        const x = c.input([1, 3, 35, 32]);
        c.layer("drop", "Dropout", { p: 0.1 }, x);
        const crop = c.op("getitem", { input: x, index: [all, all, sl(3), sl(2, 30)] }, [1, 3, 32, 28]);
        let y = c.layer("b", "Conv2d", { kernel_size: 3, stride: 2 }, c.layer("a", "Conv2d", { kernel_size: 3 }, crop));
        y = c.op("squeeze", { input: c.op("unsqueeze", { input: y, dim: 1 }, [1, 1, 4, 14, 12]), dim: 1 }, [1, 4, 14, 12]);
        const s = c.op("view", { input: c.op("stack", { tensors: [y, y], dim: 1 }, [1, 2, 4, 14, 12]), size: [1, 8, 14, 12] }, [1, 8, 14, 12]);
        const u = c.layer("c", "Conv2d", { kernel_size: 1 }, s);
        const w = c.op("expand", { input: c.op("sum", { input: u, dim: 1, keepdim: true }, [1, 1, 14, 12]), size: [1, 4, 14, 12] }, [1, 4, 14, 12]);
        const p = c.op("permute", { input: w, dims: [0, 1, 3, 2] }, [1, 4, 12, 14]);
        c.layer("d", "Conv1d", { kernel_size: 3 }, c.op("getitem", { input: p, index: [all, all, 0, all] }, [1, 4, 14]));
        const m = c.op("amax", { input: w, dim: 3, keepdim: true }, [1, 4, 14, 1]);
        const r = c.op("add", { input: c.op("expand", { input: m, size: [1, 4, 14, 12] }, [1, 4, 14, 12]), other: w }, [1, 4, 14, 12]);
        c.layer("e", "Conv2d", { kernel_size: 3 }, r);
      },
    ));

  it("functional pools, adaptive max, pixel (un)shuffle, Linear over permuted channels, F.conv2d", () =>
    check(
      [
        ["a", "Conv2d", [2, 4, 61, 67], 3, 1],
        ["b", "Conv2d", [2, 4, 25, 15], [17, 15], [2, 4]],
        ["c", "Conv2d", [2, 4, 4, 3], [41, 47], [8.333333333333334, 12]],
        ["d", "Linear", [2, 4, 3, 4], null, null],
        ["e", "Conv2d", [2, 4, 2, 1], null, null],
      ],
      (c) => {
        let x = c.layer("a", "Conv2d", { kernel_size: 3, padding: 1 }, c.input([2, 3, 61, 67]));
        x = c.op("avg_pool2d", { input: x, kernel_size: 3, stride: 2, padding: 1 }, [2, 4, 31, 34]);
        x = c.op("max_pool2d", { input: x, kernel_size: [3, 2], stride: [1, 2], dilation: [2, 1] }, [2, 4, 27, 17]);
        x = c.layer("b", "Conv2d", { kernel_size: 3 }, x);
        x = c.op("adaptive_max_pool2d", { input: x, output_size: [6, 5] }, [2, 4, 6, 5]);
        x = c.op("pixel_shuffle", { input: x, upscale_factor: 2 }, [2, 1, 12, 10]);
        x = c.layer("c", "Conv2d", { kernel_size: 3 }, c.op("pixel_unshuffle", { input: x, downscale_factor: 2 }, [2, 4, 6, 5]));
        let t = c.op("permute", { input: x, dims: [0, 2, 3, 1] }, [2, 4, 3, 4]);
        t = c.op("permute", { input: c.layer("d", "Linear", { in_features: 4, out_features: 4 }, t), dims: [0, 3, 1, 2] }, [2, 4, 4, 3]);
        t = c.op("pad", { input: t, pad: [1, 1, 1, 1], mode: "replicate" }, [2, 4, 6, 5]);
        const weight = { kind: "tensor", shape: [4, 4, 3, 3], dtype: "float" } as const;
        c.layer("e", "Conv2d", { kernel_size: 3 }, c.op("conv2d", { input: t, weight, stride: 1, dilation: 1 }, [2, 4, 4, 3]));
      },
    ));
});
