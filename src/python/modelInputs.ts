// The input a model is traced with when none is given: a symbolic shape from its first layer, tensors for shapes, fresh receptive fields.
import { symbol } from "../core/dim";
import { inputRfState } from "../core/rf";
import { Interp } from "./interp";
import { containerKind, namedModules } from "./modules";
import { makeTensor } from "./tensorCreation";
import type { ModuleObj, Value } from "./values";

/**
 * Spec §5.4: with no input anywhere, a symbolic input shaped for the first layer:
 * (N, C_in, H, W) for a Conv2d, (N, C_in, L) for 1-d, (N, C_in, D, H, W) for 3-d, (N, in_features)
 * for a Linear, (N, L) token ids for an Embedding, (N, L, input_size) or (L, N, input_size) for RNNs.
 */
export function symbolicInput(inst: ModuleObj): { shape: (number | string)[]; dtype: "float" | "long" }[] | null {
  for (const [, m] of namedModules(inst)) {
    const args = m.args;
    if (!args || containerKind(m) !== "layer") continue;
    const type = m.cls.name;
    const num = (k: string): number | null => (typeof args[k] === "number" ? (args[k] as number) : null);
    const conv = /^(?:Conv|ConvTranspose|LazyConv)([123])d$/.exec(type);
    if (conv && num("in_channels") !== null) {
      const spatial = conv[1] === "1" ? ["L"] : conv[1] === "2" ? ["H", "W"] : ["D", "H", "W"];
      return [{ shape: ["N", num("in_channels")!, ...spatial], dtype: "float" }];
    }
    if ((type === "Linear" || type === "Bilinear") && num("in_features") !== null) return [{ shape: ["N", num("in_features")!], dtype: "float" }];
    if (/^BatchNorm2d|InstanceNorm2d$/.test(type) && num("num_features") !== null) return [{ shape: ["N", num("num_features")!, "H", "W"], dtype: "float" }];
    if (type === "Embedding") return [{ shape: ["N", "L"], dtype: "long" }];
    if (/^(RNN|LSTM|GRU)$/.test(type) && num("input_size") !== null) {
      return [{ shape: args.batch_first === true ? ["N", "L", num("input_size")!] : ["L", "N", num("input_size")!], dtype: "float" }];
    }
    return null; // the first layer decides; anything else has no obvious input
  }
  return null;
}

export function tensorFor(ip: Interp, shape: readonly (number | string)[], dtype: "float" | "long"): Value {
  const dims: Value[] = shape.map((d) => (typeof d === "number" ? { k: "int", v: d } : { k: "int", v: symbol(d) }));
  return makeTensor(ip, dims, dtype);
}

export function freshInput(v: Value): Value {
  if (v.k === "tensor") return { k: "tensor", t: { ...v.t, rf: inputRfState(v.t.dtype) } };
  if (v.k === "tuple") return { k: "tuple", items: v.items.map(freshInput) };
  if (v.k === "list") return { k: "list", items: v.items.map(freshInput) };
  if (v.k === "dict") return { ...v, vals: v.vals.map(freshInput) }; // forward(batch) with a dict of tensors
  return v;
}
