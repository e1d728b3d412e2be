// Statement execution: bodies and their completions, the dispatch on statement kind, assignments, imports, del.
import type { SyntaxNode } from "./source";
import { PyError } from "./errors";
import { evalExpr, exprChildren, isErrorNode, type Ctx } from "./eval";
import { assignTarget, unpackInto } from "./assignTargets";
import { evalSubscript } from "./evalAccess";
import { binaryOp } from "./pyops";
import { callValue, delAttr, delItem, getAttr, iterate } from "./calls";
import { boundNames } from "./speculate";
import { importModule } from "./torch";
import { textOf } from "./source";
import { NONE, pushAll, unknownValue, type Value } from "./values";
import { makeFunction, execClass, execDecorated } from "./definitions";
import { execAssert, execIf, execFor, execWhile, exceptionMessage, execTry, execWith } from "./controlFlow";
import { execYield } from "./generators";
import { execMatch } from "./matchStatement";

export type Completion = { readonly kind: "normal" } | { readonly kind: "break" } | { readonly kind: "continue" } | { readonly kind: "return"; readonly value: Value };

export const NORMAL: Completion = { kind: "normal" };
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
    case "MatchStatement":
      return execMatch(c, st);
    case "TryStatement":
      return execTry(c, st);
    case "WithStatement":
      return execWith(c, st);
    case "DeleteStatement":
      execDelete(c, st);
      return NORMAL;
    case "YieldStatement":
      execYield(c, st);
      return NORMAL;
    case "StatementGroup": {
      // `a = f(); b = g(a)`: the simple statements of one line, in order
      for (let ch = st.firstChild; ch; ch = ch.nextSibling) {
        if (ch.name === ";") continue;
        const r = execStatement(c, ch);
        if (r.kind !== "normal") return r;
      }
      return NORMAL;
    }
    case "AssertStatement":
      execAssert(c, st);
      return NORMAL;
    case "PassStatement":
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
    else unpackInto(c, targets, value);
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

export function markUnknown(c: Ctx, node: SyntaxNode, reason: string): void {
  for (const name of boundNames(c.unit, node)) c.scope.target(name).vars.set(name, unknownValue(reason));
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

/** `del a, obj.attr, xs[i]` */
function execDelete(c: Ctx, st: SyntaxNode): void {
  for (const n of exprChildren(st)) {
    if (n.name === "VariableName") c.scope.vars.delete(textOf(c.unit, n));
    if (n.name !== "MemberExpression" || !n.firstChild) continue;
    const obj = evalExpr(c, n.firstChild);
    const prop = n.getChild("PropertyName");
    if (prop && !n.getChild("[")) delAttr(c, obj, textOf(c.unit, prop));
    else if (n.getChild("[")) delItem(c, obj, evalSubscript(c, n), { unit: c.unit, node: n });
  }
}
