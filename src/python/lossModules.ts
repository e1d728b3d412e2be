// Loss modules of torch.nn (nn.CrossEntropyLoss, nn.MSELoss, ...): their constructor arguments, and a forward through the functional loss op.
import { findOp } from "../core/ops";
import { bindArgs, sig, type Signature } from "../core/signature";
import type { ArgValue } from "../core/types";
import { toArg } from "./convert";
import { PyError } from "./errors";
import type { Interp } from "./interp";
import { moduleWhere } from "./modules";
import { applyOp } from "./tensorOps";
import { NONE, type CallSite, type ModuleObj, type Value } from "./values";

const LEGACY: readonly (readonly [string, ArgValue])[] = [["size_average", null], ["reduce", null], ["reduction", "mean"]];

/** Each loss class: the F op its forward calls and its `__init__` parameters (PyTorch 1.13). */
const LOSSES: Readonly<Record<string, { readonly op: string; readonly init: Signature }>> = {
  L1Loss: { op: "l1_loss", init: sig(...LEGACY) },
  MSELoss: { op: "mse_loss", init: sig(...LEGACY) },
  SmoothL1Loss: { op: "smooth_l1_loss", init: sig(...LEGACY, ["beta", 1.0]) },
  HuberLoss: { op: "huber_loss", init: sig(["reduction", "mean"], ["delta", 1.0]) },
  KLDivLoss: { op: "kl_div", init: sig(...LEGACY, ["log_target", false]) },
  BCELoss: { op: "binary_cross_entropy", init: sig(["weight", null], ...LEGACY) },
  BCEWithLogitsLoss: { op: "binary_cross_entropy_with_logits", init: sig(["weight", null], ...LEGACY, ["pos_weight", null]) },
  NLLLoss: { op: "nll_loss", init: sig(["weight", null], ["size_average", null], ["ignore_index", -100], ["reduce", null], ["reduction", "mean"]) },
  CrossEntropyLoss: {
    op: "cross_entropy",
    init: sig(["weight", null], ["size_average", null], ["ignore_index", -100], ["reduce", null], ["reduction", "mean"], ["label_smoothing", 0.0]),
  },
};

/** Whether `nn.<name>` is a loss class whose forward is modelled by its functional op. */
export function isLossClass(name: string): boolean {
  return Object.hasOwn(LOSSES, name) && findOp("F", LOSSES[name].op) !== undefined;
}

/** The value Python gives a constructor default (beta, delta and label_smoothing are floats, ignore_index an int). */
function defaultValue(name: string, d: ArgValue | undefined): Value {
  if (typeof d === "string") return { k: "str", v: d };
  if (typeof d === "boolean") return { k: "bool", v: d };
  if (typeof d === "number") return name === "ignore_index" ? { k: "int", v: d } : { k: "float", v: d };
  return NONE;
}

/** _Reduction.legacy_get_string: the deprecated size_average / reduce flags (when either is given) decide the reduction. */
function legacyReduction(sizeAverage: Value, reduce: Value): Value {
  const truthy = (v: Value): boolean => v.k === "none" || !((v.k === "bool" || v.k === "int" || v.k === "float") && !v.v);
  const r = truthy(sizeAverage) && truthy(reduce) ? "mean" : truthy(reduce) ? "sum" : "none";
  return { k: "str", v: r };
}

/** __init__: binds the arguments as PyTorch does (its TypeErrors) and keeps them as the module's attributes. */
export function initLoss(ip: Interp, m: ModuleObj, name: string, args: Value[], kwargs: [string, Value][], site: CallSite): void {
  const { init } = LOSSES[name];
  const bound = bindArgs(`${name}.__init__()`, init, args.map(toArg), kwargs.map(([k, v]) => [k, toArg(v)] as const), 1);
  if (!bound.ok) throw new PyError("TypeError", bound.problem.message, bound.problem, moduleWhere(m) ?? ip.whereOf(site));
  ip.touch(m);
  const values = new Map(init.params.map((p, i) => [p.name, (i < args.length ? args[i] : kwargs.find(([k]) => k === p.name)?.[1]) ?? defaultValue(p.name, p.default)]));
  const sizeAverage = values.get("size_average");
  const reduce = values.get("reduce");
  if (sizeAverage && reduce && (sizeAverage.k !== "none" || reduce.k !== "none")) values.set("reduction", legacyReduction(sizeAverage, reduce));
  values.delete("size_average");
  values.delete("reduce");
  for (const [k, v] of values) m.attrs.set(k, v);
}

/** forward(input, target): the functional loss with the module's arguments (the op is recorded inside the module, as PyTorch traces it). */
export function forwardLoss(ip: Interp, m: ModuleObj, name: string, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  const { op, init } = LOSSES[name];
  const bound = bindArgs(`${name}.forward()`, sig("input", "target"), args.map(toArg), kwargs.map(([k, v]) => [k, toArg(v)] as const), 1);
  if (!bound.ok) throw new PyError("TypeError", bound.problem.message, bound.problem, ip.whereOf(site));
  const pick = (k: string): Value => (k === "input" ? args[0] : k === "target" ? args[1] : undefined) ?? kwargs.find(([n]) => n === k)![1];
  const options = init.params.filter((p) => p.name !== "size_average" && p.name !== "reduce").map((p) => [p.name, m.attrs.get(p.name) ?? defaultValue(p.name, p.default)] as [string, Value]);
  return applyOp(ip, findOp("F", op)!, [pick("input"), pick("target")], options, site);
}
