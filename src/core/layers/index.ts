// The table of layer rules, keyed by PyTorch class name: one entry per nn.Module type the core understands.
import { ACTIVATION_RULES } from "./activation";
import { ATTENTION_RULES } from "./attention";
import { CONV_RULES } from "./conv";
import { withDtypeCheck } from "./dtypes";
import { LINEAR_RULES } from "./linear";
import { MISC_RULES } from "./misc";
import { NORM_RULES } from "./norm";
import { PADDING_RULES } from "./padding";
import { POOL_RULES } from "./pool";
import { POOL_EXTRA_RULES } from "./poolExtra";
import { RECURRENT_RULES } from "./recurrent";
import type { LayerRule } from "./rule";
import { SHAPE_RULES } from "./shape";
import { UNPOOL_RULES } from "./unpool";
import { UPSAMPLE_RULES } from "./upsample";

export { layerParamShape } from "./paramShapes";
export type { LayerCall, LayerResult, LayerRule, ParamCount } from "./rule";

function table(rules: readonly LayerRule[]): ReadonlyMap<string, LayerRule> {
  const map = new Map<string, LayerRule>();
  for (const r of rules) {
    if (map.has(r.type)) throw new Error(`duplicate layer rule ${r.type}`);
    map.set(r.type, withDtypeCheck(r));
  }
  return map;
}

/** Every layer rule by PyTorch class name ("Conv2d" → its rule). */
export const LAYER_RULES: ReadonlyMap<string, LayerRule> = table([
  ...CONV_RULES,
  ...POOL_RULES,
  ...POOL_EXTRA_RULES,
  ...UNPOOL_RULES,
  ...LINEAR_RULES,
  ...NORM_RULES,
  ...ACTIVATION_RULES,
  ...SHAPE_RULES,
  ...UPSAMPLE_RULES,
  ...PADDING_RULES,
  ...RECURRENT_RULES,
  ...ATTENTION_RULES,
  ...MISC_RULES,
]);

/** The rule for a PyTorch layer class, or undefined when the core has none. */
export function layerRule(type: string): LayerRule | undefined {
  return LAYER_RULES.get(type);
}
