// torch.nn.utils.stateless.functional_call (PyTorch 1.13): a module called with other parameter values; the modules owning them run as "StatelessReplacer<Class>".
import { callValue } from "./calls";
import type { Interp } from "./interp";
import type { CallSite, ModuleObj, Value } from "./values";

/** The class name a module reports while functional_call has swapped its class (PyTorch 1.13's _change_class). */
export const swappedClassName = new WeakMap<ModuleObj, string>();

/** The module a dotted parameter path lives on ("net.0.weight" → net[0]), or null. */
function ownerOf(root: ModuleObj, path: string): ModuleObj | null {
  const parts = path.split(".");
  let m: ModuleObj | null = root;
  for (const p of parts.slice(0, -1)) m = m?.children.get(p) ?? null;
  return m;
}

function functionalCall(ip: Interp, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const get = (i: number, key: string) => args[i] ?? kwargs.find(([k]) => k === key)?.[1];
  const [mod, params, callArgs, callKw] = [get(0, "module"), get(1, "parameters_and_buffers"), get(2, "args"), get(3, "kwargs")];
  if (!mod || !params || !callArgs) return ip.raise("TypeError", "functional_call() missing required positional arguments: 'module', 'parameters_and_buffers' and 'args'");
  const positional = callArgs.k === "tuple" ? callArgs.items : [callArgs];
  const keywords: [string, Value][] = callKw?.k === "dict" ? callKw.keys.flatMap((k, i) => (k.k === "str" ? [[k.v, callKw.vals[i]] as [string, Value]] : [])) : [];
  const swapped: ModuleObj[] = [];
  if (mod.k === "module" && params.k === "dict") {
    for (const key of params.keys) {
      const owner = key.k === "str" ? ownerOf(mod.m, key.v) : null;
      if (owner && !swappedClassName.has(owner)) {
        swappedClassName.set(owner, `StatelessReplacer${owner.cls.name}`);
        swapped.push(owner);
      }
    }
  }
  try {
    return callValue(ip, mod, positional, keywords, site);
  } finally {
    for (const m of swapped) swappedClassName.delete(m);
  }
}

/** `torch.nn.utils.stateless.<name>`, or undefined when it is not modelled. */
export function statelessAttr(ip: Interp, name: string): Value | undefined {
  if (name !== "functional_call") return undefined;
  return { k: "builtin", name: "torch.nn.utils.stateless.functional_call", call: (args, kwargs, site) => functionalCall(ip, args, kwargs, site) };
}
