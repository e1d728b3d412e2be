// Tuple, list, set and dict displays and comprehensions, and Python's dict key equality.
import type { SyntaxNode } from "./source";
import { PyError } from "./errors";
import { identityOp, truthy } from "./pyops";
import { iterate } from "./calls";
import { NONE, Scope, pushAll, type Value } from "./values";
import { assignTargets } from "./assignTargets";
import { type Ctx, SKIP, evalExpr } from "./eval";

/** Items of a tuple/list/set literal, with `*x` unpacking. */
export function evalSequence(c: Ctx, n: SyntaxNode): Value[] {
  const out: Value[] = [];
  let star = false;
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "*") {
      star = true;
      continue;
    }
    if (SKIP.has(ch.name)) continue;
    const v = evalExpr(c, ch);
    if (star) {
      pushAll(out, iterate(c.ip, v));
      star = false;
    } else out.push(v);
  }
  return out;
}

/** Dicts that stand for an object's namespace (`self.__dict__`, `module._modules`): an item written into one is also written there. */
export const dictWriteThrough = new WeakMap<Value, (key: Value, val: Value) => void>();

/** A dict of an attribute map whose writes go to the map (`self.__dict__.update(kwargs)`). */
export function namespaceView(attrs: Map<string, Value>, write: (name: string, val: Value) => void): Value {
  const view: Value = { k: "dict", keys: [...attrs.keys()].map((k) => ({ k: "str", v: k }) as Value), vals: [...attrs.values()] };
  dictWriteThrough.set(view, (k, v) => {
    if (k.k === "str") write(k.v, v);
  });
  return view;
}

export function dictSet(d: Value, key: Value, val: Value): void {
  if (d.k !== "dict") return;
  const i = d.keys.findIndex((k) => identityOp(k, key) || sameKey(k, key));
  if (i >= 0) d.vals[i] = val;
  else {
    d.keys.push(key);
    d.vals.push(val);
  }
  dictWriteThrough.get(d)?.(key, val);
}

export function sameKey(a: Value, b: Value): boolean {
  if ((a.k === "str" && b.k === "str") || (a.k === "bool" && b.k === "bool")) return a.v === b.v;
  if ((a.k === "int" || a.k === "float") && (b.k === "int" || b.k === "float")) return a.v === b.v;
  if (a.k === "tuple" && b.k === "tuple") return a.items.length === b.items.length && a.items.every((x, i) => sameKey(x, b.items[i]));
  if (a.k === "none" && b.k === "none") return true;
  return false;
}

export function evalDict(c: Ctx, n: SyntaxNode): Value {
  const d: Value = { k: "dict", keys: [], vals: [] };
  const kids: SyntaxNode[] = [];
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) if (ch.name !== "{" && ch.name !== "}" && ch.name !== "Comment") kids.push(ch);
  let i = 0;
  while (i < kids.length) {
    const k = kids[i];
    if (k.name === ",") {
      i++;
      continue;
    }
    if (k.name === "**") {
      const src = evalExpr(c, kids[i + 1]);
      if (src.k === "dict") src.keys.forEach((key, j) => dictSet(d, key, src.vals[j]));
      i += 2;
      continue;
    }
    const key = evalExpr(c, k);
    const val = kids[i + 2] ? evalExpr(c, kids[i + 2]) : NONE;
    dictSet(d, key, val);
    i += 3;
  }
  return d;
}

/** List/dict/set comprehensions and generator expressions, materialised (bounded by the budget). */
export function evalComprehension(c: Ctx, n: SyntaxNode, isDict: boolean): (Value | [Value, Value])[] {
  const kids: SyntaxNode[] = [];
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) {
    if (["[", "]", "{", "}", "(", ")", "Comment"].includes(ch.name)) continue;
    kids.push(ch);
  }
  // head: expr (or key : value), then clauses
  let i = 0;
  const head: SyntaxNode[] = [];
  while (i < kids.length && kids[i].name !== "for" && kids[i].name !== "async") {
    if (kids[i].name !== ":") head.push(kids[i]);
    i++;
  }
  type Clause = { kind: "for"; targets: SyntaxNode[]; iter: SyntaxNode } | { kind: "if"; cond: SyntaxNode };
  const clauses: Clause[] = [];
  while (i < kids.length) {
    const k = kids[i];
    if (k.name === "for") {
      const targets: SyntaxNode[] = [];
      i++;
      while (i < kids.length && kids[i].name !== "in") {
        // lezer wraps a starred target (`for name, *args in spec`) in an error node around the `*`
        const star = kids[i].type.isError ? kids[i].firstChild : null;
        if (star?.name === "*") targets.push(star);
        else if (kids[i].name !== ",") targets.push(kids[i]);
        i++;
      }
      i++; // in
      clauses.push({ kind: "for", targets, iter: kids[i] });
      i++;
    } else if (k.name === "if") {
      clauses.push({ kind: "if", cond: kids[i + 1] });
      i += 2;
    } else i++;
  }
  const out: (Value | [Value, Value])[] = [];
  const scope = new Scope(c.scope, "function");
  const inner: Ctx = { ip: c.ip, unit: c.unit, scope };
  const run = (ci: number): void => {
    if (ci === clauses.length) {
      if (isDict) out.push([evalExpr(inner, head[0]), evalExpr(inner, head[1])]);
      else out.push(evalExpr(inner, head[0]));
      return;
    }
    const cl = clauses[ci];
    if (cl.kind === "if") {
      const t = truthy(c.ip, evalExpr(inner, cl.cond));
      if (t === undefined) throw new PyError("UnknownCondition", "a comprehension filter cannot be decided statically", null, null);
      if (t) run(ci + 1);
      return;
    }
    const iterable = evalExpr(ci === 0 ? c : inner, cl.iter);
    for (const item of iterate(c.ip, iterable)) {
      c.ip.budget.tick();
      assignTargets(inner, cl.targets, item);
      run(ci + 1);
    }
  };
  if (head.length === 0 || clauses.length === 0) return [];
  // half-typed (`{k: for`, `[x for x in`): the parts lezer recovered are missing
  if ((isDict && head.length < 2) || clauses.some((cl) => (cl.kind === "for" ? !cl.iter || cl.targets.length === 0 : !cl.cond))) return [];
  run(0);
  return out;
}
