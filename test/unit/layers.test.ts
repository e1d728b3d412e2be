// Layer rules: the worked formulas, symbolic sizes, exact-integer limits, fixes, unknowns and explain lines.
import * as assert from "node:assert/strict";
import { format, symbol } from "../../src/core/dim";
import { LAYER_RULES } from "../../src/core/layers";
import { isTensor, isUnknown, withSeqKind, type SeqKind } from "../../src/core/types";
import { costOf, forwardError, L, run, shapesOf, T } from "./layers.helpers";

const N = symbol("N");
const H = symbol("H");
const W = symbol("W");

describe("layer rules: the seed's worked formulas", () => {
  it("Conv2d(3, 20, 5) on 32x32: out 28, params (3·5·5 + 1)·20, MACs and FLOPs", () => {
    const r = run("Conv2d", [3, 20, 5], {}, [T(1, 3, 32, 32)]);
    assert.deepEqual(shapesOf(r.result.output), [1, 20, 28, 28]);
    assert.equal(r.params.total, (3 * 5 * 5 + 1) * 20);
    assert.deepEqual(r.params.parts, [["weight", 1500], ["bias", 20]]);
    assert.deepEqual(costOf(r.result), [1_176_000, 2_352_000]);
  });

  const linear = [
    // [I, O, bias, input, params, macs, flops]: params (I + 1)·O; FLOPs [I + (I − 1) + 1]·O per row
    [320, 50, true, [2, 320], 321 * 50, 2 * 320 * 50, 2 * 50 * (2 * 320)],
    [784, 64, true, [4, 784], 785 * 64, 4 * 784 * 64, 4 * 64 * (2 * 784)],
    [64, 10, false, [3, 7, 64], 64 * 10, 21 * 64 * 10, 21 * 10 * (2 * 64 - 1)],
    [16, 8, true, [16], 17 * 8, 16 * 8, 8 * 32],
  ] as const;
  for (const [i, o, bias, input, params, macs, flops] of linear) {
    it(`Linear(${i}, ${o}, bias=${bias}) on ${JSON.stringify(input)}`, () => {
      const r = run("Linear", [i, o], { bias }, [T(...input)]);
      assert.equal(r.params.total, params);
      assert.deepEqual(shapesOf(r.result.output), [...input.slice(0, -1), o]);
      assert.deepEqual(costOf(r.result), [macs, flops]);
    });
  }
});

describe("layer rules: edge cases of the size formulas", () => {
  const cases: [string, Parameters<typeof run>, number[]][] = [
    // ceil_mode: the last window must start inside the input or its left padding
    ["MaxPool2d ceil_mode drops a window that would start in the right padding", ["MaxPool2d", [2], { stride: 2, padding: 1, ceil_mode: true }, [T(1, 1, 5, 5)]], [1, 1, 3, 3]],
    ["MaxPool2d ceil_mode keeps a partial last window", ["MaxPool2d", [3], { stride: 2, ceil_mode: true }, [T(1, 8, 28, 28)]], [1, 8, 14, 14]],
    ["AvgPool2d ceil_mode with padding", ["AvgPool2d", [3], { stride: 2, padding: 1, ceil_mode: true }, [T(1, 8, 14, 14)]], [1, 8, 8, 8]],
    ["padding='same' with an even kernel", ["Conv2d", [8, 8, 4], { padding: "same" }, [T(1, 8, 21, 30)]], [1, 8, 21, 30]],
    ["padding='same' with dilation", ["Conv2d", [8, 8, 3], { padding: "same", dilation: 3 }, [T(1, 8, 21, 30)]], [1, 8, 21, 30]],
    ["non-square kernel, stride and padding", ["Conv2d", [3, 20, [3, 5]], { stride: [2, 1], padding: [1, 2] }, [T(1, 3, 17, 19)]], [1, 20, 9, 19]],
    ["ConvTranspose output_padding", ["ConvTranspose2d", [32, 16, 3], { stride: 2, padding: 1, output_padding: 1 }, [T(8, 32, 7, 7)]], [8, 16, 14, 14]],
    ["ConvTranspose output_size picks the output padding", ["ConvTranspose2d", [16, 8, 3], { stride: 2 }, [T(1, 16, 5, 5)]], [1, 8, 11, 11]],
    ["unbatched conv keeps the rank", ["Conv2d", [3, 8, 3], {}, [T(3, 6, 7)]], [8, 4, 5]],
    ["adaptive pool: None keeps the input size", ["AdaptiveAvgPool2d", [[null, 3]], {}, [T(1, 1, 5, 7)]], [1, 1, 5, 3]],
    ["Upsample: floor(i · scale)", ["Upsample", [], { scale_factor: 1.7 }, [T(1, 3, 5, 7)]], [1, 3, 8, 11]],
    ["Upsample to a size", ["Upsample", [[9, 4]], { mode: "bilinear" }, [T(1, 3, 5, 7)]], [1, 3, 9, 4]],
    ["PixelShuffle", ["PixelShuffle", [3], {}, [T(1, 9, 64, 64)]], [1, 1, 192, 192]],
    ["PixelUnshuffle", ["PixelUnshuffle", [2], {}, [T(1, 3, 64, 64)]], [1, 12, 32, 32]],
    ["Flatten(start_dim=1)", ["Flatten", [], {}, [T(2, 3, 4, 5)]], [2, 60]],
    ["Unflatten infers -1", ["Unflatten", [1, [2, -1]], {}, [T(2, 12)]], [2, 2, 6]],
    ["ZeroPad2d (left, right, top, bottom)", ["ZeroPad2d", [[1, 2, 3, 4]], {}, [T(1, 3, 5, 7)]], [1, 3, 12, 10]],
    ["Embedding appends embedding_dim", ["Embedding", [10, 3], {}, [L(2, 5)]], [2, 5, 3]],
  ];
  for (const [title, args, want] of cases) {
    it(title, () => {
      const r = run(...args);
      const out = shapesOf(r.result.output);
      assert.deepEqual(out, want);
    });
  }

  it("ConvTranspose output_size inside the valid range is used as given", () => {
    const r = run("ConvTranspose2d", [16, 8, 3], { stride: 2 }, [T(1, 16, 5, 5)], { output_size: [12, 11] });
    assert.deepEqual(shapesOf(r.result.output), [1, 8, 12, 11]);
  });

  it("MaxUnpool: default size (i-1)s + k - 2p, output_size within a stride of it, PyTorch's checks; no FLOPs rule", () => {
    const r = run("MaxUnpool2d", [3], { stride: 2, padding: 1 }, [T(2, 8, 5, 6), L(2, 8, 5, 6)]);
    assert.deepEqual(shapesOf(r.result.output), [2, 8, 9, 11]);
    assert.equal(costOf(r.result), null);
    assert.deepEqual(shapesOf(run("MaxUnpool1d", [2], {}, [T(8, 3), L(8, 3)]).result.output), [8, 6]);
    assert.deepEqual(shapesOf(run("MaxUnpool2d", [2], {}, [T(1, 8, 3, 3), L(1, 8, 3, 3)], { output_size: [7, 6] }).result.output), [1, 8, 7, 6]);
    const msg = (...a: Parameters<typeof run>) => forwardError(run(...a))?.[1].replace(/ \(in .*$/, "");
    assert.equal(msg("MaxUnpool2d", [2], {}, [T(1, 8, 3, 3), L(1, 8, 3, 3)], { output_size: [9, 9] }), 'invalid output_size "[9, 9]" (dim 0 must be between 4 and 8)');
    assert.equal(msg("MaxUnpool2d", [2], {}, [T(1, 8, 3, 3), L(1, 8, 3, 2)]), "Expected shape of indices to be same as that of the input tensor ([1, 8, 3, 3]) but got indices tensor with shape: [1, 8, 3, 2]");
    assert.equal(msg("MaxUnpool2d", [2], {}, [T(1, 8, 3, 3), T(1, 8, 3, 3)]), "elements in indices should be type int64 but got: Float");
    assert.equal(msg("MaxUnpool1d", [2], {}, [T(3), L(3)]), "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with 2 dimensions.");
    assert.equal(msg("MaxUnpool3d", [2], {}, [T(8, 3, 3), L(8, 3, 3)]), "Input to max_unpooling3d should be a 4d or 5d Tensor, but got a tensor with 3 dimensions.");
  });

  it("ConvTranspose output_size out of range: worded with the list, tuple or torch.Size given; unbatched drops one leading dim", () => {
    const msg = (input: ReturnType<typeof T>, size: number[], kind?: SeqKind) =>
      forwardError(run("ConvTranspose2d", [4, 4, 3], { stride: 2, padding: 1 }, [input], { output_size: kind ? withSeqKind(size, kind) : size }))?.[1].replace(/ \(in .*$/, "");
    const range = "but valid sizes range from [9, 9] to [10, 10] (for an input of torch.Size([5, 5]))";
    assert.equal(msg(T(1, 4, 5, 5), [1, 4, 12, 12], "size"), `requested an output size of torch.Size([12, 12]), ${range}`);
    assert.equal(msg(T(1, 4, 5, 5), [12, 12], "tuple"), `requested an output size of (12, 12), ${range}`);
    assert.equal(msg(T(1, 4, 5, 5), [12, 12], "list"), `requested an output size of [12, 12], ${range}`);
    assert.equal(msg(T(4, 5, 5), [4, 11, 11], "list"), "requested an output size of [11, 11], but valid sizes range from [9, 9] to [10, 10] (for an input of torch.Size([5]))");
    assert.equal(msg(T(4, 5, 5), [1, 4, 10, 9]), "ConvTranspose2D: for 3D input, output_size must have 2 or 3 elements (got 4)");
    assert.deepEqual(shapesOf(run("ConvTranspose2d", [4, 4, 3], { stride: 2, padding: 1 }, [T(4, 5, 5)], { output_size: [4, 10, 9] }).result.output), [4, 10, 9]);
  });

  it("groups divide the weight and the dot products", () => {
    const r = run("Conv2d", [32, 64, 3], { stride: 2, padding: 1, groups: 4 }, [T(1, 32, 32, 32)]);
    assert.equal(r.params.total, 64 * (32 / 4) * 9 + 64);
    assert.deepEqual(costOf(r.result), [64 * 16 * 16 * 72, 64 * 16 * 16 * (2 * 72)]);
  });

  it("LSTM proj_size: h_n has proj_size, c_n has hidden_size, parts named as PyTorch names them", () => {
    const r = run("LSTM", [64, 48], { proj_size: 16, num_layers: 2 }, [T(30, 64)]);
    assert.deepEqual(shapesOf(r.result.output), [[30, 16], [[2, 16], [2, 48]]]);
    assert.deepEqual(
      r.params.parts.map(([n]) => n),
      ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1"],
    );
  });

  it("bidirectional GRU: _reverse parts and (output, h_n)", () => {
    const r = run("GRU", [6, 32], { bidirectional: true, batch_first: true, bias: false }, [T(8, 50, 6)]);
    assert.deepEqual(shapesOf(r.result.output), [[8, 50, 64], [2, 8, 32]]);
    assert.deepEqual(r.params.parts.map(([n]) => n), ["weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse"]);
  });

  it("MultiheadAttention: weights per layout, None without need_weights", () => {
    const seq = run("MultiheadAttention", [64, 4], {}, [T(10, 2, 64), T(7, 2, 64), T(7, 2, 64)]);
    assert.deepEqual(shapesOf(seq.result.output), [[10, 2, 64], [2, 10, 7]]);
    const unb = run("MultiheadAttention", [64, 4], {}, [T(10, 64), T(7, 64), T(7, 64)], { average_attn_weights: false });
    assert.deepEqual(shapesOf(unb.result.output), [[10, 64], [4, 10, 7]]);
    const x = T(2, 10, 64);
    const bf = run("MultiheadAttention", [64, 4], { batch_first: true }, [x, x, x], { need_weights: false });
    assert.deepEqual(shapesOf(bf.result.output), [[2, 10, 64], null]);
  });
});

describe("layer rules: symbolic sizes", () => {
  it("Conv2d on (N, 3, H, W) gives (N, 20, H-4, W-4) and an unknown cost with the reason", () => {
    const r = run("Conv2d", [3, 20, 5], {}, [T(N, 3, H, W)]);
    assert.deepEqual(shapesOf(r.result.output), ["N", 20, "H-4", "W-4"]);
    assert.ok(isUnknown(r.result.cost));
    assert.match(r.result.cost.reason, /\(N, 3, H, W\) is symbolic/);
    assert.equal(r.params.total, 1520);
  });

  it("a symbolic channel count is not checked", () => {
    const r = run("Conv2d", [3, 20, 5], {}, [T(1, symbol("C"), 32, 32)]);
    assert.deepEqual(forwardError(r), undefined);
    assert.deepEqual(shapesOf(r.result.output), [1, 20, 28, 28]);
    assert.deepEqual(costOf(r.result), [1_176_000, 2_352_000]);
  });

  it("strided convs and pools floor-divide symbolically", () => {
    const conv = run("Conv2d", [3, 8, 3], { stride: 2, padding: 1 }, [T(1, 3, H, W)]);
    assert.deepEqual(shapesOf(conv.result.output), [1, 8, "floor((H+1)/2)", "floor((W+1)/2)"]);
    const pool = run("MaxPool2d", [2], {}, [T(N, 8, H, 28)]);
    assert.deepEqual(shapesOf(pool.result.output), ["N", 8, "floor(H/2)", 14]);
  });

  it("ceil_mode: decided where the last-window rule does not depend on H, else unknown", () => {
    const never = run("AvgPool2d", [3], { stride: 2, padding: 1, ceil_mode: true }, [T(1, 8, H, 8)]);
    assert.deepEqual(shapesOf(never.result.output), [1, 8, "floor(H/2)+1", 5]);
    const depends = run("MaxPool2d", [2], { stride: 2, padding: 1, ceil_mode: true }, [T(1, 8, H, 8)]);
    const out = depends.result.output;
    assert.ok(isTensor(out) && !isUnknown(out.shape));
    assert.ok(isUnknown(out.shape[2]));
    assert.equal(out.shape[3], 5);
  });

  it("Upsample scales symbolic sizes exactly when the scale is n/2^k", () => {
    const two = run("Upsample", [], { scale_factor: 2 }, [T(1, 3, H, W)]);
    assert.deepEqual(shapesOf(two.result.output), [1, 3, "2*H", "2*W"]);
    const half = run("Upsample", [], { scale_factor: 1.5 }, [T(1, 3, H, W)]);
    assert.deepEqual(shapesOf(half.result.output), [1, 3, "floor(3*H/2)", "floor(3*W/2)"]);
    const odd = run("Upsample", [], { scale_factor: 1.1 }, [T(1, 3, H, 10)]);
    assert.deepEqual(shapesOf(odd.result.output), [1, 3, "unknown", 11].map((d) => (d === "unknown" ? null : d)));
  });

  it("Linear keeps symbolic leading dims; LSTM over symbolic T gives symbolic outputs", () => {
    const lin = run("Linear", [320, 10], {}, [T(N, 320)]);
    assert.deepEqual(shapesOf(lin.result.output), ["N", 10]);
    assert.ok(isUnknown(lin.result.cost));
    const lstm = run("LSTM", [8, 16], { batch_first: true }, [T(N, symbol("T"), 8)]);
    assert.deepEqual(shapesOf(lstm.result.output), [["N", "T", 16], [[1, "N", 16], [1, "N", 16]]]);
  });

  it("PixelShuffle and Flatten multiply symbolic dims", () => {
    const ps = run("PixelShuffle", [2], {}, [T(1, 8, H, W)]);
    assert.deepEqual(shapesOf(ps.result.output), [1, 2, "2*H", "2*W"]);
    const fl = run("Flatten", [], {}, [T(N, 16, H, W)]);
    const out = fl.result.output;
    assert.ok(isTensor(out) && !isUnknown(out.shape));
    assert.equal(format(out.shape[1]), "16*H*W");
  });
});

describe("layer rules: exact safe integers", () => {
  it("params past 2^53 are unknown, never rounded", () => {
    const r = run("Linear", [2 ** 27, 2 ** 27], {}, []);
    assert.ok(isUnknown(r.params.total));
  });

  it("a cost past 2^53 is unknown", () => {
    const r = run("Conv2d", [512, 512, 3], { padding: 1 }, [T(65536, 512, 512, 512)]);
    assert.deepEqual(shapesOf(r.result.output), [65536, 512, 512, 512]);
    assert.ok(isUnknown(r.result.cost));
    assert.match(r.result.cost.reason, /2\^53/);
  });

  it("just below the limit is exact", () => {
    const r = run("ReLU", [], {}, [T(2 ** 26, 2 ** 26)]);
    assert.deepEqual(costOf(r.result), [0, 2 ** 52]);
  });
});

describe("layer rules: problems and their fixes", () => {
  it("conv channel mismatch, singular 'channel'", () => {
    const r = run("Conv2d", [1, 20, 5], {}, [T(1, 3, 32, 32)]);
    const p = r.result.problems[0];
    assert.equal(p.code, "channel-mismatch");
    assert.equal(p.message, "Conv2d expects 1 input channel but receives 3 (input (1, 3, 32, 32)); fix: in_channels=3");
    assert.deepEqual(p.fix, { arg: "in_channels", value: "3" });
    assert.ok(isUnknown(r.result.cost));
  });

  it("ConvTranspose channel mismatch", () => {
    const p = run("ConvTranspose2d", [16, 8, 3], {}, [T(1, 8, 5, 5)]).result.problems[0];
    assert.equal(p.message, "ConvTranspose2d expects 16 input channels but receives 8 (input (1, 8, 5, 5)); fix: in_channels=8");
    assert.deepEqual(p.fix, { arg: "in_channels", value: "8" });
  });

  it("BatchNorm channel mismatch names the constructor call", () => {
    const p = run("BatchNorm2d", [32], {}, [T(1, 16, 4, 4)]).result.problems[0];
    assert.equal(p.code, "channel-mismatch");
    assert.equal(p.message, "BatchNorm2d expects 32 channels but receives 16 (input (1, 16, 4, 4)); fix: BatchNorm2d(16)");
    assert.deepEqual(p.fix, { arg: "num_features", value: "16" });
  });

  it("Linear and LSTM feature mismatches", () => {
    const lin = run("Linear", [320, 10], {}, [T(2, 500)]).result.problems[0];
    assert.equal(lin.code, "in-features-mismatch");
    assert.equal(lin.message, "Linear expects 320 input features but receives 500 (input (2, 500)); fix: in_features=500");
    assert.deepEqual(lin.fix, { arg: "in_features", value: "500" });
    const lstm = run("LSTM", [64, 48], {}, [T(30, 4, 32)]).result.problems[0];
    assert.equal(lstm.message, "LSTM expects input_size 64 but receives 32 (input (30, 4, 32)); fix: input_size=32");
    assert.deepEqual(lstm.fix, { arg: "input_size", value: "32" });
  });

  it("too small: pools and convs", () => {
    const pool = run("MaxPool2d", [2], {}, [T(1, 64, 1, 1)]).result.problems[0];
    assert.equal(pool.code, "size-too-small");
    assert.equal(pool.message, "MaxPool2d output size would be (64x0x0) for input (64x1x1) (input (1, 64, 1, 1))");
    const conv = run("Conv2d", [3, 8, 3], {}, [T(1, 3, 2, 2)]).result.problems[0];
    assert.equal(conv.message, "Conv2d kernel (3 x 3) is larger than the padded input (2 x 2) (input (1, 3, 2, 2))");
  });

  it("wrong rank, in PyTorch's words", () => {
    const p = run("Conv2d", [3, 8, 3], {}, [T(2, 5)]).result.problems[0];
    assert.equal(p.code, "shape-mismatch");
    assert.equal(p.message, "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 5] (in Conv2d.forward, input (2, 5))");
  });

  it("construction errors: groups with a value that works, same padding, heads", () => {
    const g = run("Conv2d", [24, 30, 3], { groups: 4 }).initProblems[0];
    assert.equal(g.code, "groups-mismatch");
    assert.equal(g.message, "out_channels 30 is not divisible by groups 4 (groups must divide both 24 and 30, e.g. 3)");
    assert.deepEqual(g.fix, { arg: "groups", value: "3" });
    const same = run("Conv2d", [3, 8, 3], { stride: 2, padding: "same" }).initProblems[0];
    assert.equal(same.message, "ValueError: padding='same' is not supported for strided convolutions");
    const heads = run("MultiheadAttention", [64, 5]).initProblems[0];
    assert.deepEqual([heads.code, heads.message], ["groups-mismatch", "embed_dim must be divisible by num_heads"]);
    const gn = run("GroupNorm", [5, 16]).initProblems[0];
    assert.deepEqual([gn.code, gn.message], ["groups-mismatch", "num_channels must be divisible by num_groups"]);
  });

  it("invalid padding strings and modes (PyTorch prints the valid set in a per-run order)", () => {
    const pad = run("Conv2d", [3, 8, 3], { padding: "foo" }).initProblems[0];
    assert.match(pad.message, /^ValueError: Invalid padding string 'foo', should be one of \{'(valid|same)', '(valid|same)'\}$/);
    const mode = run("Conv2d", [3, 8, 3], { padding_mode: "foo" }).initProblems[0];
    assert.match(mode.message, /^ValueError: padding_mode must be one of \{('(zeros|reflect|replicate|circular)'(, )?){4}\}, but got padding_mode='foo'$/);
    const convT = run("ConvTranspose2d", [16, 8, 3], { padding_mode: "reflect" }).initProblems[0];
    assert.equal(convT.message, 'ValueError: Only "zeros" padding mode is supported for ConvTranspose2d');
  });

  it("Embedding needs integer indices", () => {
    const p = run("Embedding", [10, 3], {}, [T(2, 3)]).result.problems[0];
    assert.match(p.message, /^Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int/);
  });

  it("problems are values, never exceptions, whatever the arguments", () => {
    const odd = [null, "x", true, [1, 2, 3, 4], { kind: "unknown", reason: "?" } as const];
    const inputs = [T(1, 3, 8, 8), T(1, 3, 8, 8), T(1, 3, 8, 8)];
    for (const [type, rule] of LAYER_RULES) {
      const required = rule.signature.params.filter((p) => p.default === undefined).length;
      for (const v of odd) {
        assert.doesNotThrow(() => run(type, Array(required).fill(v), {}, inputs), `${type}(${JSON.stringify(v)})`);
        assert.doesNotThrow(() => run(type, Array(required).fill(3), {}, [v, v, v]), `${type}(3) on ${JSON.stringify(v)}`);
      }
      for (const shape of [[N], [N, H], [N, 3, H], [N, 3, H, W], [N, 3, 4, H, W]]) {
        const x = type === "Embedding" ? L(...shape) : T(...shape);
        assert.doesNotThrow(() => run(type, Array(required).fill(3), {}, [x, x, x]), `${type}(3) on ${JSON.stringify(shape)}`);
      }
    }
  });
});

describe("layer rules: unknown inputs and arguments", () => {
  it("an unknown kernel keeps the known dims", () => {
    const r = run("Conv2d", [3, 8, { kind: "unknown", reason: "computed at run time" }], {}, [T(1, 3, 8, 8)]);
    assert.deepEqual(shapesOf(r.result.output), [1, 8, null, null].map((d) => d));
    assert.ok(isUnknown(r.result.cost));
  });

  it("an input of unknown rank gives a tensor of unknown shape and no problem", () => {
    const r = run("Conv2d", [3, 8, 3], {}, [{ kind: "tensor", shape: { kind: "unknown", reason: "from a file" }, dtype: "float" }]);
    assert.deepEqual(r.result.problems, []);
    assert.equal(shapesOf(r.result.output), "unknown");
  });

  it("no cost rule: Bilinear, Softmin, area interpolation (as the oracle)", () => {
    for (const r of [
      run("Bilinear", [5, 6, 7], {}, [T(3, 5), T(3, 6)]),
      run("Softmin", [1], {}, [T(2, 3)]),
      run("Upsample", [], { scale_factor: 2, mode: "area" }, [T(1, 3, 4, 4)]),
    ]) {
      assert.deepEqual(r.result.problems, []);
      assert.ok(isUnknown(r.result.cost));
      assert.match(r.result.cost.reason, /no FLOPs rule/);
    }
  });
});

describe("layer rules: explain lines", () => {
  it("Conv2d writes the formulas out with the layer's numbers", () => {
    assert.deepEqual(run("Conv2d", [3, 20, 5], {}, [T(1, 3, 32, 32)]).explain, [
      "O = ⌊(32 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = 28",
      "params = (3·5·5 + 1)·20 = 1,520",
      "MACs = (3·5·5)·20·28·28 = 1,176,000",
      "FLOPs = [(3·5·5) + (3·5·5 − 1) + 1]·20·28·28 = 2,352,000",
    ]);
  });

  it("symbolic sizes show as expressions", () => {
    const lines = run("Conv2d", [3, 20, 5], {}, [T(N, 3, H, W)]).explain;
    assert.equal(lines[0], "O_H = ⌊(H + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = H-4");
    assert.match(lines[3], /^MACs = \(3·5·5\)·N·20·\(H-4\)·\(W-4\) = unknown/);
  });

  it("ConvTranspose, Linear, pools, Upsample and PixelShuffle", () => {
    assert.deepEqual(run("ConvTranspose2d", [1, 1, 3], { stride: 2, padding: 1 }, [T(1, 1, 3, 3)]).explain, [
      "O = (3 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 5",
      "params = 1·1·3·3 + 1 = 10",
      "MACs = 3·3·1·3·3 = 81",
      "FLOPs = 2·MACs + 5·5 = 187",
    ]);
    assert.deepEqual(run("Linear", [320, 10], {}, [T(2, 320)]).explain, [
      "params = (320 + 1)·10 = 3,210",
      "MACs = rows·I·O = 2·320·10 = 6,400",
      "FLOPs = [320 + (320 − 1) + 1]·10·2 = 12,800",
    ]);
    assert.deepEqual(run("AvgPool2d", [[2, 3]], { stride: [2, 1] }, [T(1, 8, 8, 8)]).explain, [
      "O_H = ⌊(8 + 2·0 − 1·(2 − 1) − 1) / 2⌋ + 1 = 4",
      "O_W = ⌊(8 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 6",
      "FLOPs = 6·8·4·6 = 1,152 (adds and one divide per output)",
    ]);
    assert.match(run("MaxPool2d", [3], { stride: 2, ceil_mode: true }, [T(1, 8, 28, 28)]).explain[0], /^O = ⌈\(28 \+ 2·0 − 1·\(3 − 1\) − 1\) \/ 2⌉ \+ 1.* = 14$/);
    assert.deepEqual(run("Upsample", [], { scale_factor: 2, mode: "bicubic", align_corners: true }, [T(1, 3, 24, 24)]).explain, [
      "O = ⌊24 · 2⌋ = 48",
      "FLOPs = 31·3·48·48 = 214,272 (bicubic: taps·2 − 1 per output element)",
    ]);
    assert.deepEqual(run("PixelShuffle", [3], {}, [T(1, 9, 64, 64)]).explain, ["C = 9 / 3² = 1, H = 64·3 = 192, W = 64·3 = 192", "FLOPs = 0 (a reshape)"]);
  });
});
