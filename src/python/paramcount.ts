// Parameter totals of a module tree: a sum, or unknown with the reasons (never a partial count).
import { containerKind, namedModules, parametersOf } from "./modules";
import type { ModuleObj, Value } from "./values";

export interface ParamTotals {
  readonly params: number | null;
  readonly trainable: number | null;
  /** Why the totals are unknown (empty when they are known). */
  readonly reasons: string[];
}

/**
 * An attribute holding what a call to something not understood gave (an unknown library's model,
 * torch.load) may be a module with parameters; so may an unknown entry of a container, which
 * PyTorch only accepts as a module. Either makes the counts unknown. Known values without
 * parameters (losses, numbers, strings, tensors, None) are left out.
 */
function mayHoldParams(owner: ModuleObj, v: Value): v is Extract<Value, { k: "unknown" }> {
  if (v.k !== "unknown") return false;
  if (v.called) return true;
  const kind = containerKind(owner);
  return kind === "sequential" || kind === "modulelist" || kind === "moduledict";
}

/** parameters() summed, and the trainable ones; null with reasons when a part is unknown or past 2^53. */
export function paramTotals(root: ModuleObj): ParamTotals {
  const reasons: string[] = [];
  for (const [path, m] of namedModules(root)) {
    const at = (name: string): string => (path ? `${path}.${name}` : name);
    for (const [name, v] of m.attrs) if (mayHoldParams(m, v)) reasons.push(`${at(name)}: ${v.reason}`);
    for (const [name, p] of m.params) if (p.numel === null) reasons.push(`${at(name)}: the size of this ${m.cls.name} parameter is not known`);
  }
  const params = parametersOf(root);
  if (reasons.length > 0) return { params: null, trainable: null, reasons: [...new Set(reasons)] };
  const sum = (xs: readonly { numel: number | null }[]): number | null => {
    const s = xs.reduce((acc, p) => acc + (p.numel ?? 0), 0);
    return Number.isSafeInteger(s) ? s : null;
  };
  return { params: sum(params), trainable: sum(params.filter((p) => p.requiresGrad)), reasons };
}
