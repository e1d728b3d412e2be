// Expression evaluation over lezer Python syntax trees: the dispatch on node kind, names, literals and f-strings.
import type { SyntaxNode } from "./source";
import { PyError } from "./errors";
import { type Interp } from "./interp";
import { truthy } from "./pyops";
import { literalOf, textOf, type SourceUnit } from "./source";
import { speculate } from "./speculate";
import { makeFunction } from "./definitions";
import { FALSE, NONE, Scope, TRUE, isUnknownValue, strOf, unknownValue, type Value } from "./values";
import { evalBinary, evalUnary } from "./evalOperators";
import { evalMember, evalCall } from "./evalAccess";
import { evalSequence, evalDict, evalComprehension, dictSet } from "./evalCollections";
import { execYield } from "./generators";
import { assignTarget } from "./assignTargets";

export interface Ctx {
  readonly ip: Interp;
  readonly unit: SourceUnit;
  readonly scope: Scope;
}

export const SKIP = new Set([",", "(", ")", "[", "]", "{", "}", ":", "Comment"]);

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
    case "YieldExpression":
      return execYield(c, n);
    case "NamedExpression": {
      // `(name := value)`: binds the name and gives the value
      const [target, value] = exprChildren(n).filter((p) => p.name !== "AssignOp");
      if (!target || !value) return unknownValue("an incomplete := expression");
      const v = evalExpr(c, value);
      assignTarget(c, target, v);
      return v;
    }
    case "AwaitExpression":
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
