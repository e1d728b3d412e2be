// torch.nn.utils: weight_norm and spectral_norm rename a layer's weight parameter (weight_norm adds its norm vector g); their remove_* undo it.
import type { Dim } from "../core/dim";
import { layerParamShape } from "../core/layers";
import type { Interp } from "./interp";
import { mroOf } from "./interp";
import { unknown, type TensorMeta } from "../core/types";
import { NONE, numberOf, unknownValue, type ModuleObj, type Value } from "./values";

function kwOrPos(args: Value[], kwargs: [string, Value][], pos: number, name: string): Value | undefined {
  return kwargs.find(([k]) => k === name)?.[1] ?? args[pos];
}

/** The shape of a built-in layer's parameter `name`, from its constructor arguments and its count (the layers weight_norm is used on). */
function paramShape(m: ModuleObj, name: string, numel: number | null): Dim[] | undefined {
  const own = m.params.get(name)?.tensor?.shape;
  if (Array.isArray(own)) return own as Dim[];
  const layer = mroOf(m.cls).find((c) => c.kind === "layer");
  return layer && m.args && numel !== null ? layerParamShape(layer.name, m.args, name, numel) : undefined;
}

/** weight_norm(module, name='weight', dim=0): `name` becomes `name_g` (the norm over all dims but `dim`) and `name_v`. */
function weightNorm(ip: Interp, args: Value[], kwargs: [string, Value][]): Value {
  const mod = kwOrPos(args, kwargs, 0, "module");
  if (!mod || mod.k !== "module") return unknownValue("weight_norm of something not a module");
  const m = mod.m;
  const nameV = kwOrPos(args, kwargs, 1, "name");
  const name = nameV?.k === "str" ? nameV.v : "weight";
  const p = m.params.get(name);
  if (!p) return ip.raise("AttributeError", `'${m.cls.name}' object has no attribute '${name}'`);
  const dimV = kwOrPos(args, kwargs, 2, "dim") ?? { k: "int", v: 0 };
  let g: number | null = null;
  let gShape: Dim[] | undefined;
  const d = dimV.k === "none" ? -1 : numberOf(dimV);
  const shape = paramShape(m, name, p.numel);
  if (d === -1) {
    g = 1; // dim=None and dim=-1 both take the norm over the whole weight (a 0-dim g)
    gShape = [];
  } else if (shape && d !== undefined && Number.isInteger(d)) {
    const ax = d < 0 ? d + shape.length : d;
    const size = ax >= 0 && ax < shape.length ? shape[ax] : undefined;
    if (typeof size === "number") {
      g = size;
      gShape = shape.map((s, i) => (i === ax ? s : 1));
    }
  }
  const whole: TensorMeta | undefined = p.tensor ?? (shape ? { kind: "tensor", shape, dtype: "float" } : undefined);
  ip.touch(m);
  m.params.delete(name);
  const gTensor: TensorMeta | undefined = gShape ? { kind: "tensor", shape: gShape, dtype: "float" } : undefined;
  m.params.set(`${name}_g`, { name: `${name}_g`, numel: g, requiresGrad: p.requiresGrad, owner: m, ...(gTensor ? { tensor: gTensor } : {}) });
  m.params.set(`${name}_v`, { ...p, name: `${name}_v`, ...(whole ? { tensor: whole } : {}) });
  // the module's forward reads `name` as a plain tensor recomputed from g and v, of the weight's shape
  m.attrs.set(name, { k: "tensor", t: whole ?? { kind: "tensor", shape: unknown("the parameter's shape is not tracked"), dtype: "float" } });
  return mod;
}

/** spectral_norm(module, name='weight', ...): `name` becomes `name_orig` (u and v are buffers). */
function spectralNorm(ip: Interp, args: Value[], kwargs: [string, Value][]): Value {
  const mod = kwOrPos(args, kwargs, 0, "module");
  if (!mod || mod.k !== "module") return unknownValue("spectral_norm of something not a module");
  const m = mod.m;
  const nameV = kwOrPos(args, kwargs, 1, "name");
  const name = nameV?.k === "str" ? nameV.v : "weight";
  const p = m.params.get(name);
  if (!p) return ip.raise("AttributeError", `'${m.cls.name}' object has no attribute '${name}'`);
  ip.touch(m);
  m.params.delete(name);
  const shape = paramShape(m, name, p.numel);
  const whole: TensorMeta | undefined = p.tensor ?? (shape ? { kind: "tensor", shape, dtype: "float" } : undefined);
  m.params.set(`${name}_orig`, { ...p, name: `${name}_orig`, ...(whole ? { tensor: whole } : {}) });
  // the module's forward reads `name` as a plain tensor: the original divided by its largest singular value
  m.attrs.set(name, { k: "tensor", t: whole ?? { kind: "tensor", shape: unknown("the parameter's shape is not tracked"), dtype: "float" } });
  return mod;
}

/** remove_weight_norm / remove_spectral_norm(module, name='weight'): the reparametrised parts become one new `name` Parameter again. */
function removeNorm(ip: Interp, args: Value[], kwargs: [string, Value][], parts: readonly string[], what: string): Value {
  const mod = kwOrPos(args, kwargs, 0, "module");
  if (!mod || mod.k !== "module") return unknownValue(`${what} of something not a module`);
  const m = mod.m;
  const nameV = kwOrPos(args, kwargs, 1, "name");
  const name = nameV?.k === "str" ? nameV.v : "weight";
  const whole = m.params.get(`${name}${parts[parts.length - 1]}`);
  if (!whole) return ip.raise("ValueError", `${what.replace("remove_", "").replace("_", " ")} of '${name}' not found in ${m.cls.name}`);
  ip.touch(m);
  for (const part of parts) m.params.delete(`${name}${part}`);
  m.attrs.delete(name);
  m.params.set(name, { name, numel: whole.numel, requiresGrad: true, owner: m, ...(whole.tensor ? { tensor: whole.tensor } : {}) });
  return mod;
}

/** torch.nn.utils.<name>, or undefined when not modelled. */
export function nnUtilsAttr(ip: Interp, name: string): Value | undefined {
  if (name === "weight_norm") return { k: "builtin", name: "weight_norm", call: (a, k) => weightNorm(ip, a, k) };
  if (name === "spectral_norm") return { k: "builtin", name: "spectral_norm", call: (a, k) => spectralNorm(ip, a, k) };
  if (name === "remove_weight_norm") return { k: "builtin", name, call: (a, k) => removeNorm(ip, a, k, ["_g", "_v"], name) };
  if (name === "remove_spectral_norm") return { k: "builtin", name, call: (a, k) => removeNorm(ip, a, k, ["_orig"], name) };
  if (name === "clip_grad_norm_" || name === "clip_grad_value_") return { k: "builtin", name, call: () => NONE };
  return undefined;
}

/** The ops that weight_norm's / spectral_norm's forward pre-hook runs on this module without a FLOPs rule: torch._weight_norm
 * recomputes `name` from `name_g`/`name_v`; spectral_norm (in eval mode) divides `name_orig` by dot(u, mv(W, v)). */
export function normHookOps(m: ModuleObj): string[] {
  const ops = new Set<string>();
  for (const k of m.params.keys()) {
    const base = k.replace(/_(g|orig)$/, "");
    if (base === k || m.attrs.get(base)?.k !== "tensor") continue;
    if (k.endsWith("_g") && m.params.has(`${base}_v`)) ops.add("_weight_norm");
    if (k.endsWith("_orig")) ["dot", "mv"].forEach((o) => ops.add(o));
  }
  return [...ops];
}
