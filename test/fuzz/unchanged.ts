// The locality property: an edit leaves the report of every model that cannot see the edited blocks as it was.
//
// The file is split into top-level blocks as the analyzer splits it (splitBlocks). The blocks equal
// before and after an edit at the start and at the end of the file are unchanged; the rest, before
// and after, are the edited region. A model M (its class or Sequential assignment in block j) is
// compared when none of the edited blocks can reach it. A block's references are the names any of
// whose occurrences may denote a module-level name: every name at module or class level, and names
// in functions, lambdas and comprehensions that are not definitely local (parameters, comprehension
// targets, and names first met as the plain target of an assignment among a body's own statements).
// Starting with S = the references of block j (and of the block holding the line above M, where a
// pragma may sit):
//   - a block is relevant when it binds a name in S at top level (assignment, augmented assignment,
//     for/with/except target, import, def, class, del, global, :=), or references a name in S that
//     some block binds (so it may mutate the object) other than the immutable ones (torch, nn, F,
//     math, builtins, self) unless it binds that name itself;
//   - S grows by the references of every relevant unchanged block, to a fixed point.
// An edited block, before or after the edit, that is relevant to the final S makes M not compared.
// The relation over-approximates every way the analyzer lets one block see another: globals read at
// trace time, driver code creating or calling M, helpers, mutation of shared objects through calls.
// Nothing is compared when either analysis hit a budget (steps, time or depth are shared across statements).
// Compared reports must be equal, with line numbers past the edit shifted by the lines it added.
import { parser } from "@lezer/python";
import type { SyntaxNode, Tree } from "@lezer/common";
import { splitBlocks, type Block } from "../../src/python/source";
import type { Analysis } from "../../src/python/analyze";
import type { ModelReport } from "../../src/python/report";

/** Names that hold modules or builtins: mentioning them changes nothing unless the block rebinds them. */
const IMMUTABLE = new Set(
  ("torch nn F functional math self super range len int float str bool list tuple dict set print isinstance zip enumerate " +
    "min max sum abs round sorted reversed map filter any all type object Exception ValueError TypeError RuntimeError " +
    "NotImplementedError KeyError IndexError AttributeError hasattr callable iter next repr format divmod pow").split(" "),
);

const COMPREHENSIONS = new Set(["ArrayComprehensionExpression", "SetComprehensionExpression", "DictionaryComprehensionExpression", "ComprehensionExpression", "ArgList"]);

const kids = (n: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

function namesIn(text: string, n: SyntaxNode, out: Set<string>): Set<string> {
  const cur = n.cursor();
  const end = n.to;
  do {
    if (cur.name === "VariableName") out.add(text.slice(cur.from, cur.to));
  } while (cur.next() && cur.from < end);
  return out;
}

/**
 * Names a function body binds before any read can reach the module: its parameters, and names whose
 * first occurrence in the body is the plain target of an assignment among the body's own statements
 * (`h = f(x)`, with no `h` on the right) and that are neither declared global nor deleted.
 */
function definiteLocals(text: string, params: readonly string[], body: SyntaxNode | null): Set<string> {
  const locals = new Set(params);
  if (!body) return locals;
  const unsafe = new Set<string>();
  const cur = body.cursor();
  do {
    if (cur.name === "ScopeStatement" || cur.name === "DeleteStatement") namesIn(text, cur.node, unsafe);
  } while (cur.next() && cur.from < body.to);
  const seen = new Set<string>();
  for (const st of kids(body)) {
    const parts = kids(st);
    if (st.name === "AssignStatement" && parts.length === 3 && parts[0].name === "VariableName" && parts[1].name === "AssignOp") {
      const n = text.slice(parts[0].from, parts[0].to);
      if (!seen.has(n) && !unsafe.has(n) && !namesIn(text, parts[2], new Set()).has(n)) locals.add(n);
    }
    namesIn(text, st, seen);
  }
  for (const n of unsafe) if (!params.includes(n)) locals.delete(n);
  return locals;
}

/** Parameter names of a ParamList (a VariableName right after `=` is a default value, read outside). */
function paramNames(text: string, list: SyntaxNode | null): { names: string[]; nodes: Set<number> } {
  const names: string[] = [];
  const nodes = new Set<number>();
  if (!list) return { names, nodes };
  for (const c of kids(list)) {
    if (c.name === "VariableName" && c.prevSibling?.name !== "AssignOp") {
      names.push(text.slice(c.from, c.to));
      nodes.add(c.from);
    }
  }
  return { names, nodes };
}

/**
 * Every name an occurrence of which may refer to a module-level name: all names at module and class
 * level, and names in functions, lambdas and comprehensions that are not definitely local there.
 * Unrecognised shapes (error recovery) count their names as module references.
 */
function moduleRefs(text: string, tree: Tree): Set<string> {
  const refs = new Set<string>();
  const visit = (n: SyntaxNode, scopes: readonly Set<string>[]): void => {
    if (n.name === "VariableName") {
      const name = text.slice(n.from, n.to);
      if (!scopes.some((s) => s.has(name))) refs.add(name);
      return;
    }
    if (n.name === "FunctionDefinition" || n.name === "LambdaExpression") {
      const { names, nodes } = paramNames(text, n.getChild("ParamList"));
      const body = n.name === "FunctionDefinition" ? n.getChild("Body") : null;
      const inner = [...scopes, definiteLocals(text, names, body)];
      for (const c of kids(n)) {
        if (c.name === "ParamList") {
          for (const p of kids(c)) if (!(p.name === "VariableName" && nodes.has(p.from))) visit(p, scopes); // defaults: outside
        } else if (c.name === "Body" || (n.name === "LambdaExpression" && c.from > (n.getChild("ParamList")?.to ?? n.from))) visit(c, inner);
        else visit(c, scopes); // the def's own name, decorators
      }
      return;
    }
    if (COMPREHENSIONS.has(n.name) && n.getChild("for")) {
      const parts = kids(n);
      const targets = new Set<string>();
      let firstIter: SyntaxNode | null = null;
      for (let i = 0; i < parts.length; i++) {
        if (parts[i].name !== "for") continue;
        for (let j = i + 1; j < parts.length && parts[j].name !== "in"; j++) namesIn(text, parts[j], targets);
        const inAt = parts.findIndex((p, k) => k > i && p.name === "in");
        if (!firstIter && inAt >= 0) firstIter = parts[inAt + 1] ?? null;
      }
      const inner = [...scopes, targets];
      for (const c of parts) visit(c, c === firstIter ? scopes : inner);
      return;
    }
    for (const c of kids(n)) visit(c, scopes);
  };
  visit(tree.topNode, []);
  return refs;
}

/** Names a block may bind at module level, read from the same lezer tree the analyzer runs. */
function topBindings(text: string, tree: Tree): Set<string> {
  const out = new Set<string>();
  const name = (n: SyntaxNode): string => text.slice(n.from, n.to);
  const varsIn = (n: SyntaxNode): void => {
    const cur = n.cursor();
    const end = n.to;
    do {
      if (cur.name === "VariableName") out.add(text.slice(cur.from, cur.to));
    } while (cur.next() && cur.from < end);
  };
  // `global x` anywhere makes x a module name for whatever assigns it
  tree.iterate({
    enter: (n) => {
      if (n.name === "ScopeStatement") varsIn(n.node);
      if (n.name === "NamedExpression") varsIn(n.node);
    },
  });
  const walk = (st: SyntaxNode): void => {
    switch (st.name) {
      case "FunctionDefinition":
      case "ClassDefinition": {
        const v = st.getChild("VariableName");
        if (v) out.add(name(v));
        return;
      }
      case "DecoratedStatement":
      case "Body":
        for (let c = st.firstChild; c; c = c.nextSibling) walk(c);
        return;
      case "AssignStatement":
      case "UpdateStatement": {
        const ops = st.getChildren(st.name === "AssignStatement" ? "AssignOp" : "UpdateOp");
        const last = ops[ops.length - 1];
        for (let c = st.firstChild; c && (!last || c.from < last.from); c = c.nextSibling) varsIn(c);
        if (!last) varsIn(st);
        return;
      }
      case "ImportStatement":
      case "DeleteStatement":
        varsIn(st);
        return;
      default:
        break;
    }
    // compound statements: targets (`for t in`, `as t`) and their bodies
    for (let c = st.firstChild; c; c = c.nextSibling) {
      if (c.name === "Body") walk(c);
      else if (st.name === "ForStatement" && c.name !== "for" && c.name !== "in" && !seenIn(st, c)) varsIn(c);
      else if (c.prevSibling?.name === "as") varsIn(c);
      else if (c.type.isError) varsIn(c);
    }
  };
  for (let st = tree.topNode.firstChild; st; st = st.nextSibling) walk(st);
  return out;
}

/** Whether `c` comes after the `in` of a for statement (the iterable, not a target). */
function seenIn(st: SyntaxNode, c: SyntaxNode): boolean {
  const kw = st.getChild("in");
  return !!kw && c.from > kw.from;
}

interface BlockFacts {
  readonly idents: Set<string>;
  readonly binds: Set<string>;
}

const factsCache = new Map<string, BlockFacts>();

function facts(text: string): BlockFacts {
  let f = factsCache.get(text);
  if (!f) {
    const tree = parser.parse(text);
    f = { idents: moduleRefs(text, tree), binds: topBindings(text, tree) };
    if (factsCache.size > 20_000) factsCache.clear();
    factsCache.set(text, f);
  }
  return f;
}

/** Whether a block can change what the names in S denote (`bound`: names some block binds; others hold nothing to mutate). */
function relevant(f: BlockFacts, s: ReadonlySet<string>, bound: ReadonlySet<string>): boolean {
  for (const n of f.binds) if (s.has(n)) return true;
  for (const n of f.idents) if (s.has(n) && bound.has(n) && (!IMMUTABLE.has(n) || f.binds.has(n))) return true;
  return false;
}

function blockOfLine(blocks: readonly Block[], line0: number): number {
  let b = 0;
  while (b + 1 < blocks.length && blocks[b + 1].line0 <= line0) b++;
  return b;
}

export interface LocalityResult {
  /** Models whose reports were compared. */
  readonly compared: number;
  readonly violations: string[];
}

function hitBudget(a: Analysis): boolean {
  return a.report.diagnostics.some((d) => d.code === "budget") || a.report.models.some((m) => /not analysed/.test(m.error ?? ""));
}

/** Check the locality property between the analyses of a text before and after an edit. */
export function checkLocality(beforeText: string, afterText: string, a: Analysis, b: Analysis): LocalityResult {
  if (hitBudget(a) || hitBudget(b)) return { compared: 0, violations: [] };
  // a lone \r ends a line for the analyzer (and the editor): split and count lines as it does
  const before = beforeText.replace(/\r(?!\n)/g, "\n");
  const after = afterText.replace(/\r(?!\n)/g, "\n");
  const bb = splitBlocks(before);
  const ab = splitBlocks(after);
  let p = 0;
  while (p < bb.length && p < ab.length && bb[p].text === ab[p].text) p++;
  let q = 0;
  while (q < bb.length - p && q < ab.length - p && bb[bb.length - 1 - q].text === ab[ab.length - 1 - q].text) q++;
  const editedBefore = bb.slice(p, bb.length - q);
  const editedAfter = ab.slice(p, ab.length - q);
  if (editedBefore.length === 0 && editedAfter.length === 0) return { compared: 0, violations: [] };
  const unchanged: number[] = [];
  for (let i = 0; i < bb.length; i++) if (i < p || i >= bb.length - q) unchanged.push(i);
  const shift = q > 0 ? ab[ab.length - q].line0 - bb[bb.length - q].line0 : 0;
  const newLine = (line: number | null): number | null | "edited" => {
    if (line === null) return null;
    const blk = blockOfLine(bb, line - 1);
    if (blk < p) return line;
    if (blk >= bb.length - q) return line + shift;
    return "edited";
  };
  const bound = new Set<string>();
  for (const blk of [...bb, ...ab]) for (const n of facts(blk.text).binds) bound.add(n);
  const violations: string[] = [];
  let compared = 0;
  const used = new Set<ModelReport>();
  for (const m of a.report.models) {
    const j = blockOfLine(bb, m.line - 1);
    if (j >= p && j < bb.length - q) continue;
    const deps = new Set([j, blockOfLine(bb, Math.max(0, m.line - 2))]);
    if ([...deps].some((d) => d >= p && d < bb.length - q)) continue;
    const s = new Set<string>();
    for (const d of deps) for (const n of facts(bb[d].text).idents) s.add(n);
    for (let grown = true; grown; ) {
      grown = false;
      for (const k of unchanged) {
        if (deps.has(k) || !relevant(facts(bb[k].text), s, bound)) continue;
        deps.add(k);
        for (const n of facts(bb[k].text).idents) s.add(n);
        grown = true;
      }
    }
    if ([...editedBefore, ...editedAfter].some((blk) => relevant(facts(blk.text), s, bound))) continue;
    const line = newLine(m.line) as number;
    const twin = b.report.models.find((x) => !used.has(x) && x.name === m.name && x.line === line);
    const expected = shiftLines(m, newLine);
    if (!twin) {
      violations.push(`model ${m.name} (line ${m.line}) does not depend on the edit but is gone after it (expected at line ${line})`);
      continue;
    }
    used.add(twin);
    compared++;
    if (expected === "edited") {
      violations.push(`model ${m.name} (line ${m.line}) reports a line inside the edited blocks although it does not depend on them`);
      continue;
    }
    const want = JSON.stringify(expected);
    const got = JSON.stringify(twin);
    if (want !== got) violations.push(`model ${m.name} (line ${m.line}) changed although it does not depend on the edit:\n  before ${want}\n  after  ${got}`);
  }
  return { compared, violations };
}

function shiftLines(m: ModelReport, newLine: (l: number | null) => number | null | "edited"): ModelReport | "edited" {
  const line = newLine(m.line);
  const layers = m.layers.map((l) => ({ ...l, line: newLine(l.line) }));
  if (line === "edited" || layers.some((l) => l.line === "edited")) return "edited";
  return { ...m, line, layers } as ModelReport;
}
