// nn.Embedding.from_pretrained / nn.EmbeddingBag.from_pretrained: a layer sized by a 2-D weight tensor, frozen by default.
import { isUnknown } from "../core/types";
import { callValue } from "./calls";
import type { Interp } from "./interp";
import { parametersOf } from "./modules";
import type { ClassObj, Value } from "./values";

/** The classmethod's parameters after `embeddings`, in PyTorch 1.13's order. */
const PRETRAINED_PARAMS: Readonly<Record<string, readonly string[]>> = {
  Embedding: ["freeze", "padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse"],
  EmbeddingBag: ["freeze", "max_norm", "norm_type", "scale_grad_by_freq", "mode", "sparse", "include_last_offset", "padding_idx"],
};

/** The `from_pretrained` classmethod of `cls` (Embedding or EmbeddingBag), undefined for other classes. */
export function fromPretrained(ip: Interp, cls: ClassObj): Value | undefined {
  const names = PRETRAINED_PARAMS[cls.name];
  if (!names) return undefined;
  const fn = `${cls.name}.from_pretrained`;
  return {
    k: "builtin",
    // "classmethod": read through the class it binds that class (a subclass builds itself)
    name: "classmethod",
    call: (args, kwargs, site, self) => {
      const byName = new Map<string, Value>();
      const all = ["embeddings", ...names];
      if (args.length > all.length) return ip.raise("TypeError", `from_pretrained() takes from 2 to ${all.length + 1} positional arguments but ${args.length + 1} were given`);
      args.forEach((a, i) => byName.set(all[i], a));
      for (const [k, v] of kwargs) {
        if (!all.includes(k)) return ip.raise("TypeError", `from_pretrained() got an unexpected keyword argument '${k}'`);
        if (byName.has(k)) return ip.raise("TypeError", `from_pretrained() got multiple values for argument '${k}'`);
        byName.set(k, v);
      }
      const emb = byName.get("embeddings");
      if (!emb) return ip.raise("TypeError", "from_pretrained() missing 1 required positional argument: 'embeddings'");
      if (emb.k !== "tensor" || !Array.isArray(emb.t.shape)) return { k: "unknown", reason: `${fn} of a weight of unknown shape`, called: true };
      if (emb.t.shape.length !== 2) return ip.raise("AssertionError", "Embeddings parameter is expected to be 2-dimensional");
      const [rows, cols] = emb.t.shape;
      if (isUnknown(rows) || isUnknown(cols)) return { k: "unknown", reason: `${fn} of a weight of unknown shape`, called: true };
      const ctorKw: [string, Value][] = [["num_embeddings", { k: "int", v: rows }], ["embedding_dim", { k: "int", v: cols }]];
      for (const [k, v] of byName) if (k !== "embeddings" && k !== "freeze") ctorKw.push([k, v]);
      const made = callValue(ip, self?.k === "class" ? self : { k: "class", cls }, [], ctorKw, site);
      const freeze = byName.get("freeze");
      // weight.requires_grad = not freeze (freeze defaults to True)
      const frozen = freeze === undefined || (freeze.k === "bool" ? freeze.v : freeze.k === "int" ? freeze.v !== 0 : true);
      if (made.k === "module") for (const p of parametersOf(made.m)) p.requiresGrad = !frozen;
      return made;
    },
  };
}
