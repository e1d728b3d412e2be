// Member access, subscripts and calls in expressions, with their argument lists (*args, **kwargs).
import { type SyntaxNode, textOf } from "./source";
import { callValue, getAttr, getItem, iterate } from "./calls";
import { NONE, pushAll, strOf, unknownValue, type Value } from "./values";
import { type Ctx, evalExpr } from "./eval";
import { evalComprehension } from "./evalCollections";

export function evalMember(c: Ctx, n: SyntaxNode): Value {
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

export function evalCall(c: Ctx, n: SyntaxNode): Value {
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
