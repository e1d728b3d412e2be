// nn.Module objects: construction, attribute assignment and registration, named_modules()/parameters(), deep copies.
import { checkAbstract } from "./abcModule";
import { product } from "../core/dim";
import type { Args } from "../core/types";
import { bindMethod, callValue } from "./calls";
import type { Where } from "./errors";
import { callPos, UnitPosition } from "./source";
import { lookupClassAttr, mroOf, type Interp } from "./interp";
import { deepCopy } from "./torch";
import { FALSE, NONE, newModule, type CallSite, type ClassKind, type ClassObj, type ModuleObj, type ParamObj, type Value } from "./values";

export function moduleValue(m: ModuleObj | null): Value {
  return m ? { k: "module", m } : NONE;
}

export function layerClassOf(m: ModuleObj): ClassObj | undefined {
  return mroOf(m.cls).find((c) => c.kind === "layer");
}

export function containerKind(m: ModuleObj): ClassKind {
  for (const c of mroOf(m.cls)) if (c.kind !== "user" && c.kind !== "object") return c.kind;
  return "module-base";
}

/** Where a module was built (its errors are reported there), following later edits; null when not in the user's file. */
export function moduleWhere(m: ModuleObj): Where | null {
  return m.site ? new UnitPosition(m.site.unit, callPos(m.site.unit, m.site.node)) : null;
}

/** Build a module: a new object, then `__init__` through the class's MRO. */
export function constructModule(ip: Interp, cls: ClassObj, args: Value[], kwargs: [string, Value][], site: CallSite): Value {
  checkAbstract(ip, cls);
  const userSite = ip.userSite();
  const m = newModule({ cls, site: userSite, driver: ip.moduleMethodDepth === 0 });
  m.attrs.set("training", FALSE);
  const self: Value = { k: "module", m };
  const init = lookupClassAttr(cls, "__init__");
  // a user __init__ runs before nn.Module.__init__ (its super().__init__() call) has set up _modules
  if (init?.k === "func") m.preInit = true;
  try {
    if (init) callValue(ip, bindMethod(init, self), args, kwargs, site);
  } catch (e) {
    m.failed = true;
    // PyTorch has made the object once nn.Module.__init__ ran: the file's first instance of the class is this failed one
    if (m.driver && !m.preInit) ip.addDriverInstance(m);
    throw e;
  } finally {
    m.preInit = false;
  }
  if (m.driver) ip.addDriverInstance(m);
  return self;
}

export function paramValue(p: ParamObj): Value {
  return { k: "tensor", t: p.tensor ?? { kind: "tensor", shape: { kind: "unknown", reason: "the parameter's shape is not tracked" }, dtype: "float" }, param: p };
}

export function setModuleAttr(ip: Interp, m: ModuleObj, name: string, value: Value, asChild = false): void {
  ip.touch(m);
  if (value.k === "module") {
    m.attrs.delete(name);
    m.params.delete(name);
    m.children.set(name, value.m);
    return;
  }
  if (value.k === "tensor" && value.param) {
    const p = value.param.owner ? value.param : { ...value.param, name, owner: m, tensor: value.t, numel: numelOf(value) };
    m.params.set(name, p);
    m.attrs.delete(name);
    // a bias given to a layer built with bias=False: its forward adds it
    if (name === "bias" && m.args?.bias === false) (m as { args?: Args }).args = { ...m.args, bias: true };
    return;
  }
  if (value.k === "none" && m.params.has(name)) {
    // `layer.bias = None`: no parameter any more, and the layer's forward adds no bias (its rules read the bias argument)
    m.params.delete(name);
    if (name === "bias" && m.args && typeof m.args.bias === "boolean") (m as { args?: Args }).args = { ...m.args, bias: false };
    m.attrs.set(name, value);
    return;
  }
  if (value.k === "none" && (m.children.has(name) || asChild)) {
    m.children.set(name, null);
    return;
  }
  if (m.children.has(name) && value.k !== "unknown") m.children.delete(name);
  m.attrs.set(name, value);
  void ip;
}

function numelOf(v: Extract<Value, { k: "tensor" }>): number | null {
  const s = v.t.shape;
  if (!Array.isArray(s)) return null;
  const p = product(s);
  return typeof p === "number" ? p : null;
}

/** named_modules(): every module once, with its first dotted path (the root is ""). */
export function namedModules(root: ModuleObj): [string, ModuleObj][] {
  const out: [string, ModuleObj][] = [];
  const seen = new Set<ModuleObj>();
  const walk = (m: ModuleObj, prefix: string): void => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push([prefix, m]);
    for (const [name, child] of m.children) if (child) walk(child, prefix ? `${prefix}.${name}` : name);
  };
  walk(root, "");
  return out;
}

/** parameters(): each parameter once. */
export function parametersOf(root: ModuleObj): ParamObj[] {
  const seen = new Set<ParamObj>();
  const out: ParamObj[] = [];
  for (const [, m] of namedModules(root)) {
    for (const p of m.params.values()) {
      if (!seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
    }
  }
  return out;
}

/** copy.deepcopy of a module: fresh objects, same arguments and creation sites. */
export function cloneModule(ip: Interp, m: ModuleObj, memo = new Map<ModuleObj, ModuleObj>()): ModuleObj {
  const hit = memo.get(m);
  if (hit) return hit;
  const c = newModule({ cls: m.cls, args: m.args, site: m.site, driver: false });
  memo.set(m, c);
  for (const [k, v] of m.attrs) c.attrs.set(k, v.k === "module" ? { k: "module", m: cloneModule(ip, v.m, memo) } : deepCopy(ip, v));
  for (const [k, p] of m.params) c.params.set(k, { ...p, owner: c });
  for (const [k, child] of m.children) c.children.set(k, child ? cloneModule(ip, child, memo) : null);
  return c;
}

