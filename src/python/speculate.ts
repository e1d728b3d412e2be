// Undecidable branches: run every alternative from the same state and keep what they all agree on.
import { dimsEq } from "../core/rf/args";
import { MISSING, stateOf } from "../core/rf";
import { rfMerge } from "../core/rf/rules";
import { isUnknown, unknown } from "../core/types";
import { PyError } from "./errors";
import type { Ctx } from "./eval";
import type { Interp } from "./interp";
import { textOf, type SourceUnit, type SyntaxNode } from "./source";
import { tensorsIn } from "./convert";
import { unknownValue, type Scope, type Value } from "./values";

/** How an alternative ended: normally, or by break / continue / return (with its value). */
export type Outcome = { readonly kind: "normal" | "break" | "continue" } | { readonly kind: "return"; readonly value: Value };

/** Names a statement subtree binds (assignment and for targets, walrus, def/class names), nested scopes excluded. */
export function boundNames(unit: SourceUnit, node: SyntaxNode): string[] {
  const out = new Set<string>();
  const targets = (n: SyntaxNode): void => {
    if (n.name === "VariableName") out.add(textOf(unit, n));
    else if (n.name === "TupleExpression" || n.name === "ArrayExpression" || n.name === "ParenthesizedExpression") {
      for (let ch = n.firstChild; ch; ch = ch.nextSibling) targets(ch);
    }
  };
  const walk = (n: SyntaxNode): void => {
    switch (n.name) {
      case "AssignStatement": {
        const kids: SyntaxNode[] = [];
        for (let ch = n.firstChild; ch; ch = ch.nextSibling) kids.push(ch);
        const last = kids.map((k) => k.name).lastIndexOf("AssignOp");
        kids.slice(0, Math.max(last, 0)).forEach(targets);
        if (last >= 0 && kids[last + 1]) walk(kids[last + 1]);
        return;
      }
      case "UpdateStatement":
      case "NamedExpression":
        if (n.firstChild) targets(n.firstChild);
        break;
      case "ForStatement":
        for (let ch = n.firstChild?.nextSibling ?? null; ch && ch.name !== "in"; ch = ch.nextSibling) targets(ch);
        break;
      case "FunctionDefinition":
      case "ClassDefinition": {
        const name = n.getChild("VariableName");
        if (name) out.add(textOf(unit, name));
        return;
      }
      case "LambdaExpression":
        return;
      case "CapturePattern":
        if (textOf(unit, n) !== "_") out.add(textOf(unit, n));
        return;
      case "AsPattern":
        if (n.lastChild?.name === "VariableName") out.add(textOf(unit, n.lastChild));
        break;
    }
    for (let ch = n.firstChild; ch; ch = ch.nextSibling) walk(ch);
  };
  walk(node);
  return [...out];
}

/** True when a branch assigns to an attribute or item, or deletes: effects speculation could not undo. */
export function storesOutsideNames(node: SyntaxNode): boolean {
  const cur = node.cursor();
  do {
    const n = cur.node;
    if (n.name === "DeleteStatement" || n.name === "GlobalStatement" || n.name === "NonlocalStatement") return true;
    if (n.name === "AssignStatement" || n.name === "UpdateStatement") {
      for (let ch = n.firstChild; ch && ch.name !== "AssignOp" && ch.name !== "UpdateOp"; ch = ch.nextSibling) {
        if (ch.name === "MemberExpression") return true;
      }
    }
  } while (cur.next() && cur.from < node.to);
  return false;
}

interface Mark {
  readonly mutations: number;
  readonly childCalls: number;
  readonly entries: number;
  readonly ops: number;
  readonly nodes: number;
  readonly edges: number;
}

function markOf(ip: Interp): Mark {
  const t = ip.trace;
  const top = t?.stack[t.stack.length - 1];
  return { mutations: ip.mutations, childCalls: top?.childCalls ?? 0, entries: t?.entries.length ?? 0, ops: top?.ops.length ?? 0, nodes: t?.graph.nodes.length ?? 0, edges: t?.graph.edges.length ?? 0 };
}

/** Undo what the trace recorded since `m` (functional ops and graph nodes); report what happened. */
function rollback(ip: Interp, m: Mark): { readonly undoable: boolean; readonly ops: boolean } {
  const t = ip.trace;
  const top = t?.stack[t.stack.length - 1];
  const undoable = ip.mutations === m.mutations && (t?.entries.length ?? 0) === m.entries;
  const ops = (top?.ops.length ?? 0) > m.ops;
  if (t) {
    t.entries.length = Math.min(t.entries.length, m.entries);
    if (top) {
      top.ops.length = Math.min(top.ops.length, m.ops);
      top.childCalls = m.childCalls;
    }
    t.graph.nodes.length = Math.min(t.graph.nodes.length, m.nodes);
    t.graph.edges.length = Math.min(t.graph.edges.length, m.edges);
  }
  return { undoable, ops };
}

/** One value for what every alternative computed: the same value stays known, else Unknown. */
function join(values: readonly (Value | undefined)[], reason: string): Value | undefined {
  const [a, ...rest] = values;
  if (a === undefined) return values.every((v) => v === undefined) ? undefined : unknownValue(reason);
  let out: Value = a;
  for (const b of rest) {
    const j = b === undefined ? null : same(out, b);
    if (!j) return unknownValue(reason);
    out = j;
  }
  return out;
}

/**
 * What any one of `values` is, for an index not known statically (`items[random.randint(0, 9)]`):
 * the value they all are, tuples and lists of one length item by item, and Unknown for what differs.
 */
export function anyOf(values: readonly Value[], reason: string): Value {
  if (values.length === 0) return unknownValue(reason);
  let out = values[0];
  for (const b of values.slice(1)) {
    const j = same(out, b);
    if (j) out = j;
    else if ((out.k === "tuple" || out.k === "list") && b.k === out.k && b.items.length === out.items.length) {
      const a = out;
      const items = a.items.map((v, i) => anyOf([v, b.items[i]], reason));
      out = a.k === "tuple" ? { ...a, items } : { k: "list", items };
    } else return unknownValue(reason);
  }
  return out;
}

/** a and b as one value when they are the same (tensors: same shape and dtype), else null. */
function same(a: Value, b: Value): Value | null {
  if (a === b) return a;
  switch (a.k) {
    case "int":
    case "float":
    case "bool":
    case "str":
      return b.k === a.k && b.v === a.v ? a : null;
    case "none":
      return b.k === "none" ? a : null;
    case "tuple":
    case "list": {
      if (b.k !== a.k || b.items.length !== a.items.length) return null;
      const items: Value[] = [];
      for (let i = 0; i < a.items.length; i++) {
        const j = same(a.items[i], b.items[i]);
        if (!j) return null;
        items.push(j);
      }
      return a.k === "tuple" ? { ...a, items } : { k: "list", items };
    }
    case "tensor": {
      if (b.k !== "tensor" || a.param || b.param || a.t.dtype !== b.t.dtype) return null;
      const sa = a.t.shape;
      const sb = b.t.shape;
      if (isUnknown(sa) || isUnknown(sb) || !dimsEq(sa, sb)) return null;
      if (a.t.rf === b.t.rf) return { k: "tensor", t: a.t };
      // either way may have run: the output depends on the union of both ways' spans (as where branches meet)
      const rf = rfMerge([[stateOf(a.t), a.t], [stateOf(b.t), b.t]], a.t);
      return { k: "tensor", t: { ...a.t, rf: rf === MISSING ? undefined : rf } };
    }
    case "module":
      return b.k === "module" && b.m === a.m ? a : null;
    case "class":
      return b.k === "class" && b.cls === a.cls ? a : null;
    case "ns":
      return b.k === "ns" && b.name === a.name ? a : null;
    default:
      return null;
  }
}

/**
 * Run each alternative from the state before it and join the names in `names`: a value all of them
 * give stays known. Returns null when that cannot be done (an alternative raised, called a module,
 * or changed an object); the caller then treats the names as unknown.
 */
export function speculate(c: Ctx, names: readonly string[], alternatives: readonly (() => Outcome)[], reason: string): Outcome | null {
  const ip = c.ip;
  // nested undecidable branches multiply the work: past a few levels they are simply unknown
  const depth = depths.get(ip) ?? 0;
  if (depth >= MAX_DEPTH) return null;
  depths.set(ip, depth + 1);
  try {
    return run(c, names, alternatives, reason);
  } finally {
    depths.set(ip, depth);
  }
}

const MAX_DEPTH = 6;
const depths = new WeakMap<Interp, number>();

function run(c: Ctx, names: readonly string[], alternatives: readonly (() => Outcome)[], reason: string): Outcome | null {
  const ip = c.ip;
  const scopes: Scope[] = names.map((n) => c.scope.target(n));
  const before = names.map((n, i) => scopes[i].vars.get(n));
  const restore = (): void =>
    names.forEach((n, i) => {
      const v = before[i];
      if (v === undefined) scopes[i].vars.delete(n);
      else scopes[i].vars.set(n, v);
    });
  const mark = markOf(ip);
  const results: { outcome: Outcome; values: (Value | undefined)[] }[] = [];
  let hadOps = false;
  for (const alt of alternatives) {
    let outcome: Outcome;
    try {
      outcome = alt();
    } catch (e) {
      if (!(e instanceof PyError)) throw e;
      rollback(ip, mark);
      restore();
      return null;
    }
    const values = names.map((n, i) => scopes[i].vars.get(n));
    const r = rollback(ip, mark);
    restore();
    if (!r.undoable) return null;
    hadOps ||= r.ops;
    results.push({ outcome, values });
  }
  const kind = results[0]?.outcome.kind ?? "normal";
  if (results.some((r) => r.outcome.kind !== kind)) return null;
  const graphStart = mark.nodes;
  names.forEach((n, i) => {
    const v = join(results.map((r) => r.values[i]), reason);
    if (v === undefined) return;
    forgetGraph(v, graphStart);
    scopes[i].vars.set(n, v);
  });
  if (hadOps) {
    const t = ip.trace;
    t?.stack[t.stack.length - 1]?.ops.push({ name: "a branch that cannot be decided statically", cost: unknown(reason) });
  }
  if (kind === "return") {
    const v = join(results.map((r) => (r.outcome as { value: Value }).value), reason) ?? unknownValue(reason);
    forgetGraph(v, graphStart);
    return { kind: "return", value: v };
  }
  return { kind } as Outcome;
}

/** Tensors made inside an alternative lost their graph nodes with the rollback. */
function forgetGraph(v: Value, start: number): void {
  for (const t of tensorsIn(v)) if (t.src !== undefined && t.src >= start) t.src = undefined;
}
