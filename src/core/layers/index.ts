// The table of layer rules, keyed by PyTorch class name: one entry per nn.Module type the core understands.
import { CONV_RULES } from "./conv";
import { PADDING_RULES } from "./padding";
import { POOL_RULES } from "./pool";
import type { LayerRule } from "./rule";

export type { LayerCall, LayerResult, LayerRule, ParamCount } from "./rule";

function table(rules: readonly LayerRule[]): ReadonlyMap<string, LayerRule> {
  const map = new Map<string, LayerRule>();
  for (const r of rules) {
    if (map.has(r.type)) throw new Error(`duplicate layer rule ${r.type}`);
    map.set(r.type, r);
  }
  return map;
}

/** Every layer rule by PyTorch class name ("Conv2d" → its rule). */
export const LAYER_RULES: ReadonlyMap<string, LayerRule> = table([...CONV_RULES, ...POOL_RULES, ...PADDING_RULES]);

/** The rule for a PyTorch layer class, or undefined when the core has none. */
export function layerRule(type: string): LayerRule | undefined {
  return LAYER_RULES.get(type);
}
