// Expression evaluation over lezer Python syntax trees.
import type { SyntaxNode } from "./source";
import { PyError } from "./errors";
import { type Interp } from "./interp";
import { binaryOp, compareOp, containsOp, identityOp, truthy, unaryOp } from "./pyops";
import { callValue, getAttr, getItem, iterate } from "./calls";
import { literalOf, textOf, type SourceUnit } from "./source";
import { speculate } from "./speculate";
import { makeFunction } from "./statements";
import {
  FALSE,
  NONE,
  Scope,
  TRUE,
  bool,
  isUnknownValue,
  pushAll,
  strOf,
  unknownValue,
  type Value,
} from "./values";

export interface Ctx {
  readonly ip: Interp;
  readonly unit: SourceUnit;
  readonly scope: Scope;
}

const SKIP = new Set([",", "(", ")", "[", "]", "{", "}", ":", "Comment"]);

export function isErrorNode(n: SyntaxNode): boolean {
  return n.type.isError;
}

export function evalExpr(c: Ctx, n: SyntaxNode): Value {
  c.ip.budget.tick();
  switch (n.name) {
    case "Number":
      // literals are immutable values: parsed once per syntax node
      return literalOf(n, () => parseNumber(textOf(c.unit, n)));
    case "String":
      return literalOf(n, (): Value => ({ k: "str", v: parseString(textOf(c.unit, n)) }));
    case "ContinuedString": {
      let s = "";
      for (let ch = n.firstChild; ch; ch = ch.nextSibling) {
        const v = evalExpr(c, ch);
        if (v.k !== "str") return unknownValue("a formatted string");
        s += v.v;
      }
      return { k: "str", v: s };
    }
    case "FormatString":
      return evalFString(c, n);
    case "Boolean":
      return textOf(c.unit, n) === "True" ? TRUE : FALSE;
    case "None":
      return NONE;
    case "Ellipsis":
      return { k: "ellipsis" };
    case "VariableName":
      return lookupName(c, textOf(c.unit, n), n);
    case "self":
      return lookupName(c, "self", n);
    case "ParenthesizedExpression": {
      const inner = firstExpr(n);
      return inner ? evalExpr(c, inner) : { k: "tuple", items: [] };
    }
    case "TupleExpression":
      return { k: "tuple", items: evalSequence(c, n) };
    case "ArrayExpression":
      return { k: "list", items: evalSequence(c, n) };
    case "SetExpression":
      return { k: "set", items: evalSequence(c, n) };
    case "DictionaryExpression":
      return evalDict(c, n);
    case "ArrayComprehensionExpression":
      return { k: "list", items: evalComprehension(c, n, false) as Value[] };
    case "SetComprehensionExpression":
      return { k: "set", items: evalComprehension(c, n, false) as Value[] };
    case "ComprehensionExpression":
      return { k: "tuple", items: evalComprehension(c, n, false) as Value[] }; // a generator, materialised
    case "DictionaryComprehensionExpression": {
      const pairs = evalComprehension(c, n, true) as [Value, Value][];
      const d: Value = { k: "dict", keys: [], vals: [] };
      for (const [k, v] of pairs) dictSet(d, k, v);
      return d;
    }
    case "MemberExpression":
      return evalMember(c, n);
    case "CallExpression":
      return evalCall(c, n);
    case "BinaryExpression":
      return evalBinary(c, n);
    case "UnaryExpression":
      return evalUnary(c, n);
    case "ConditionalExpression": {
      const parts = exprChildren(n);
      if (parts.length < 3) return unknownValue("an incomplete conditional expression");
      const cond = truthy(c.ip, evalExpr(c, parts[1]));
      if (cond === undefined) {
        // both ways: a value they agree on stays known
        const reason = "the condition cannot be decided statically";
        const r = speculate(c, [], [() => ({ kind: "return", value: evalExpr(c, parts[0]) }), () => ({ kind: "return", value: evalExpr(c, parts[2]) })], reason);
        return r?.kind === "return" ? r.value : unknownValue(reason);
      }
      return evalExpr(c, cond ? parts[0] : parts[2]);
    }
    case "LambdaExpression":
      return makeFunction(c, n, "<lambda>");
    case "AwaitExpression":
    case "YieldExpression":
      return unknownValue(`${n.name} is not evaluated`);
    default:
      if (isErrorNode(n)) return unknownValue("a syntax error");
      return unknownValue(`unsupported syntax (${n.name})`);
  }
}

export function exprChildren(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) {
    if (SKIP.has(ch.name) || ch.name === "if" || ch.name === "else" || ch.name === "lambda") continue;
    out.push(ch);
  }
  return out;
}

function firstExpr(n: SyntaxNode): SyntaxNode | null {
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) if (!SKIP.has(ch.name)) return ch;
  return null;
}

export function lookupName(c: Ctx, name: string, n: SyntaxNode): Value {
  const v = c.scope.lookup(name);
  if (v !== undefined) return v;
  const where = c.unit.isUser ? c.ip.whereOf({ unit: c.unit, node: n }) : c.ip.userWhere();
  throw new PyError("NameError", `name '${name}' is not defined`, null, where);
}

function parseNumber(t: string): Value {
  const s = t.replace(/_/g, "");
  if (/[jJ]$/.test(s)) return unknownValue("complex numbers are not supported");
  if (/^0[xX]/.test(s)) return { k: "int", v: parseInt(s.slice(2), 16) };
  if (/^0[oO]/.test(s)) return { k: "int", v: parseInt(s.slice(2), 8) };
  if (/^0[bB]/.test(s)) return { k: "int", v: parseInt(s.slice(2), 2) };
  if (/[.eE]/.test(s)) return { k: "float", v: parseFloat(s) };
  const v = Number(s);
  if (!Number.isSafeInteger(v)) return unknownValue("an integer literal past 2^53");
  return { k: "int", v };
}

export function parseString(t: string): string {
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(t);
  if (!m) return t;
  const prefix = m[1].toLowerCase();
  const q = m[2];
  let body = t.slice(m[0].length, t.length - (t.endsWith(q) ? q.length : 0));
  if (!prefix.includes("r")) {
    body = body.replace(/\\(n|t|r|\\|'|"|\n|0)/g, (_, e: string) =>
      e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === "0" ? "\0" : e === "\n" ? "" : e,
    );
  }
  return body;
}

function evalFString(c: Ctx, n: SyntaxNode): Value {
  const t = textOf(c.unit, n);
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(t);
  const start = n.from + (m ? m[0].length : 0);
  const end = n.to - (m ? m[2].length : 0);
  let s = "";
  let pos = start;
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name !== "FormatReplacement") continue;
    s += c.unit.text.slice(pos, ch.from);
    const inner = firstExpr(ch);
    if (inner) {
      const v = evalExpr(c, inner);
      if (isUnknownValue(v)) return unknownValue("a formatted string with an unknown value");
      s += strOf(v);
    }
    pos = ch.to;
  }
  s += c.unit.text.slice(pos, Math.max(pos, end));
  return { k: "str", v: s };
}

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

export function dictSet(d: Value, key: Value, val: Value): void {
  if (d.k !== "dict") return;
  const i = d.keys.findIndex((k) => identityOp(k, key) || sameKey(k, key));
  if (i >= 0) d.vals[i] = val;
  else {
    d.keys.push(key);
    d.vals.push(val);
  }
}

export function sameKey(a: Value, b: Value): boolean {
  if ((a.k === "str" && b.k === "str") || (a.k === "bool" && b.k === "bool")) return a.v === b.v;
  if ((a.k === "int" || a.k === "float") && (b.k === "int" || b.k === "float")) return a.v === b.v;
  if (a.k === "tuple" && b.k === "tuple") return a.items.length === b.items.length && a.items.every((x, i) => sameKey(x, b.items[i]));
  if (a.k === "none" && b.k === "none") return true;
  return false;
}

function evalDict(c: Ctx, n: SyntaxNode): Value {
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
function evalComprehension(c: Ctx, n: SyntaxNode, isDict: boolean): (Value | [Value, Value])[] {
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
        if (kids[i].name !== ",") targets.push(kids[i]);
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

/** Assign to `for` / comprehension targets (`a`, `a, b`, `(a, (b, c))`). */
export function assignTargets(c: Ctx, targets: SyntaxNode[], value: Value): void {
  if (targets.length === 1) {
    assignTarget(c, targets[0], value);
    return;
  }
  unpackInto(c, targets, value);
}

export function unpackInto(c: Ctx, targets: SyntaxNode[], value: Value): void {
  // `a, *rest, b = ...`: lezer gives the star as its own `*` node before the name it marks
  const parts: { node: SyntaxNode; star: boolean }[] = [];
  for (let i = 0; i < targets.length; i++) {
    if (targets[i].name !== "*") parts.push({ node: targets[i], star: false });
    else if (targets[i + 1]) parts.push({ node: targets[++i], star: true });
  }
  if (isUnknownValue(value)) {
    for (const p of parts) assignTarget(c, p.node, value);
    return;
  }
  const items = iterate(c.ip, value);
  const starAt = parts.findIndex((p) => p.star);
  if (starAt < 0) {
    if (items.length !== parts.length) {
      c.ip.raise(
        "ValueError",
        items.length > parts.length
          ? `too many values to unpack (expected ${parts.length})`
          : `not enough values to unpack (expected ${parts.length}, got ${items.length})`,
      );
    }
    parts.forEach((p, i) => assignTarget(c, p.node, items[i]));
    return;
  }
  if (items.length < parts.length - 1) {
    c.ip.raise("ValueError", `not enough values to unpack (expected at least ${parts.length - 1}, got ${items.length})`);
  }
  const after = parts.length - starAt - 1;
  parts.forEach((p, i) => {
    const v: Value =
      i < starAt ? items[i] : i === starAt ? { k: "list", items: items.slice(starAt, items.length - after) } : items[items.length - (parts.length - i)];
    assignTarget(c, p.node, v);
  });
}

export function assignTarget(c: Ctx, t: SyntaxNode, value: Value): void {
  switch (t.name) {
    case "VariableName": {
      const name = textOf(c.unit, t);
      c.scope.target(name).vars.set(name, value);
      return;
    }
    case "TupleExpression":
    case "ArrayExpression":
    case "ParenthesizedExpression": {
      const parts = exprChildren(t);
      if (t.name === "ParenthesizedExpression" && parts.length === 1) assignTarget(c, parts[0], value);
      else unpackInto(c, parts, value);
      return;
    }
    case "MemberExpression":
      assignMember(c, t, value);
      return;
    default:
      return; // nothing sensible to assign to (syntax error)
  }
}

function assignMember(c: Ctx, t: SyntaxNode, value: Value): void {
  const obj = t.firstChild;
  if (!obj) return;
  const target = evalExpr(c, obj);
  const prop = t.getChild("PropertyName");
  if (prop && !t.getChild("[")) {
    setAttrValue(c, target, textOf(c.unit, prop), value);
    return;
  }
  const index = evalSubscript(c, t);
  setItemValue(c, target, index, value);
}

import { setAttr as setAttrValue, setItem as setItemValue } from "./calls";

function evalMember(c: Ctx, n: SyntaxNode): Value {
  const objNode = n.firstChild;
  if (!objNode) return unknownValue("a syntax error");
  const prop = n.getChild("PropertyName");
  // `2.`: lezer reads a float with a trailing dot as `Number "." <error>` (see source.ts)
  if (objNode.name === "Number" && !prop && !n.getChild("[")) {
    const t = textOf(c.unit, objNode);
    if (/^[0-9][0-9_]*$/.test(t)) return { k: "float", v: Number(t.replace(/_/g, "")) };
  }
  const obj = evalExpr(c, objNode);
  if (prop && !n.getChild("[")) return getAttr(c.ip, obj, textOf(c.unit, prop), { unit: c.unit, node: n });
  if (!n.getChild("[")) return unknownValue("a syntax error");
  const index = evalSubscript(c, n);
  return getItem(c.ip, obj, index, { unit: c.unit, node: n });
}

/** The index of `x[...]`: one value, or a tuple for `x[a, b]`; slices as slice values. */
export function evalSubscript(c: Ctx, n: SyntaxNode): Value {
  const items: Value[] = [];
  let seg: SyntaxNode[] = [];
  let inside = false;
  let sawComma = false;
  const flush = (): void => {
    if (seg.length === 0) return;
    items.push(evalIndexSegment(c, seg));
    seg = [];
  };
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "[") {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (ch.name === "]") break;
    if (ch.name === ",") {
      sawComma = true;
      flush();
      continue;
    }
    seg.push(ch);
  }
  flush();
  if (items.length === 1 && !sawComma) return items[0];
  return { k: "tuple", items };
}

function evalIndexSegment(c: Ctx, seg: SyntaxNode[]): Value {
  if (!seg.some((s) => s.name === ":")) return evalExpr(c, seg[0]);
  const parts: (SyntaxNode | null)[] = [null];
  for (const s of seg) {
    if (s.name === ":") parts.push(null);
    else parts[parts.length - 1] = s;
  }
  const val = (p: SyntaxNode | null | undefined): Value => (p ? evalExpr(c, p) : NONE);
  return { k: "slice", start: val(parts[0]), stop: val(parts[1]), step: val(parts[2]) };
}

/** Evaluate an ArgList into positional and keyword arguments (with * and ** unpacking). */
export function evalArgs(c: Ctx, argList: SyntaxNode | null): { args: Value[]; kwargs: [string, Value][] } {
  const args: Value[] = [];
  const kwargs: [string, Value][] = [];
  if (!argList) return { args, kwargs };
  if (argList.getChild("for")) {
    // f(x for x in xs): a single generator argument
    return { args: [{ k: "tuple", items: evalComprehension(c, argList, false) as Value[] }], kwargs: [] };
  }
  let pending: "*" | "**" | null = null;
  for (let ch = argList.firstChild; ch; ch = ch.nextSibling) {
    const name = ch.name;
    if (name === "(" || name === ")" || name === "," || name === "Comment") continue;
    if (name === "*" || name === "**") {
      pending = name;
      continue;
    }
    if (name === "VariableName" && ch.nextSibling?.name === "AssignOp") {
      const valNode = ch.nextSibling.nextSibling;
      kwargs.push([textOf(c.unit, ch), valNode ? evalExpr(c, valNode) : NONE]);
      ch = ch.nextSibling.nextSibling ?? ch.nextSibling;
      continue;
    }
    const v = evalExpr(c, ch);
    if (pending === "*") pushAll(args, iterate(c.ip, v));
    else if (pending === "**") {
      if (v.k === "dict") v.keys.forEach((k, i) => kwargs.push([strOf(k), v.vals[i]]));
    } else args.push(v);
    pending = null;
  }
  return { args, kwargs };
}

function evalCall(c: Ctx, n: SyntaxNode): Value {
  const calleeNode = n.firstChild;
  if (!calleeNode) return unknownValue("a syntax error");
  const callee = evalExpr(c, calleeNode);
  const { args, kwargs } = evalArgs(c, n.getChild("ArgList"));
  const frame = c.ip.frame;
  const saved = frame.callNode;
  frame.callNode = n;
  try {
    return callValue(c.ip, callee, args, kwargs, { unit: c.unit, node: n });
  } finally {
    frame.callNode = saved;
  }
}

function operatorText(c: Ctx, n: SyntaxNode): { op: string; left: SyntaxNode; right: SyntaxNode } | null {
  const kids: SyntaxNode[] = [];
  for (let ch = n.firstChild; ch; ch = ch.nextSibling) if (ch.name !== "Comment") kids.push(ch);
  if (kids.length < 3) return null;
  const left = kids[0];
  const right = kids[kids.length - 1];
  const op = kids
    .slice(1, -1)
    .map((k) => textOf(c.unit, k))
    .join(" ");
  return { op, left, right };
}

function evalBinary(c: Ctx, n: SyntaxNode): Value {
  const parts = operatorText(c, n);
  if (!parts) return unknownValue("a syntax error");
  const { op, left, right } = parts;
  if (op === "and" || op === "or") {
    const l = evalExpr(c, left);
    const t = truthy(c.ip, l);
    if (t === undefined) return unknownValue("a condition that cannot be decided statically");
    if (op === "and") return t ? evalExpr(c, right) : l;
    return t ? l : evalExpr(c, right);
  }
  // chained comparisons: a < b < c parses as (a < b) < c with the left a comparison
  if (isComparison(op) && left.name === "BinaryExpression") {
    const inner = operatorText(c, left);
    if (inner && isComparison(inner.op)) {
      const lv = evalExpr(c, left);
      const t = truthy(c.ip, lv);
      if (t === undefined) return unknownValue("a comparison that cannot be decided statically");
      if (!t) return FALSE;
      const mid = evalExpr(c, inner.right);
      return applyOp(c, op, mid, evalExpr(c, right), n);
    }
  }
  return applyOp(c, op, evalExpr(c, left), evalExpr(c, right), n);
}

function isComparison(op: string): boolean {
  return ["<", ">", "<=", ">=", "==", "!=", "in", "not in", "is", "is not"].includes(op);
}

function applyOp(c: Ctx, op: string, a: Value, b: Value, n: SyntaxNode): Value {
  const site = { unit: c.unit, node: n };
  switch (op) {
    case "in":
      return containsOp(c.ip, b, a);
    case "not in": {
      const r = containsOp(c.ip, b, a);
      return r.k === "bool" ? bool(!r.v) : r;
    }
    case "is":
      return bool(identityOp(a, b));
    case "is not":
      return bool(!identityOp(a, b));
    case "<":
    case ">":
    case "<=":
    case ">=":
    case "==":
    case "!=":
      return compareOp(c.ip, op, a, b, site);
    default:
      return binaryOp(c.ip, op, a, b, site);
  }
}

function evalUnary(c: Ctx, n: SyntaxNode): Value {
  const opNode = n.firstChild;
  const operand = n.lastChild;
  if (!opNode || !operand || opNode === operand) return unknownValue("a syntax error");
  const op = textOf(c.unit, opNode);
  if (op === "not") {
    // lezer parses `not a and b` as `not (a and b)`: Python binds `not` tighter than and/or
    if (operand.name === "BinaryExpression") {
      const parts = operatorText(c, operand);
      if (parts && (parts.op === "and" || parts.op === "or")) {
        return evalNotReassociated(c, operand);
      }
    }
    const t = truthy(c.ip, evalExpr(c, operand));
    return t === undefined ? unknownValue("a condition that cannot be decided statically") : bool(!t);
  }
  return unaryOp(c.ip, op, evalExpr(c, operand), { unit: c.unit, node: n });
}

/** Evaluate `not X op Y` as `(not X) op Y` where op is and/or (leftmost operand negated). */
function evalNotReassociated(c: Ctx, n: SyntaxNode): Value {
  const parts = operatorText(c, n);
  if (!parts) return unknownValue("a syntax error");
  let l: Value;
  if (parts.left.name === "BinaryExpression" && ["and", "or"].includes(operatorText(c, parts.left)?.op ?? "")) {
    l = evalNotReassociated(c, parts.left);
  } else {
    const t = truthy(c.ip, evalExpr(c, parts.left));
    l = t === undefined ? unknownValue("a condition that cannot be decided statically") : bool(!t);
  }
  const t = truthy(c.ip, l);
  if (t === undefined) return unknownValue("a condition that cannot be decided statically");
  if (parts.op === "and") return t ? evalExpr(c, parts.right) : l;
  return t ? l : evalExpr(c, parts.right);
}
