// Binary, comparison and unary operator expressions (with Python's chaining of comparisons).
import { type SyntaxNode, textOf } from "./source";
import { binaryOp, compareOp, containsOp, identityOp, truthy, unaryOp } from "./pyops";
import { FALSE, bool, unknownValue, type Value } from "./values";
import { type Ctx, evalExpr } from "./eval";

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

export function evalBinary(c: Ctx, n: SyntaxNode): Value {
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

export function evalUnary(c: Ctx, n: SyntaxNode): Value {
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
