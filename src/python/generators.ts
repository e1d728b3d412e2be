// Generator functions: a call runs the body to the end at once, collecting what `yield` / `yield from` give, and returns an iterator over them.
import { iterate } from "./calls";
import type { Ctx } from "./eval";
import { evalExpr, exprChildren } from "./eval";
import type { Interp } from "./interp";
import type { SyntaxNode } from "./source";
import { NONE, type Value } from "./values";

const IS_GENERATOR = new WeakMap<SyntaxNode, boolean>();

/** Whether a `def` body yields (in itself, not in a nested def, lambda or class). */
export function isGeneratorBody(body: SyntaxNode): boolean {
  const known = IS_GENERATOR.get(body);
  if (known !== undefined) return known;
  const walk = (n: SyntaxNode): boolean => {
    for (let ch = n.firstChild; ch; ch = ch.nextSibling) {
      if (ch.name === "YieldStatement" || ch.name === "YieldExpression") return true;
      if (ch.name === "FunctionDefinition" || ch.name === "LambdaExpression" || ch.name === "ClassDefinition") continue;
      if (walk(ch)) return true;
    }
    return false;
  };
  const r = walk(body);
  IS_GENERATOR.set(body, r);
  return r;
}

/**
 * `yield v` / `yield from it` (statement or expression): appends to the running generator's items.
 * The value sent back into the generator is None (nothing calls send()).
 */
export function execYield(c: Ctx, n: SyntaxNode): Value {
  const parts = exprChildren(n).filter((p) => p.name !== "yield" && p.name !== "from");
  const isFrom = exprChildren(n).some((p) => p.name === "from");
  const items = c.ip.frames[c.ip.frames.length - 1]?.yields;
  const v = parts.length === 0 ? NONE : parts.length === 1 ? evalExpr(c, parts[0]) : ({ k: "tuple", items: parts.map((p) => evalExpr(c, p)) } as Value);
  if (!items) return c.ip.raise("SyntaxError", "'yield' outside function");
  if (isFrom) items.push(...iterate(c.ip, v));
  else items.push(v);
  return NONE;
}

/** The iterator a generator call returns, over the items its body yielded. */
export function generatorResult(_ip: Interp, items: Value[]): Value {
  return { k: "iter", items, pos: 0 };
}
