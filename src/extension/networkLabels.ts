// Text on the network picture's boxes: key constructor arguments as PyTorch prints them, "N layers, M ops", why a model has no picture.
import { layerRule } from "../core/layers";
import type { ArgValue, Args } from "../core/types";
import type { ModelAnalysis } from "../python/analyze";
import { argText } from "./hoverText";
import { t } from "./l10n";

const MAX_ARGS_LENGTH = 44;

/** Key constructor arguments as PyTorch's repr prints them: required ones by value, others only when not the default (`(3, 3)` as `3`). */
export function keyArgs(type: string, args: Args | undefined): string {
  const rule = args && layerRule(type);
  if (!args || !rule) return "";
  const parts: string[] = [];
  const params = [...rule.signature.params, ...(rule.signature.kwOnly ?? [])];
  for (const p of params) {
    if (!(p.name in args) || p.name === "device" || p.name === "dtype") continue;
    const v = args[p.name];
    if (p.default === undefined) parts.push(shortArg(v));
    else if (!sameArg(v, p.default)) parts.push(`${p.name}=${shortArg(v)}`);
  }
  const text = parts.join(", ");
  return text.length > MAX_ARGS_LENGTH ? `${text.slice(0, MAX_ARGS_LENGTH - 1)}…` : text;
}

/** A tuple of equal sizes as one number (`(3, 3)` → `3`), to keep boxes narrow. */
function shortArg(v: ArgValue): string {
  if (Array.isArray(v) && v.length > 1 && v.every((x) => JSON.stringify(x) === JSON.stringify(v[0]))) return argText(v[0]);
  return argText(v);
}

function sameArg(a: ArgValue, b: ArgValue): boolean {
  if (Array.isArray(a) && !Array.isArray(b)) return a.every((x) => sameArg(x, b));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** "4 layers", "2 layers, 3 ops". */
export function insideText(layers: number, ops: number): string {
  const layerText = layers === 1 ? t("{0} layer", 1) : layers > 1 ? t("{0} layers", layers) : "";
  const opText = ops === 1 ? t("{0} op", 1) : ops > 1 ? t("{0} ops", ops) : "";
  return [layerText, opText].filter(Boolean).join(", ");
}

export function untracedMessage(model: ModelAnalysis): string {
  if (model.report.error) return t("{0} was not analysed: {1}.", model.report.name, model.report.error);
  if (!model.report.input) return t("{0} has no known input shape: call the model in the file, or add # shape-lens: input=(1, 3, 224, 224) above the class.", model.report.name);
  return t("{0}.forward() calls no layer.", model.report.name);
}
