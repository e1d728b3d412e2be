// The match statement (Python 3.10): literal, capture, value, or, as, sequence, mapping and class patterns, with guards; an undecidable case runs both ways.
import { type SyntaxNode, textOf } from "./source";
import { evalExpr, lookupName, type Ctx } from "./eval";
import { getAttr, iterate } from "./calls";
import { isInstance } from "./isInstance";
import { truthy, valuesEqual } from "./pyops";
import { boundNames, speculate, storesOutsideNames } from "./speculate";
import { sameKey } from "./evalCollections";
import { NONE, numberOf, unknownValue, type Value } from "./values";
import { type Completion, NORMAL, execBody } from "./statements";

type Bindings = Map<string, Value>;

/** `match subject:` and its case clauses, in order: the first whose pattern matches (and guard holds) runs. */
export function execMatch(c: Ctx, st: SyntaxNode): Completion {
  const subjectNode = st.getChild("match")?.nextSibling;
  const body = st.getChild("MatchBody");
  if (!subjectNode || !body) return NORMAL;
  const subject = evalExpr(c, subjectNode);
  return execClauses(c, st, subject, body.getChildren("MatchClause"));
}

function execClauses(c: Ctx, st: SyntaxNode, subject: Value, clauses: SyntaxNode[]): Completion {
  for (let i = 0; i < clauses.length; i++) {
    const clause = clauses[i];
    const pattern = clause.getChild("case")?.nextSibling;
    const body = clause.getChild("Body");
    if (!pattern || !body) return NORMAL;
    const binds: Bindings = new Map();
    let hit = subject.k === "unknown" && !irrefutable(c, pattern) ? undefined : matchPattern(c, pattern, subject, binds);
    const bindAll = (): void => binds.forEach((v, k) => c.scope.target(k).vars.set(k, v));
    const guard = clause.getChild("Guard");
    if (hit === true && guard) {
      bindAll();
      const cond = guard.getChild("if")?.nextSibling;
      hit = cond ? truthy(c.ip, evalExpr(c, cond)) : true;
    }
    if (hit === undefined) {
      // run both ways, as an undecidable if: what they agree on stays known
      const reason = "it is assigned in a match case that cannot be decided statically";
      const names = boundNames(c.unit, st);
      const rest = clauses.slice(i + 1);
      const yes = (): Completion => {
        // the captures a match would make: known where matching got that far, else unknown
        for (const name of boundNames(c.unit, pattern)) if (!binds.has(name)) binds.set(name, unknownValue(reason));
        bindAll();
        return execBody(c, body);
      };
      const r = storesOutsideNames(st) ? null : speculate(c, names, [yes, () => execClauses(c, st, subject, rest)], reason);
      if (r) return r;
      for (const name of names) c.scope.target(name).vars.set(name, unknownValue(reason));
      return NORMAL;
    }
    if (hit) {
      bindAll();
      return execBody(c, body);
    }
  }
  return NORMAL;
}

/** A pattern that matches any value: a capture, `_`, an or-pattern with one, or one of those `as` a name. */
function irrefutable(c: Ctx, p: SyntaxNode): boolean {
  if (p.name === "CapturePattern") return true;
  if (p.name === "AsPattern" || p.name === "OrPattern") return patternKids(p).some((x) => x.name !== "LogicOp" && x.name !== "VariableName" && irrefutable(c, x));
  return false;
}

/** Whether `v` matches pattern `p` (undefined when that cannot be known); captures go to `binds`. */
function matchPattern(c: Ctx, p: SyntaxNode, v: Value, binds: Bindings): boolean | undefined {
  if (v.k === "unknown" && !irrefutable(c, p)) return undefined;
  switch (p.name) {
    case "CapturePattern": {
      const name = textOf(c.unit, p);
      if (name !== "_") binds.set(name, v);
      return true;
    }
    case "LiteralPattern": {
      const lit = literalValue(c, p);
      if (!lit) return undefined;
      // None, True and False compare by identity
      if (lit.k === "none" || lit.k === "bool") return v.k === lit.k && (lit.k === "none" || (v.k === "bool" && v.v === lit.v));
      return valuesEqual(v, lit);
    }
    case "AttributePattern":
      return valuesEqual(v, dottedValue(c, p));
    case "OrPattern": {
      // `a | b as n` is `(a | b) as n`; lezer nests the `as` in the last alternative
      const alts = patternKids(p).filter((x) => x.name !== "LogicOp");
      const last = alts[alts.length - 1];
      const asName = last?.name === "AsPattern" && last.lastChild?.name === "VariableName" ? last.lastChild : null;
      if (asName && last.firstChild) alts[alts.length - 1] = last.firstChild;
      let unknownSeen = false;
      for (const alt of alts) {
        const r = matchPattern(c, alt, v, binds);
        if (r) {
          if (asName) binds.set(textOf(c.unit, asName), v);
          return true;
        }
        if (r === undefined) unknownSeen = true;
      }
      return unknownSeen ? undefined : false;
    }
    case "AsPattern": {
      const inner = p.firstChild;
      const name = p.lastChild;
      const r = inner ? matchPattern(c, inner, v, binds) : true;
      if (r && name?.name === "VariableName") binds.set(textOf(c.unit, name), v);
      return r;
    }
    case "SequencePattern":
      return matchSequence(c, p, v, binds);
    case "MappingPattern":
      return matchMapping(c, p, v, binds);
    case "ClassPattern":
      return matchClass(c, p, v, binds);
    default:
      return undefined;
  }
}

function patternKids(p: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let ch = p.firstChild; ch; ch = ch.nextSibling) if (!["[", "]", "(", ")", "{", "}", ",", ":", "**"].includes(ch.name)) out.push(ch);
  return out;
}

function matchSequence(c: Ctx, p: SyntaxNode, v: Value, binds: Bindings): boolean | undefined {
  // modules, tensors and str are no collections.abc.Sequence; a user class may register as one
  if (v.k !== "list" && v.k !== "tuple" && v.k !== "range") return v.k === "instance" ? undefined : false;
  const items = iterate(c.ip, v);
  const pats = patternKids(p);
  const star = pats.findIndex((x) => x.name === "StarPattern");
  if (star < 0 ? items.length !== pats.length : items.length < pats.length - 1) return false;
  let result: boolean | undefined = true;
  pats.forEach((x, i) => {
    if (result === false) return;
    let r: boolean | undefined;
    if (i === star) {
      const rest: Value = { k: "list", items: items.slice(star, items.length - (pats.length - star - 1)) };
      const cap = x.getChild("CapturePattern");
      r = cap ? matchPattern(c, cap, rest, binds) : true;
    } else r = matchPattern(c, x, items[star >= 0 && i > star ? items.length - (pats.length - i) : i], binds);
    if (r === false) result = false;
    else if (r === undefined) result = undefined;
  });
  return result;
}

function matchMapping(c: Ctx, p: SyntaxNode, v: Value, binds: Bindings): boolean | undefined {
  if (v.k !== "dict") return v.k === "instance" ? undefined : false;
  const pats = patternKids(p);
  const used: Value[] = [];
  let result: boolean | undefined = true;
  for (let i = 0; i < pats.length; i++) {
    const x = pats[i];
    if (x.name === "CapturePattern" && x.prevSibling?.name === "**") {
      const keys = v.keys.filter((k) => !used.some((u) => sameKey(u, k)));
      binds.set(textOf(c.unit, x), { k: "dict", keys, vals: keys.map((k) => v.vals[v.keys.findIndex((kk) => sameKey(kk, k))]) });
      continue;
    }
    const key = x.name === "LiteralPattern" ? literalValue(c, x) : x.name === "AttributePattern" ? dottedValue(c, x) : undefined;
    const sub = pats[++i];
    if (!key || !sub) return undefined;
    const at = v.keys.findIndex((k) => sameKey(k, key));
    if (at < 0) return false;
    used.push(key);
    const r = matchPattern(c, sub, v.vals[at], binds);
    if (r === false) return false;
    if (r === undefined) result = undefined;
  }
  return result;
}

/** Built-in classes whose single positional sub-pattern matches the subject itself (`int(n)`). */
const SELF_MATCHING = new Set(["type:int", "type:float", "type:str", "type:bool", "type:list", "type:tuple", "type:dict", "type:set"]);

function matchClass(c: Ctx, p: SyntaxNode, v: Value, binds: Bindings): boolean | undefined {
  const head = p.firstChild;
  const args = p.getChild("PatternArgList");
  if (!head || !args) return undefined;
  const cls = head.name === "AttributePattern" ? dottedValue(c, head) : lookupName(c, textOf(c.unit, head), head);
  const is = isInstance(c.ip, v, cls);
  if (is !== true) return is;
  let result: boolean | undefined = true;
  const positional = patternKids(args).filter((x) => x.name !== "KeywordPattern");
  if (positional.length > 0) {
    if (positional.length === 1 && cls.k === "builtin" && SELF_MATCHING.has(cls.name)) {
      const r = matchPattern(c, positional[0], v, binds);
      if (r !== true) return r;
    } else return undefined; // __match_args__ of other classes: not modelled
  }
  for (const kw of args.getChildren("KeywordPattern")) {
    const name = kw.firstChild;
    const sub = name?.nextSibling;
    if (!name || !sub) return undefined;
    let attr: Value;
    try {
      attr = getAttr(c.ip, v, textOf(c.unit, name), { unit: c.unit, node: kw });
    } catch (e) {
      if ((e as { pyType?: string }).pyType === "AttributeError") return false;
      throw e;
    }
    const r = matchPattern(c, sub, attr, binds);
    if (r === false) return false;
    if (r === undefined) result = undefined;
  }
  return result;
}

/** A literal pattern's value: a string, number (signed), None, True or False. */
function literalValue(c: Ctx, p: SyntaxNode): Value | undefined {
  const kids = patternKids(p);
  if (kids.length === 1) {
    if (kids[0].name === "None") return NONE;
    return evalExpr(c, kids[0]);
  }
  if (kids.length === 2 && kids[0].name === "ArithOp" && textOf(c.unit, kids[0]) === "-") {
    const n = numberOf(evalExpr(c, kids[1]));
    if (n === undefined) return undefined;
    return Number.isInteger(n) && kids[1].name === "Number" && !/[.eE]/.test(textOf(c.unit, kids[1])) ? { k: "int", v: -n } : { k: "float", v: -n };
  }
  return undefined;
}

/** A dotted name in a pattern (`Color.RED`, `nn.Conv2d`). */
function dottedValue(c: Ctx, p: SyntaxNode): Value {
  const first = p.firstChild;
  if (!first) return unknownValue("an empty pattern");
  let v = first.name === "AttributePattern" ? dottedValue(c, first) : lookupName(c, textOf(c.unit, first), first);
  for (let ch = first.nextSibling; ch; ch = ch.nextSibling) {
    if (ch.name === "PropertyName") v = getAttr(c.ip, v, textOf(c.unit, ch), { unit: c.unit, node: ch });
  }
  return v;
}
