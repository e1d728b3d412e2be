// The standard-library helpers model code calls: functools.partial / reduce, operator, itertools, numpy.prod / sum of sizes, torch.utils.checkpoint.
import { callValue, iterate } from "./calls";
import type { Interp } from "./interp";
import { numpyAttr } from "./numpyLite";
import { binaryOp } from "./pyops";
import { unknownValue, type Value } from "./values";

/** `functools.<name>` / `itertools.<name>`, or undefined when it is not modelled. */
export function stdlibAttr(ip: Interp, ns: string, name: string): Value | undefined {
  if (ns === "functools") {
    if (name === "partial") return { k: "builtin", name: "functools.partial", call: (args, kwargs) => partial(ip, args, kwargs) };
    if (name === "reduce") return { k: "builtin", name: "functools.reduce", call: (args, _kw, site) => {
      const [f, seq, init] = args;
      if (!f || !seq) return ip.raise("TypeError", `reduce expected at least 2 arguments, got ${args.length}`);
      const items = iterate(ip, seq);
      let acc = init ?? items.shift();
      if (acc === undefined) return ip.raise("TypeError", "reduce() of empty iterable with no initial value");
      for (const it of items) acc = callValue(ip, f, [acc, it], [], site);
      return acc;
    } };
    if (name === "wraps" || name === "lru_cache" || name === "cache") {
      // decorators that keep the function's behaviour
      return { k: "builtin", name: `functools.${name}`, call: (args) => (args[0] && args[0].k !== "int" ? args[0] : { k: "builtin", name, call: (a) => a[0] }) };
    }
  }
  if (ns === "operator") {
    const ops: Record<string, string> = { add: "+", sub: "-", mul: "*", truediv: "/", floordiv: "//", mod: "%", pow: "**", matmul: "@" };
    const op = ops[name];
    if (op) return { k: "builtin", name: `operator.${name}`, call: ([a, b], _kw, site) => (a && b ? binaryOp(ip, op, a, b, site) : ip.raise("TypeError", `expected 2 arguments, got fewer`)) };
  }
  if (ns === "numpy" && (name === "prod" || name === "sum")) {
    // of a list or tuple of numbers (sizes): Python arithmetic, one value
    return { k: "builtin", name: `numpy.${name}`, call: ([a], _kw, site) => {
      if (!a || (a.k !== "list" && a.k !== "tuple")) return unknownValue(`numpy.${name} of an array`);
      let acc: Value = { k: "int", v: name === "prod" ? 1 : 0 };
      for (const it of a.items) acc = binaryOp(ip, name === "prod" ? "*" : "+", acc, it, site);
      return acc;
    } };
  }
  if (ns === "numpy") {
    const np = numpyAttr(ip, name);
    if (np) return np;
  }
  if (ns === "itertools") {
    if (name === "chain") return { k: "builtin", name: "itertools.chain", call: (args) => ({ k: "list", items: args.flatMap((a) => iterate(ip, a)) }) };
    if (name === "product") return { k: "builtin", name: "itertools.product", call: (args, kwargs) => product(ip, args, kwargs) };
    if (name === "accumulate") return { k: "builtin", name: "itertools.accumulate", call: (args, kwargs, site) => {
      const items = args[0] ? iterate(ip, args[0]) : [];
      const f = args[1] ?? kwargs.find(([k]) => k === "func")?.[1];
      const out: Value[] = [];
      for (const it of items) {
        const prev = out[out.length - 1];
        out.push(prev === undefined ? it : f ? callValue(ip, f, [prev, it], [], site) : binaryOp(ip, "+", prev, it, site));
      }
      return { k: "list", items: out };
    } };
  }
  if (ns === "itertools.chain" && name === "from_iterable") {
    return { k: "builtin", name: "itertools.chain.from_iterable", call: ([it]) => ({ k: "list", items: it ? iterate(ip, it).flatMap((a) => iterate(ip, a)) : [] }) };
  }
  if (ns === "torch.utils" && name === "checkpoint") return { k: "ns", name: "torch.utils.checkpoint" };
  if (ns === "torch.utils.checkpoint") return checkpointAttr(ip, name);
  return undefined;
}

/** Keywords torch.utils.checkpoint takes for itself (the others go to the function). */
const CHECKPOINT_KWARGS = new Set(["use_reentrant", "preserve_rng_state"]);

/**
 * Gradient checkpointing recomputes in backward; the forward is the function's own:
 * checkpoint(fn, *args) calls fn(*args), checkpoint_sequential(fns, segments, x) runs the modules in turn.
 */
function checkpointAttr(ip: Interp, name: string): Value | undefined {
  if (name === "checkpoint") {
    return { k: "builtin", name: "torch.utils.checkpoint.checkpoint", call: (args, kwargs, site) => {
      if (!args[0]) return ip.raise("TypeError", "checkpoint() missing 1 required positional argument: 'function'");
      return callValue(ip, args[0], args.slice(1), kwargs.filter(([k]) => !CHECKPOINT_KWARGS.has(k)), site);
    } };
  }
  if (name === "checkpoint_sequential") {
    return { k: "builtin", name: "torch.utils.checkpoint.checkpoint_sequential", call: (args, kwargs, site) => {
      const [fns, , input] = args;
      let x = input ?? kwargs.find(([k]) => k === "input")?.[1];
      if (!fns || !x) return ip.raise("TypeError", "checkpoint_sequential() missing required positional arguments");
      // an nn.Sequential runs its children (Sequential's own forward is not called)
      const items = fns.k === "module" ? [...fns.m.children.values()].flatMap((c) => (c ? [{ k: "module", m: c } as Value] : [])) : iterate(ip, fns);
      for (const f of items) x = callValue(ip, f, [x], [], site);
      return x;
    } };
  }
  return undefined;
}

/** functools.partial(f, *args, **kw): a callable prepending the args and merging the keywords (later ones win). */
function partial(ip: Interp, args: Value[], kwargs: [string, Value][]): Value {
  const f = args[0];
  if (!f) return ip.raise("TypeError", "type 'partial' takes at least one argument");
  const bound = args.slice(1);
  // a partial object is not a descriptor: stored on a class it gets no `self` (the 4th argument is ignored)
  const obj: Value = { k: "builtin", name: "partial", call: (more, moreKw, site) => {
    const merged = kwargs.filter(([k]) => !moreKw.some(([k2]) => k2 === k));
    return callValue(ip, f, [...bound, ...more], [...merged, ...moreKw], site);
  } };
  PARTIALS.set(obj, { func: f, args: bound, keywords: kwargs });
  return obj;
}

/** The parts of each partial object made, for `p.func` / `p.args` / `p.keywords`, `type(p)` and `isinstance(p, partial)`. */
const PARTIALS = new WeakMap<Value, { func: Value; args: Value[]; keywords: [string, Value][] }>();

export function isPartial(v: Value): boolean {
  return PARTIALS.has(v);
}

/** An attribute of a modelled library function object: `itertools.chain.from_iterable`, a partial's `func` / `args` / `keywords`. */
export function libFunctionAttr(ip: Interp, fn: Value, name: string): Value | undefined {
  if (fn.k !== "builtin" || fn.self) return undefined;
  const p = PARTIALS.get(fn);
  if (p) {
    if (name === "func") return p.func;
    if (name === "args") return { k: "tuple", items: p.args };
    if (name === "keywords") return { k: "dict", keys: p.keywords.map(([k]) => ({ k: "str", v: k }) as Value), vals: p.keywords.map(([, v]) => v) };
    return undefined;
  }
  return stdlibAttr(ip, fn.name, name);
}

function product(ip: Interp, args: Value[], kwargs: [string, Value][]): Value {
  const rep = kwargs.find(([k]) => k === "repeat")?.[1];
  const times = rep && rep.k === "int" && typeof rep.v === "number" ? rep.v : 1;
  const pools: Value[][] = [];
  for (let r = 0; r < times; r++) for (const a of args) pools.push(iterate(ip, a));
  let out: Value[][] = [[]];
  for (const pool of pools) {
    out = out.flatMap((prefix) => pool.map((v) => [...prefix, v]));
    if (out.length > 100_000) return unknownValue("itertools.product is too large");
  }
  return { k: "list", items: out.map((items) => ({ k: "tuple", items }) as Value) };
}
