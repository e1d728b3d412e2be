// Lazy layers (LazyConv2d, LazyLinear, LazyBatchNorm2d, ...): built without their input size, which their first forward infers; then they become the plain layer, as PyTorch's cls_to_become does.
import { format as formatDim, type Dim } from "../core/dim";
import { layerRule } from "../core/layers";
import { bindArgs, type Signature } from "../core/signature";
import { isUnknown, unknown, type Args } from "../core/types";
import { toArg } from "./convert";
import { PyError } from "./errors";
import type { Interp } from "./interp";
import { moduleWhere } from "./modules";
import { forwardLayer, initOwner, initProblemError, moduleClassFor, setLayerParams } from "./moduleClasses";
import { NONE, unknownValue, type ClassObj, type ModuleObj, type Value } from "./values";

interface LazySpec {
  /** The class the module becomes: "Conv2d". */
  readonly base: string;
  /** The constructor argument the first input gives: "in_channels". */
  readonly first: string;
  readonly signature: Signature;
  /** Conv: the spatial rank (input rank nd + 1 unbatched or nd + 2); else 0. */
  readonly nd: number;
}

/** PyTorch 1.13's lazy classes: the base signature without its first argument (lazy norms default to affine, tracked). */
function lazySpec(name: string): LazySpec | undefined {
  const m = /^Lazy(Conv[123]d|ConvTranspose[123]d|Linear|BatchNorm[123]d|InstanceNorm[123]d)$/.exec(name);
  if (!m) return undefined;
  const base = m[1];
  const rule = layerRule(base);
  if (!rule) return undefined;
  const [firstParam, ...rest] = rule.signature.params;
  const norm = /Norm/.test(base);
  const params = norm ? rest.map((p) => (p.name === "affine" || p.name === "track_running_stats" ? { name: p.name, default: true } : p)) : rest;
  const nd = /^Conv/.test(base) ? Number(/(\d)d$/.exec(base)![1]) : 0;
  return { base, first: firstParam.name, signature: { ...rule.signature, params }, nd };
}

function shapeText(shape: readonly Dim[]): string {
  return `torch.Size([${shape.map((d) => formatDim(d)).join(", ")}])`;
}

/** The input size the first forward gives the layer, or PyTorch's error. */
function inferred(spec: LazySpec, name: string, shape: readonly Dim[]): Dim | readonly [string, string] {
  const rank = shape.length;
  if (spec.nd > 0) {
    if (rank !== spec.nd + 1 && rank !== spec.nd + 2) {
      return ["RuntimeError", `Expected ${spec.nd + 1}D (unbatched) or ${spec.nd + 2}D (batched) input to ${name}, but got input of size: ${shapeText(shape)}`];
    }
    return rank === spec.nd + 2 ? shape[1] : shape[0];
  }
  if (spec.base === "Linear") return rank === 0 ? (["IndexError", "tuple index out of range"] as const) : shape[rank - 1];
  return rank < 2 ? (["IndexError", "tuple index out of range"] as const) : shape[1];
}

/** The class for `nn.<name>` when it is a lazy layer, else undefined. */
export function lazyClass(ip: Interp, name: string, moduleBase: ClassObj): ClassObj | undefined {
  const spec = lazySpec(name);
  if (!spec) return undefined;
  const builtin = (what: string, call: (m: ModuleObj, args: Value[], kwargs: [string, Value][], site: Parameters<typeof forwardLayer>[4]) => Value): Value => ({
    k: "builtin",
    name: `${name}.${what}`,
    call: (args, kwargs, site, self) => (self && self.k === "module" ? call(self.m, args, kwargs, site) : ip.raise("TypeError", `${name}.${what}() needs a module`)),
  });
  const init = builtin("__init__", (m, args, kwargs, site) => {
    ip.touch(m);
    const where = moduleWhere(m) ?? ip.whereOf(site);
    const [owner, leading] = initOwner(name);
    const bound = bindArgs(`${owner}.__init__()`, spec.signature, args.map(toArg), kwargs.map(([k, v]) => [k, toArg(v)] as const), leading);
    if (!bound.ok) throw new PyError("TypeError", bound.problem.message, bound.problem, where);
    // PyTorch builds the plain layer with a size of 0 first: its other checks run then
    const err = (layerRule(spec.base)!.validate?.({ ...bound.args, [spec.first]: 0 }) ?? []).find((p) => p.severity === "error");
    if (err) throw initProblemError(err, where);
    (m as { args?: Args }).args = { ...bound.args, [spec.first]: unknown(`${name} takes ${spec.first} from its first input`) };
    const noParams = /Norm/.test(spec.base) && bound.args.affine === false;
    if (!noParams) m.params.set("weight", { name: "weight", numel: null, requiresGrad: true, owner: m });
    return NONE;
  });
  const forward = builtin("forward", (m, args, kwargs, site) => {
    const x = args[0];
    if (!m.args || !x || x.k !== "tensor" || isUnknown(x.t.shape)) return unknownValue(`${name} takes ${spec.first} from an input of unknown shape`);
    const where = moduleWhere(m) ?? ip.whereOf(site);
    const n = inferred(spec, name, x.t.shape);
    if (Array.isArray(n)) throw new PyError(n[0], n[1], null, where);
    const full: Args = { ...m.args, [spec.first]: n };
    const g = full.groups;
    if (spec.nd > 0 && typeof n === "number" && typeof g === "number" && g > 0 && n % g !== 0) {
      throw new PyError("ValueError", "in_channels must be divisible by groups", null, where);
    }
    (m as { args?: Args }).args = full;
    (m as { cls: ClassObj }).cls = moduleClassFor(ip, spec.base)!;
    m.params.clear();
    setLayerParams(ip, m, spec.base, full, where);
    return forwardLayer(ip, m, args, kwargs, site);
  });
  return { name, kind: "layer", bases: [moduleBase], attrs: new Map([["__init__", init], ["forward", forward]]), isUser: false };
}
