// More receptive-field cases from the oracle: upsampling layers, negative pads, 1-D pads/pools, reshapes that split the image.
import * as assert from "node:assert/strict";
import type { Dim } from "../../src/core/dim";
import type { SliceArg } from "../../src/core/types";
import { Chain, expectedRows, type ExpectedLayer } from "./rfChain";

type Row = [string, string, Dim[], unknown, unknown];

function check(expected: Row[], forward: (c: Chain) => void): void {
  const layers: ExpectedLayer[] = expected.map(([path, type, output, rf, jump]) => ({ path, type, output, rf, jump }));
  const c = new Chain(layers);
  forward(c);
  assert.deepEqual(c.report(), expectedRows(layers));
}

const sl = (start: number | null, stop: number | null = null, step: number | null = null): SliceArg => ({ kind: "slice", start, stop, step });

describe("rf more oracle cases", () => {
  it("dilated stride-3 transposed conv, UpsamplingBilinear2d/Nearest2d, bicubic by size, negative F.pad, PixelShuffle", () =>
    check(
      [
        ["a", "ConvTranspose2d", [1, 4, 21, 27], 2, 0.3333333333333333],
        ["b", "Conv2d", [1, 4, 10, 13], 3, 0.6666666666666666],
        ["up", "UpsamplingBilinear2d", [1, 4, 30, 39], 3, 0.2222222222222222],
        ["near", "UpsamplingNearest2d", [1, 4, 40, 50], 3, [0.16666666666666666, 0.17333333333333334]],
        ["c", "Conv2d", [1, 4, 40, 50], 4, [0.16666666666666666, 0.17333333333333334]],
        ["zp", "ZeroPad2d", [1, 4, 44, 54], 4, [0.16666666666666666, 0.17333333333333334]],
        ["d", "Conv2d", [1, 4, 20, 25], 5, [0.3333333333333333, 0.3466666666666667]],
        ["shuf", "PixelShuffle", [1, 1, 74, 94], [5, 6], [0.08333333333333333, 0.08666666666666667]],
        ["e", "Conv2d", [1, 2, 72, 92], 6, [0.08333333333333333, 0.08666666666666667]],
      ],
      (c) => {
        let x = c.layer("a", "ConvTranspose2d", { kernel_size: 3, stride: 3, padding: 1, dilation: 2 }, c.input([1, 3, 7, 9]));
        x = c.layer("b", "Conv2d", { kernel_size: 3, stride: 2 }, x);
        let y = c.layer("up", "UpsamplingBilinear2d", { size: null, scale_factor: 3 }, x);
        y = c.layer("near", "UpsamplingNearest2d", { size: [40, 50], scale_factor: null }, y);
        y = c.layer("c", "Conv2d", { kernel_size: 3, padding: 1 }, y);
        let z = c.layer("d", "Conv2d", { kernel_size: 5, stride: 2 }, c.layer("zp", "ZeroPad2d", { padding: 2 }, y));
        z = c.op("interpolate", { input: z, size: [40, 50], mode: "bicubic", align_corners: false }, [1, 4, 40, 50]);
        let w = c.op("add", { input: y, other: z }, [1, 4, 40, 50]);
        w = c.op("pad", { input: w, pad: [-1, -2, 0, -3] }, [1, 4, 37, 47]);
        c.layer("e", "Conv2d", { kernel_size: 3 }, c.layer("shuf", "PixelShuffle", { upscale_factor: 2 }, w));
      },
    ));

  it("1-D: ConstantPad1d, ReplicationPad1d, adaptive 147 -> 13, padded transposed conv, strided crop, dilated ceil-mode pool", () =>
    check(
      [
        ["pad", "ConstantPad1d", [2, 1, 305], 1, 1],
        ["a", "Conv1d", [2, 8, 151], 4, 2],
        ["rp", "ReplicationPad1d", [2, 8, 155], 4, 2],
        ["b", "Conv1d", [2, 8, 147], 20, 2],
        ["pool", "AdaptiveAvgPool1d", [2, 8, 13], 44, 22.615384615384617],
        ["up", "ConvTranspose1d", [2, 8, 37], 66, 7.538461538461538],
        ["c", "Conv1d", [2, 8, 35], 66, 7.538461538461538],
        ["mp", "MaxPool1d", [2, 8, 8], 134, 30.153846153846153],
      ],
      (c) => {
        let s = c.layer("pad", "ConstantPad1d", { padding: [3, 1], value: 0 }, c.input([2, 1, 301]));
        s = c.layer("rp", "ReplicationPad1d", { padding: 2 }, c.layer("a", "Conv1d", { kernel_size: 4, stride: 2 }, s));
        s = c.layer("b", "Conv1d", { kernel_size: 5, dilation: 2 }, s);
        const p = c.layer("pool", "AdaptiveAvgPool1d", { output_size: 13 }, s);
        let u = c.layer("up", "ConvTranspose1d", { kernel_size: 4, stride: 3, padding: 2, output_padding: 1 }, p);
        u = c.op("getitem", { input: c.layer("c", "Conv1d", { kernel_size: 3 }, u), index: [sl(null), sl(null), sl(1, null, 2)] }, [2, 8, 17]);
        c.layer("mp", "MaxPool1d", { kernel_size: 3, stride: 2, padding: 1, dilation: 2, ceil_mode: true }, u);
      },
    ));

  it("flatten and view back, Unflatten splitting the merged axis, stack + sum, a view that splits the image", () =>
    check(
      [
        ["a", "Conv2d", [2, 4, 16, 16], 3, 2],
        ["b", "Conv2d", [2, 4, 16, 16], 7, 2],
        ["unf", "Unflatten", [2, 4, 4, 64], null, null],
        ["c", "Conv2d", [2, 4, 14, 14], 11, 2],
        ["b", "Conv2d", [2, 4, 16, 16], 11, 2],
        ["d", "Conv2d", [2, 4, 16, 16], 11, 2],
        ["e", "Conv2d", [2, 4, 8, 32], null, null],
      ],
      (c) => {
        const y = c.layer("a", "Conv2d", { kernel_size: 3, stride: 2, padding: 1 }, c.input([2, 3, 32, 32]));
        const f = c.op("flatten", { input: y, start_dim: 1 }, [2, 1024]);
        const g = c.layer("b", "Conv2d", { kernel_size: 3, padding: 1 }, c.op("view", { input: f, size: [2, 4, 16, 16] }, [2, 4, 16, 16]));
        c.layer("unf", "Unflatten", { dim: 2, unflattened_size: [4, 64] }, c.op("flatten", { input: g, start_dim: 2 }, [2, 4, 256]));
        c.op("cat", { tensors: [g, g], dim: 3 }, [2, 4, 16, 32]);
        const t = c.op("sum", { input: c.op("stack", { tensors: [g, g], dim: 0 }, [2, 2, 4, 16, 16]), dim: 0 }, [2, 4, 16, 16]);
        c.layer("c", "Conv2d", { kernel_size: 3 }, t);
        const bg = c.layer("b", "Conv2d", { kernel_size: 3, padding: 1 }, g);
        c.layer("d", "Conv2d", { kernel_size: 1 }, c.op("cat", { tensors: [g, bg], dim: 1 }, [2, 8, 16, 16]));
        c.layer("e", "Conv2d", { kernel_size: 1 }, c.op("view", { input: g, size: [2, 4, 8, 32] }, [2, 4, 8, 32]));
      },
    ));
});
