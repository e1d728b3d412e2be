// Assignment to targets: names, tuple/list unpacking (with a starred target), attributes and subscripts.
import { type SyntaxNode, textOf, UnitPosition } from "./source";
import { iterate, setAttr as setAttrValue, setItem as setItemValue } from "./calls";
import { isUnknownValue, typeName, type Value } from "./values";
import { PyError } from "./errors";
import { evalSubscript } from "./evalAccess";
import { type Ctx, exprChildren, evalExpr } from "./eval";

/** Assign to `for` / comprehension targets (`a`, `a, b`, `(a, (b, c))`). */
export function assignTargets(c: Ctx, targets: SyntaxNode[], value: Value): void {
  if (targets.length === 1) {
    assignTarget(c, targets[0], value);
    return;
  }
  unpackInto(c, targets, value);
}

/** Unpack `value` into `targets`; `at` is the target list's node, where Python reports a count mismatch. */
export function unpackInto(c: Ctx, targets: SyntaxNode[], value: Value, at: SyntaxNode | undefined = targets[0]): void {
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
  const where = at && c.unit.isUser ? new UnitPosition(c.unit, at.from) : undefined;
  const items = unpackItems(c, value, where);
  const starAt = parts.findIndex((p) => p.star);
  if (starAt < 0) {
    if (items.length !== parts.length) {
      c.ip.raise(
        "ValueError",
        items.length > parts.length
          ? `too many values to unpack (expected ${parts.length})`
          : `not enough values to unpack (expected ${parts.length}, got ${items.length})`,
        null,
        where,
      );
    }
    parts.forEach((p, i) => assignTarget(c, p.node, items[i]));
    return;
  }
  if (items.length < parts.length - 1) {
    c.ip.raise("ValueError", `not enough values to unpack (expected at least ${parts.length - 1}, got ${items.length})`, null, where);
  }
  const after = parts.length - starAt - 1;
  parts.forEach((p, i) => {
    const v: Value =
      i < starAt ? items[i] : i === starAt ? { k: "list", items: items.slice(starAt, items.length - after) } : items[items.length - (parts.length - i)];
    assignTarget(c, p.node, v);
  });
}

/** The items of `value`; a value that is not iterable at all raises Python's unpacking error. */
function unpackItems(c: Ctx, value: Value, where: UnitPosition | undefined): Value[] {
  try {
    return iterate(c.ip, value);
  } catch (e) {
    const name = value.k === "module" ? value.m.cls.name : value.k === "instance" ? value.cls.name : typeName(value);
    if (e instanceof PyError && e.pyType === "TypeError" && e.message === `'${name}' object is not iterable`) {
      c.ip.raise("TypeError", `cannot unpack non-iterable ${name} object`, null, where);
    }
    throw e;
  }
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
      else unpackInto(c, parts, value, t);
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
    setAttrValue(c, target, textOf(c.unit, prop), value, new UnitPosition(c.unit, t.from));
    return;
  }
  const index = evalSubscript(c, t);
  setItemValue(c, target, index, value);
}
