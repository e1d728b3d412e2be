// Control-flow statements: if/elif/else (both branches speculated when undecidable), for, while, try/except/finally and with.
import { type SyntaxNode, textOf } from "./source";
import { PyError } from "./errors";
import { evalExpr, exprChildren, type Ctx } from "./eval";
import { assignTarget, assignTargets } from "./assignTargets";
import { truthy } from "./pyops";
import { iterate } from "./calls";
import { boundNames, speculate, storesOutsideNames } from "./speculate";
import { repr, strOf, unknownValue, type Value } from "./values";
import { type Completion, NORMAL, execBody, markUnknown } from "./statements";

export function execIf(c: Ctx, st: SyntaxNode): Completion {
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

export function execFor(c: Ctx, st: SyntaxNode): Completion {
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

export function execWhile(c: Ctx, st: SyntaxNode): Completion {
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

export function execTry(c: Ctx, st: SyntaxNode): Completion {
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

export function execWith(c: Ctx, st: SyntaxNode): Completion {
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

/** str() of a raised exception: its one argument, the tuple of several, "" for none. */
/** `assert test, msg`: raises AssertionError when the test is known to be false; an unknown test (or one not understood) passes. */
export function execAssert(c: Ctx, st: SyntaxNode): void {
  const [test, msg] = exprChildren(st).filter((n) => n.name !== "assert");
  if (!test) return;
  let ok: boolean | undefined;
  try {
    ok = truthy(c.ip, evalExpr(c, test));
  } catch (e) {
    if (e instanceof PyError) return;
    throw e;
  }
  if (ok !== false) return;
  throw new PyError("AssertionError", msg ? strOf(evalExpr(c, msg)) : "", null, c.ip.whereOf({ unit: c.unit, node: test }));
}

export function exceptionMessage(v: Value): string {
  const args = v.k === "instance" ? v.attrs.get("args") : undefined;
  if (!args || args.k !== "tuple" || args.items.length === 0) return "";
  return args.items.length === 1 ? strOf(args.items[0]) : repr(args);
}
