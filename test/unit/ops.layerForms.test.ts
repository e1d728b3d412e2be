// Functional forms of layers (F.unfold, F.fold, F.cosine_similarity, ..., F.multi_head_attention_forward): shapes, costs and errors as PyTorch 1.13 gives them.
import * as assert from "node:assert/strict";
import { findOp } from "../../src/core/ops";
import { checkRow, L, label, T, type TorchRow } from "./ops.support.test";

const X = T(2, 8, 10, 10);

const ROWS: readonly TorchRow[] = [
  { call: "F.max_unpool2d", args: [T(1, 8, 8, 8), L(1, 8, 8, 8), 2], out: [1, 8, 16, 16], cost: null },
  { call: "F.max_unpool2d", args: [T(1, 8, 8, 8), L(1, 8, 8, 8), 2], kw: { output_size: [17, 16] }, out: [1, 8, 17, 16], cost: null },
  { call: "F.max_unpool1d", args: [T(1, 4, 8), L(1, 4, 8), 3], kw: { stride: 2, output_size: [18] }, out: [1, 4, 18], cost: null },
  { call: "F.max_unpool2d", args: [T(1, 8, 8, 8), T(1, 8, 8, 8), 2], error: "elements in indices should be type int64 but got: Float" },
  { call: "F.max_unpool2d", args: [T(1, 8, 8, 8), L(1, 8, 8, 8), 2], kw: { output_size: [19, 16] }, error: 'invalid output_size "[19, 16]" (dim 0 must be between 14 and 18)' },
  { call: "F.unfold", args: [X, 3], out: [2, 72, 64], cost: null },
  { call: "F.unfold", args: [X, 3], kw: { padding: 1, stride: 2 }, out: [2, 72, 25], cost: null },
  { call: "F.unfold", args: [X, 13], error: "Given input with spatial size (10, 10), kernel_size=(13, 13), dilation=(1, 1), padding=(0, 0), calculated shape of the array of sliding blocks as (-2, -2), but its components must be at least one." },
  { call: "F.unfold", args: [T(10, 10), 3], error: "Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { call: "F.fold", args: [T(2, 72, 100), [10, 10], 3], kw: { padding: 1 }, out: [2, 8, 10, 10], cost: null },
  { call: "F.fold", args: [T(2, 72, 64), [10, 10], 3], kw: { padding: 1 }, error: "Given output_size=(10, 10), kernel_size=(3, 3), dilation=(1, 1), padding=(1, 1), stride=(1, 1), expected size of input's dimension 2 to match the calculated number of sliding blocks 10 * 10 = 100, but got input.size(2)=64." },
  { call: "F.fold", args: [T(2, 71, 64), [10, 10], 3], kw: { padding: 1 }, error: "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=71 and kernel_size=(3, 3)." },
  { call: "F.cosine_similarity", args: [T(4, 16), T(4, 16)], out: [4], cost: null },
  { call: "torch.cosine_similarity", args: [T(4, 1, 16), T(1, 5, 16)], kw: { dim: -1 }, out: [4, 5], cost: null },
  { call: "F.cosine_similarity", args: [T(4, 16), T(4, 15)], error: "The size of tensor a (16) must match the size of tensor b (15) at non-singleton dimension 1" },
  { call: "F.cosine_similarity", args: [T(4, 16), T(4, 16)], kw: { dim: 2 }, error: "Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { call: "F.pairwise_distance", args: [T(4, 16), T(4, 16)], out: [4], cost: null },
  { call: "torch.pairwise_distance", args: [T(4, 16), T(4, 16)], kw: { keepdim: true }, out: [4, 1], cost: null },
  { call: "F.lp_pool2d", args: [X, 2, 3], out: [2, 8, 3, 3], cost: null },
  { call: "F.lp_pool2d", args: [X, 2, 3, 2, true], out: [2, 8, 5, 5], cost: null },
  { call: "F.lp_pool2d", args: [X, 2, 20], error: "Given input size: (8x10x10). Calculated output size: (8x0x0). Output size is too small" },
  { call: "F.lp_pool2d", args: [T(9, 9), 2, 3], error: "Dimension out of range (expected to be in range of [-2, 1], but got -3)" },
  { call: "F.lp_pool1d", args: [T(2, 4, 9), 2, 3], out: [2, 4, 3], cost: null },
  { call: "F.lp_pool1d", args: [T(2, 4, 9), 2, 30], error: "Given input size: (4x1x9). Calculated output size: (4x1x0). Output size is too small" },
  { call: "F.lp_pool1d", args: [T(9), 2, 3], error: "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)" },
  { call: "F.local_response_norm", args: [X, 3], out: [2, 8, 10, 10], cost: null },
  { call: "F.local_response_norm", args: [T(3, 4, 5, 6, 7), 3], out: [3, 4, 5, 6, 7], cost: null },
  { call: "F.local_response_norm", args: [T(3, 4), 3], error: "Expected 3D or higher dimensionality                          input (got 2 dimensions)" },
  { call: "F.channel_shuffle", args: [X, 2], out: [2, 8, 10, 10], cost: null },
  { call: "torch.channel_shuffle", args: [X, 3], error: "Number of channels must be divisible by groups. Got 8 channels and 3 groups." },
  { call: "F.channel_shuffle", args: [T(3, 4), 2], error: "channel_shuffle expects input with > 2 dims, but got input with sizes [3, 4]" },
  { call: "F.channel_shuffle", args: [X, 0], error: "Number of groups to divide channels in must be positive. Value of groups:0" },
  { call: "F.fractional_max_pool2d", args: [X, 3], error: "fractional_max_pool2d requires specifying either an output_size or an output_ratio" },
  { call: "F.fractional_max_pool2d", args: [X, 3], kw: { output_size: 5, output_ratio: 0.5 }, out: [2, 8, 5, 5], cost: null },
  { call: "F.fractional_max_pool2d", args: [X, 3], kw: { output_ratio: 1.5 }, error: "fractional_max_pool2d(): pool height 3 too large relative to input height 10" },
  { call: "F.fractional_max_pool2d", args: [X, 3], kw: { output_ratio: [0.5, 0.7] }, out: [2, 8, 5, 7], cost: null },
  { call: "F.fractional_max_pool2d", args: [X, 2], kw: { output_ratio: NaN }, error: "cannot convert float NaN to integer" },
  { call: "F.fractional_max_pool2d", args: [X, 2], kw: { output_ratio: Infinity }, error: "cannot convert float infinity to integer" },
  { call: "F.fractional_max_pool2d", args: [X, 2], kw: { output_size: [5, 4], return_indices: true }, outs: [[2, 8, 5, 4], [2, 8, 5, 4]], cost: null },
  { call: "F.fractional_max_pool2d", args: [T(10), 2], kw: { output_size: 5 }, error: "Dimension out of range (expected to be in range of [-1, 0], but got -3)" },
  { call: "F.fractional_max_pool2d", args: [T(1, 2, 3, 10, 10), 2], kw: { output_size: 5 }, error: "fractional_max_pool2d(): Expected 3D or 4D tensor, but got: [1, 2, 3, 10, 10]" },
  { call: "F.fractional_max_pool3d", args: [T(2, 3, 8, 8, 8), 2], kw: { output_ratio: 0.5 }, out: [2, 3, 4, 4, 4], cost: null },
  { call: "F.fractional_max_pool3d", args: [T(2, 3, 8, 8, 8), 5], kw: { output_size: 6 }, error: "fractional_max_pool3d_out(): pool time 5 too large relative to input time 8" },
  // F.multi_head_attention_forward: MultiheadAttention's shapes and cost (figures from the oracle)
  { call: "F.multi_head_attention_forward", args: [T(10, 2, 32), T(10, 2, 32), T(10, 2, 32), 32, 4, T(96, 32), T(96), null, null, false, 0.0, T(32, 32), T(32)], kw: { training: false }, outs: [[10, 2, 32], [2, 10, 10]], macs: 94720, flops: 193440 },
  // separate q/k/v weights of other widths, bias_k/bias_v, zero attention, a padding mask, no out-projection bias
  {
    call: "F.multi_head_attention_forward",
    args: [T(5, 3, 24), T(7, 3, 16), T(7, 3, 12), 24, 3, null, T(72), T(1, 1, 24), T(1, 1, 24), true, 0.1, T(24, 24), null],
    kw: { key_padding_mask: { kind: "tensor", shape: [3, 7], dtype: "bool" }, need_weights: false, use_separate_proj_weight: true, q_proj_weight: T(24, 24), k_proj_weight: T(24, 16), v_proj_weight: T(24, 12) },
    outs: [[5, 3, 24], null],
    macs: 37872,
    flops: 77409,
  },
  { call: "method.flip", args: [T(4, 3, 5, 5), 2, 3], out: [4, 3, 5, 5], macs: 0, flops: 0 },
];

describe("op rules: functional forms of layers without a FLOPs rule", () => {
  for (const row of ROWS) {
    it(label(row.call, row.args, row.kw), () => checkRow(row));
  }

  it("the indices of fractional_max_pool2d are long", () => {
    const rule = findOp("F", "fractional_max_pool2d");
    assert.ok(rule);
    const out = rule.apply({ input: X, kernel_size: 2, output_size: 5, output_ratio: null, return_indices: true, _random_samples: null }).output;
    assert.ok(Array.isArray(out));
    assert.deepEqual(
      (out as { dtype: string }[]).map((t) => t.dtype),
      ["float", "long"],
    );
  });

  it("Tensor.unfold stays the method (dimension, size, step), not F.unfold", () => {
    assert.notEqual(findOp("method", "unfold"), findOp("F", "unfold"));
  });
});
