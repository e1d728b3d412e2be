// Statement execution: assignment, control flow, definitions, imports.
import type { SyntaxNode } from "./source";
import { BudgetError, PyError } from "./errors";
import { evalExpr, exprChildren, isErrorNode, type Ctx } from "./eval";
import { assignTarget, assignTargets } from "./assignTargets";
import { evalSubscript } from "./evalAccess";
import { paramsOf } from "./interp";
import { binaryOp, truthy } from "./pyops";
import { callValue, delAttr, delItem, getAttr, iterate } from "./calls";
import { boundNames, speculate, storesOutsideNames } from "./speculate";
import { importModule } from "./torch";
import { isDataclassDecorator, makeDataclass } from "./dataclass";
import { textOf } from "./source";
import { NONE, Scope, pushAll, repr, strOf, unknownValue, type ClassObj, type FuncDef, type Value } from "./values";

export type Completion = { readonly kind: "normal" } | { readonly kind: "break" } | { readonly kind: "continue" } | { readonly kind: "return"; readonly value: Value };

const NORMAL: Completion = { kind: "normal" };
const BREAK: Completion = { kind: "break" };
const CONTINUE: Completion = { kind: "continue" };

/** Execute the statements of a Body (or a Script's children). */
export function execBody(c: Ctx, body: SyntaxNode): Completion {
  for (let st = body.firstChild; st; st = st.nextSibling) {
    const r = execStatement(c, st);
    if (r.kind !== "normal") return r;
  }
  return NORMAL;
}

export function execStatement(c: Ctx, st: SyntaxNode): Completion {
  c.ip.budget.tick();
  switch (st.name) {
    case "ExpressionStatement": {
      const e = st.firstChild;
      if (e) evalExpr(c, e);
      return NORMAL;
    }
    case "AssignStatement":
      execAssign(c, st);
      return NORMAL;
    case "UpdateStatement":
      execUpdate(c, st);
      return NORMAL;
    case "IfStatement":
      return execIf(c, st);
    case "ForStatement":
      return execFor(c, st);
    case "WhileStatement":
      return execWhile(c, st);
    case "FunctionDefinition": {
      const nameNode = st.getChild("VariableName");
      if (!nameNode) return NORMAL;
      const name = textOf(c.unit, nameNode);
      c.scope.target(name).vars.set(name, makeFunction(c, st, name));
      return NORMAL;
    }
    case "ClassDefinition":
      execClass(c, st);
      return NORMAL;
    case "DecoratedStatement":
      return execDecorated(c, st);
    case "ReturnStatement": {
      const parts = exprChildren(st).filter((n) => n.name !== "return");
      if (parts.length === 0) return { kind: "return", value: NONE };
      if (parts.length === 1 && !hasTrailingComma(st)) return { kind: "return", value: evalExpr(c, parts[0]) };
      return { kind: "return", value: { k: "tuple", items: parts.map((p) => evalExpr(c, p)) } };
    }
    case "BreakStatement":
      return BREAK;
    case "ContinueStatement":
      return CONTINUE;
    case "ImportStatement":
      execImport(c, st);
      return NORMAL;
    case "ScopeStatement": {
      if (st.firstChild && textOf(c.unit, st.firstChild) === "global") {
        for (const n of st.getChildren("VariableName")) c.scope.declareGlobal(textOf(c.unit, n));
      }
      return NORMAL;
    }
    case "RaiseStatement": {
      const e = exprChildren(st).find((n) => n.name !== "raise" && n.name !== "from");
      const v = e ? evalExpr(c, e) : NONE;
      const pyType = v.k === "instance" ? v.cls.name : v.k === "class" ? v.cls.name : "Exception";
      throw new PyError(pyType, exceptionMessage(v), null, c.ip.whereOf({ unit: c.unit, node: st }));
    }
    case "TryStatement":
      return execTry(c, st);
    case "WithStatement":
      return execWith(c, st);
    case "DeleteStatement":
      execDelete(c, st);
      return NORMAL;
    case "PassStatement":
    case "AssertStatement":
    case "Comment":
    case ":":
    case "Body":
      return NORMAL;
    default:
      return NORMAL; // error nodes and statements with no effect on shapes
  }
}

function hasTrailingComma(st: SyntaxNode): boolean {
  return st.lastChild?.name === ",";
}

/** Split an assignment's children at `=`: target groups, then the value group. */
function execAssign(c: Ctx, st: SyntaxNode): void {
  const groups: SyntaxNode[][] = [[]];
  const commas: boolean[] = [false];
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "AssignOp") {
      groups.push([]);
      commas.push(false);
    } else if (ch.name === ",") commas[commas.length - 1] = true;
    else if (ch.name !== "TypeDef" && ch.name !== "Comment") groups[groups.length - 1].push(ch);
  }
  if (groups.length < 2) return; // annotation only
  const valueNodes = groups[groups.length - 1];
  if (valueNodes.length === 0 || valueNodes.some(isErrorNode)) return;
  const value =
    valueNodes.length === 1 && !commas[commas.length - 1]
      ? evalExpr(c, valueNodes[0])
      : ({ k: "tuple", items: valueNodes.map((n) => evalExpr(c, n)) } as Value);
  for (let g = 0; g < groups.length - 1; g++) {
    const targets = groups[g];
    if (targets.length === 1 && !commas[g]) assignTarget(c, targets[0], value);
    else assignTargets(c, targets, value);
  }
}

function execUpdate(c: Ctx, st: SyntaxNode): void {
  const target = st.firstChild;
  const opNode = st.getChild("UpdateOp");
  const valueNode = st.lastChild;
  if (!target || !opNode || !valueNode || valueNode === opNode) return;
  const op = textOf(c.unit, opNode).slice(0, -1);
  const current = evalExpr(c, target);
  const rhs = evalExpr(c, valueNode);
  // list += iterable extends in place (Python semantics matter for `layers += [...]`)
  if (op === "+" && current.k === "list") {
    c.ip.touch(current);
    pushAll(current.items, iterate(c.ip, rhs));
    return;
  }
  // ModuleList / Sequential += modules: __iadd__ is extend (each module appended in place)
  if (op === "+" && current.k === "module") {
    const site = { unit: c.unit, node: st };
    const append = getAttr(c.ip, current, "append", site);
    for (const item of iterate(c.ip, rhs)) callValue(c.ip, append, [item], [], site);
    return;
  }
  assignTarget(c, target, binaryOp(c.ip, op, current, rhs, { unit: c.unit, node: st }, true));
}

function markUnknown(c: Ctx, node: SyntaxNode, reason: string): void {
  for (const name of boundNames(c.unit, node)) c.scope.target(name).vars.set(name, unknownValue(reason));
}

function execIf(c: Ctx, st: SyntaxNode): Completion {
  return execIfFrom(c, st, st.firstChild);
}

/** The if/elif/else chain of `st` from clause `ch` on. */
function execIfFrom(c: Ctx, st: SyntaxNode, from: SyntaxNode | null): Completion {
  let ch = from;
  while (ch) {
    if (ch.name === "if" || ch.name === "elif") {
      const cond = ch.nextSibling;
      const body = cond?.nextSibling;
      if (!cond || !body || body.name !== "Body") return NORMAL;
      const t = truthy(c.ip, evalExpr(c, cond));
      if (t === undefined) {
        // run both ways; what they agree on stays known
        const reason = "it is assigned under a condition that cannot be decided statically";
        const names = boundNames(c.unit, st);
        const rest = body.nextSibling;
        const r = storesOutsideNames(st) ? null : speculate(c, names, [() => execBody(c, body), () => execIfFrom(c, st, rest)], reason);
        if (r) return r;
        for (const name of names) c.scope.target(name).vars.set(name, unknownValue(reason));
        return NORMAL;
      }
      if (t) return execBody(c, body);
      ch = body.nextSibling;
    } else if (ch.name === "else") {
      const body = ch.nextSibling;
      return body ? execBody(c, body) : NORMAL;
    } else ch = ch.nextSibling;
  }
  return NORMAL;
}

function forParts(c: Ctx, st: SyntaxNode): { targets: SyntaxNode[]; iter: SyntaxNode[]; body: SyntaxNode | null; orelse: SyntaxNode | null } {
  const targets: SyntaxNode[] = [];
  const iter: SyntaxNode[] = [];
  let body: SyntaxNode | null = null;
  let orelse: SyntaxNode | null = null;
  let phase: "targets" | "iter" | "after" = "targets";
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "for" || ch.name === "async") continue;
    if (ch.name === "in" && phase === "targets") {
      phase = "iter";
      continue;
    }
    if (ch.name === "Body") {
      if (!body) body = ch;
      else orelse = ch;
      phase = "after";
      continue;
    }
    if (ch.name === "," || ch.name === "else") continue;
    if (phase === "targets") targets.push(ch);
    else if (phase === "iter") iter.push(ch);
  }
  void c;
  return { targets, iter, body, orelse };
}

function execFor(c: Ctx, st: SyntaxNode): Completion {
  const { targets, iter, body, orelse } = forParts(c, st);
  if (!body || iter.length === 0 || targets.length === 0) return NORMAL;
  const iterable = iter.length === 1 ? evalExpr(c, iter[0]) : ({ k: "tuple", items: iter.map((n) => evalExpr(c, n)) } as Value);
  if (iterable.k === "unknown") {
    markUnknown(c, st, `it is assigned in a loop over an unknown value (${iterable.reason})`);
    return NORMAL;
  }
  for (const item of iterate(c.ip, iterable)) {
    c.ip.budget.tick();
    assignTargets(c, targets, item);
    const r = execBody(c, body);
    if (r.kind === "break") return NORMAL;
    if (r.kind === "return") return r;
  }
  return orelse ? execBody(c, orelse) : NORMAL;
}

function execWhile(c: Ctx, st: SyntaxNode): Completion {
  const cond = st.firstChild?.nextSibling;
  const body = st.getChild("Body");
  if (!cond || !body) return NORMAL;
  for (;;) {
    c.ip.budget.tick();
    const t = truthy(c.ip, evalExpr(c, cond));
    if (t === undefined) {
      markUnknown(c, st, "it is assigned in a loop whose condition cannot be decided statically");
      return NORMAL;
    }
    if (!t) break;
    const r = execBody(c, body);
    if (r.kind === "break") return NORMAL;
    if (r.kind === "return") return r;
  }
  const bodies = st.getChildren("Body");
  return bodies.length > 1 ? execBody(c, bodies[1]) : NORMAL;
}

function execTry(c: Ctx, st: SyntaxNode): Completion {
  const kids: SyntaxNode[] = [];
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) kids.push(ch);
  const body = kids.find((k) => k.name === "Body");
  const finallyIdx = kids.findIndex((k) => k.name === "finally");
  const finallyBody = finallyIdx >= 0 ? kids[finallyIdx + 1] : undefined;
  let result: Completion = NORMAL;
  try {
    if (body) result = execBody(c, body);
    const elseIdx = kids.findIndex((k) => k.name === "else");
    if (elseIdx >= 0 && kids[elseIdx + 1]) result = execBody(c, kids[elseIdx + 1]);
  } catch (e) {
    if (!(e instanceof PyError)) throw e;
    const exceptIdx = kids.findIndex((k) => k.name === "except");
    if (exceptIdx < 0) throw e;
    let j = exceptIdx + 1;
    while (j < kids.length && kids[j].name !== "Body") {
      if (kids[j].name === "as" && kids[j + 1]?.name === "VariableName") {
        c.scope.vars.set(textOf(c.unit, kids[j + 1]), { k: "opaque", typeName: e.pyType, v: e.message });
      }
      j++;
    }
    if (kids[j]) result = execBody(c, kids[j]);
  } finally {
    if (finallyBody) execBody(c, finallyBody);
  }
  return result;
}

function execWith(c: Ctx, st: SyntaxNode): Completion {
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "Body") return execBody(c, ch);
    if (ch.name === "with" || ch.name === "," || ch.name === "as") continue;
    if (ch.prevSibling?.name === "as") {
      assignTarget(c, ch, unknownValue("a context manager's value"));
      continue;
    }
    evalExpr(c, ch);
  }
  return NORMAL;
}

function execImport(c: Ctx, st: SyntaxNode): void {
  const kids: SyntaxNode[] = [];
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) kids.push(ch);
  const text = (n: SyntaxNode): string => textOf(c.unit, n);
  if (kids[0] && text(kids[0]) === "from") {
    const importIdx = kids.findIndex((k) => text(k) === "import");
    const modName = kids
      .slice(1, importIdx)
      .map(text)
      .join("");
    const mod = importModule(modName);
    for (let i = importIdx + 1; i < kids.length; i++) {
      if (kids[i].name !== "VariableName") continue;
      const name = text(kids[i]);
      let alias = name;
      if (kids[i + 1] && text(kids[i + 1]) === "as" && kids[i + 2]) {
        alias = text(kids[i + 2]);
        i += 2;
      }
      c.scope.vars.set(alias, getAttr(c.ip, mod, name, { unit: c.unit, node: kids[i] }));
    }
    return;
  }
  // import a.b.c [as x], d
  let i = 1;
  while (i < kids.length) {
    const parts: string[] = [];
    while (i < kids.length && kids[i].name !== "," && text(kids[i]) !== "as") {
      if (kids[i].name === "VariableName") parts.push(text(kids[i]));
      i++;
    }
    if (i < kids.length && text(kids[i]) === "as") {
      const alias = kids[i + 1] ? text(kids[i + 1]) : parts[0];
      c.scope.vars.set(alias, importModule(parts.join(".")));
      i += 2;
    } else if (parts.length > 0) {
      c.scope.vars.set(parts[0], importModule(parts[0]));
    }
    i++;
  }
}

/** A function value for a `def` or `lambda` node, with its defaults evaluated now. */
export function makeFunction(c: Ctx, node: SyntaxNode, name: string, definingClass?: ClassObj): Value {
  const paramList = node.getChild("ParamList");
  const params = paramsOf(paramList, (n) => textOf(c.unit, n));
  const defaults = new Map<string, Value>();
  if (paramList && params.some((p) => p.hasDefault)) {
    for (let ch = paramList.firstChild; ch; ch = ch.nextSibling) {
      if (ch.name === "VariableName") {
        const next = ch.nextSibling?.name === "TypeDef" ? ch.nextSibling.nextSibling : ch.nextSibling;
        if (next?.name === "AssignOp" && next.nextSibling) defaults.set(textOf(c.unit, ch), evalExpr(c, next.nextSibling));
      }
    }
  }
  // methods see the module scope, not the class body
  let closure = c.scope;
  while (closure.kind === "class" && closure.parent) closure = closure.parent;
  const fn: FuncDef = { name, node, unit: c.unit, closure, defaults, definingClass };
  return { k: "func", fn };
}

function execClass(c: Ctx, st: SyntaxNode, decorators: Value[] = []): void {
  const nameNode = st.getChild("VariableName");
  if (!nameNode) return;
  const name = textOf(c.unit, nameNode);
  const bases: ClassObj[] = [];
  const argList = st.getChild("ArgList");
  if (argList) {
    for (let ch = argList.firstChild; ch; ch = ch.nextSibling) {
      if (["(", ")", ",", "Comment"].includes(ch.name)) continue;
      if (ch.name === "VariableName" && ch.nextSibling?.name === "AssignOp") break; // metaclass=...
      const b = evalExpr(c, ch);
      if (b.k === "class") bases.push(b.cls);
    }
  }
  const cls: ClassObj = {
    name,
    kind: "user",
    bases,
    attrs: new Map(),
    isUser: c.unit.isUser,
    line: c.ip.whereOf({ unit: c.unit, node: st }).line ?? undefined,
  };
  const classScope = new Scope(c.scope, "class");
  const body = st.getChild("Body");
  if (body) {
    const inner: Ctx = { ip: c.ip, unit: c.unit, scope: classScope };
    for (let s = body.firstChild; s; s = s.nextSibling) {
      try {
        if (s.name === "FunctionDefinition") {
          const fnName = s.getChild("VariableName");
          if (fnName) classScope.vars.set(textOf(c.unit, fnName), makeFunction(inner, s, textOf(c.unit, fnName), cls));
        } else if (s.name === "DecoratedStatement") {
          execDecorated(inner, s, cls);
        } else execStatement(inner, s);
      } catch (e) {
        if (e instanceof BudgetError) throw e;
        if (!(e instanceof PyError)) throw e;
        // a failing class attribute leaves the rest of the class usable
      }
    }
  }
  for (const [k, v] of classScope.vars) cls.attrs.set(k, v);
  void decorators;
  c.scope.target(name).vars.set(name, { k: "class", cls });
}

function execDecorated(c: Ctx, st: SyntaxNode, definingClass?: ClassObj): Completion {
  const decorators: string[] = [];
  let def: SyntaxNode | null = null;
  for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === "Decorator") decorators.push(textOf(c.unit, ch).replace(/^@\s*/, "").trim());
    else if (ch.name === "FunctionDefinition" || ch.name === "ClassDefinition") def = ch;
  }
  if (!def) return NORMAL;
  if (def.name === "ClassDefinition") {
    execClass(c, def);
    const nameNode = def.getChild("VariableName");
    const made = nameNode ? c.scope.target(textOf(c.unit, nameNode)).vars.get(textOf(c.unit, nameNode)) : undefined;
    if (made?.k === "class" && decorators.some(isDataclassDecorator)) makeDataclass(c.ip, c.unit, def, made.cls);
    return NORMAL;
  }
  const nameNode = def.getChild("VariableName");
  if (!nameNode) return NORMAL;
  const name = textOf(c.unit, nameNode);
  const fn = makeFunction(c, def, name, definingClass);
  const ip = c.ip;
  let value: Value = fn;
  if (decorators.includes("staticmethod")) {
    value = { k: "builtin", name: "staticmethod", call: (args, kwargs, site) => callValue(ip, fn, args, kwargs, site) };
  } else if (decorators.includes("classmethod")) {
    // bound to the class it is read from (see getAttr), or to an instance's class
    value = { k: "builtin", name: "classmethod", call: (args, kwargs, site, self) => callValue(ip, fn, [classOf(self, definingClass), ...args], kwargs, site) };
  } else if (decorators.includes("property")) {
    // attribute access on an instance calls the getter (see getAttr)
    value = { k: "builtin", name: "property", call: () => NONE, self: fn };
  }
  c.scope.target(name).vars.set(name, value);
  return NORMAL;
}

/** str() of a raised exception: its one argument, the tuple of several, "" for none. */
function exceptionMessage(v: Value): string {
  const args = v.k === "instance" ? v.attrs.get("args") : undefined;
  if (!args || args.k !== "tuple" || args.items.length === 0) return "";
  return args.items.length === 1 ? strOf(args.items[0]) : repr(args);
}

/** `del a, obj.attr, xs[i]` */
function execDelete(c: Ctx, st: SyntaxNode): void {
  for (const n of exprChildren(st)) {
    if (n.name === "VariableName") c.scope.vars.delete(textOf(c.unit, n));
    if (n.name !== "MemberExpression" || !n.firstChild) continue;
    const obj = evalExpr(c, n.firstChild);
    const prop = n.getChild("PropertyName");
    if (prop && !n.getChild("[")) delAttr(c, obj, textOf(c.unit, prop));
    else if (n.getChild("[")) delItem(c, obj, evalSubscript(c, n));
  }
}

/** The class a classmethod receives: the class it was read from, or the class of the instance. */
function classOf(self: Value | undefined, definingClass: ClassObj | undefined): Value {
  if (self?.k === "class") return self;
  if (self?.k === "module") return { k: "class", cls: self.m.cls };
  if (self?.k === "instance") return { k: "class", cls: self.cls };
  return definingClass ? { k: "class", cls: definingClass } : NONE;
}
