// F.multi_head_attention_forward: the functional form of MultiheadAttention, on the layer's own shape checks and cost terms.
import { mul, type Dim } from "../dim";
import { layerRule } from "../layers";
import { sig } from "../signature";
import { isTensor, isUnknown, unknown, type ArgValue, type Args, type CostOrUnknown, type Output } from "../types";
import type { OpRule } from "./rule";

const NAME = "multi_head_attention_forward";

const SIGNATURE = sig(
  "query",
  "key",
  "value",
  "embed_dim_to_check",
  "num_heads",
  "in_proj_weight",
  "in_proj_bias",
  "bias_k",
  "bias_v",
  "add_zero_attn",
  "dropout_p",
  "out_proj_weight",
  "out_proj_bias",
  ["training", true],
  ["key_padding_mask", null],
  ["need_weights", true],
  ["attn_mask", null],
  ["use_separate_proj_weight", false],
  ["q_proj_weight", null],
  ["k_proj_weight", null],
  ["v_proj_weight", null],
  ["static_k", null],
  ["static_v", null],
  ["average_attn_weights", true],
);

const given = (v: ArgValue | undefined) => v !== null && v !== undefined;

/** The last dim of a tensor argument (kdim / vdim of separate projections). */
function lastDim(v: ArgValue | undefined): Dim | null {
  if (!isTensor(v) || isUnknown(v.shape) || v.shape.length === 0) return null;
  return v.shape[v.shape.length - 1];
}

/** The out-projection's bias may differ from the in-projection's: one add per output element more or less. */
function outBiasFix(cost: CostOrUnknown, out: Output, inBias: boolean, outBias: boolean): CostOrUnknown {
  if (isUnknown(cost) || inBias === outBias) return cost;
  const first = Array.isArray(out) ? out[0] : out;
  if (!isTensor(first) || isUnknown(first.shape)) return unknown("the output shape is not known");
  const n = first.shape.reduce<Dim>((a, d) => mul(a, d), 1);
  if (typeof n !== "number") return unknown("the output size is symbolic");
  return { macs: cost.macs, flops: cost.flops + (outBias ? n : -n) };
}

export const MHA_FORM_OPS: readonly OpRule[] = [
  {
    name: NAME,
    namespaces: ["F"],
    signature: SIGNATURE,
    apply(args: Args) {
      const rule = layerRule("MultiheadAttention");
      const separate = args.use_separate_proj_weight === true;
      const inBias = given(args.in_proj_bias);
      const layerArgs: Args = {
        embed_dim: args.embed_dim_to_check,
        num_heads: args.num_heads,
        dropout: 0.0,
        bias: inBias,
        add_bias_kv: given(args.bias_k),
        add_zero_attn: args.add_zero_attn,
        kdim: separate ? lastDim(args.key) : null,
        vdim: separate ? lastDim(args.value) : null,
        batch_first: false,
      };
      if (!rule) return { output: unknown("no MultiheadAttention rule"), cost: unknown("no MultiheadAttention rule"), problems: [] };
      const kwargs: Args = {
        key_padding_mask: args.key_padding_mask,
        need_weights: args.need_weights,
        attn_mask: args.attn_mask,
        average_attn_weights: args.average_attn_weights,
      };
      const res = rule.forward(layerArgs, { inputs: [args.query, args.key, args.value], kwargs });
      return { output: res.output, cost: outBiasFix(res.cost, res.output, inBias, given(args.out_proj_bias)), problems: res.problems };
    },
  },
];
