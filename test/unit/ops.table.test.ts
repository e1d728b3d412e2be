// The op table: which names each namespace reaches, PyTorch's parameter names, and one rule per name.
import * as assert from "node:assert/strict";
import { findOp, OP_RULES, opNames } from "../../src/core/ops";
import type { OpNamespace } from "../../src/core/ops/rule";

const ACTIVATIONS = `relu relu6 leaky_relu elu selu celu gelu silu mish sigmoid tanh hardswish hardsigmoid hardtanh
  softplus softsign logsigmoid tanhshrink threshold prelu rrelu hardshrink softshrink
  relu_ elu_ leaky_relu_ selu_ celu_ hardtanh_ rrelu_ threshold_`;

const REQUIRED: Readonly<Record<OpNamespace, string>> = {
  F: `conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d linear bilinear ${ACTIVATIONS}
    max_pool1d max_pool2d max_pool3d avg_pool1d avg_pool2d avg_pool3d adaptive_avg_pool1d adaptive_avg_pool2d
    adaptive_avg_pool3d adaptive_max_pool1d adaptive_max_pool2d adaptive_max_pool3d interpolate upsample
    upsample_nearest upsample_bilinear softmax log_softmax softmin dropout dropout1d dropout2d dropout3d
    alpha_dropout feature_alpha_dropout pad pixel_shuffle pixel_unshuffle batch_norm layer_norm group_norm
    instance_norm embedding normalize glu`,
  torch: `cat concat concatenate stack flatten unflatten add sub rsub mul div matmul mm bmm baddbmm addmm addbmm
    einsum transpose permute squeeze unsqueeze reshape chunk split tensor_split unbind narrow select mean sum
    amax amin max min exp log sqrt abs neg clamp relu relu_ sigmoid tanh selu celu rrelu threshold hardshrink
    prelu softmax log_softmax dropout conv2d conv_transpose2d max_pool2d layer_norm group_norm pixel_shuffle
    where pow eq lt`,
  method: `view view_as reshape reshape_as flatten unflatten permute transpose t squeeze unsqueeze expand expand_as
    repeat contiguous clone detach float to chunk split unbind mean sum amax amin max min softmax log_softmax
    relu sigmoid tanh add sub mul div matmul add_ sub_ mul_ div_ getitem exp clamp masked_fill type_as`,
};

/** Parameter names as PyTorch documents them (other modules read the bound args by these names). */
const PARAMS: readonly (readonly [OpNamespace, string, string])[] = [
  ["F", "conv2d", "input weight bias stride padding dilation groups"],
  ["F", "conv_transpose2d", "input weight bias stride padding output_padding groups dilation"],
  ["F", "linear", "input weight bias"],
  ["F", "max_pool2d", "input kernel_size stride padding dilation ceil_mode return_indices"],
  ["F", "avg_pool2d", "input kernel_size stride padding ceil_mode count_include_pad divisor_override"],
  ["F", "adaptive_avg_pool2d", "input output_size"],
  ["F", "interpolate", "input size scale_factor mode align_corners recompute_scale_factor antialias"],
  ["F", "upsample", "input size scale_factor mode align_corners"],
  ["F", "pad", "input pad mode value"],
  ["F", "pixel_shuffle", "input upscale_factor"],
  ["F", "pixel_unshuffle", "input downscale_factor"],
  ["F", "softmax", "input dim _stacklevel dtype"],
  ["F", "layer_norm", "input normalized_shape weight bias eps"],
  ["F", "embedding", "input weight padding_idx max_norm norm_type scale_grad_by_freq sparse"],
  ["torch", "cat", "tensors dim"],
  ["torch", "stack", "tensors dim"],
  ["torch", "flatten", "input start_dim end_dim"],
  ["torch", "transpose", "input dim0 dim1"],
  ["torch", "permute", "input dims"],
  ["torch", "chunk", "input chunks dim"],
  ["torch", "split", "input split_size_or_sections dim"],
  ["torch", "unflatten", "input dim sizes"],
  ["torch", "reshape", "input shape"],
  ["torch", "movedim", "input source destination"],
  ["torch", "swapaxes", "input axis0 axis1"],
  ["torch", "narrow", "input dim start length"],
  ["torch", "add", "input other"],
  ["torch", "mean", "input dim keepdim"],
  ["method", "squeeze", "input dim"],
  ["method", "unsqueeze", "input dim"],
  ["method", "getitem", "input index"],
];

describe("op table", () => {
  for (const ns of ["F", "torch", "method"] as const) {
    it(`reaches every required ${ns} name`, () => {
      const missing = REQUIRED[ns].split(/\s+/).filter((n) => n && !findOp(ns, n));
      assert.deepEqual(missing, []);
    });
  }

  it("has one rule per namespace and name (aliases included)", () => {
    const seen = new Map<string, string>();
    for (const rule of OP_RULES) {
      for (const ns of rule.namespaces) {
        for (const name of [rule.name, ...(rule.aliases ?? [])]) {
          const key = `${ns}.${name}`;
          assert.ok(!seen.has(key), `${key} defined twice`);
          seen.set(key, rule.name);
        }
      }
    }
    assert.equal(opNames("method").length, [...seen.keys()].filter((k) => k.startsWith("method.")).length);
  });

  it("binds a method's tensor to its first parameter, `input`", () => {
    for (const rule of OP_RULES.filter((r) => r.namespaces.includes("method"))) {
      assert.equal(rule.signature.params[0]?.name, "input", rule.name);
    }
  });

  for (const [ns, name, params] of PARAMS) {
    it(`${ns}.${name} has PyTorch's parameter names`, () => {
      const rule = findOp(ns, name);
      assert.ok(rule);
      assert.deepEqual(
        rule.signature.params.map((p) => p.name),
        params.split(" "),
      );
    });
  }

  it("finds aliases under the canonical rule", () => {
    assert.equal(findOp("torch", "concat")?.name, "cat");
    assert.equal(findOp("method", "subtract")?.name, "sub");
    assert.equal(findOp("method", "__getitem__")?.name, "getitem");
    assert.equal(findOp("F", "cat"), undefined);
    assert.equal(findOp("method", "cat"), undefined);
  });
});
