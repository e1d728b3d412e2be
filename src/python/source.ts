// Source handling: split a file into top-level blocks, parse each with lezer (cached by text), map positions.
import { errorsOf } from "./syntaxErrors";
import { parser } from "@lezer/python";
import { TreeFragment, type NodeType, type SyntaxNode as LezerNode, type Tree } from "@lezer/common";

/**
 * A syntax node of a parsed block: lezer's named nodes, materialised on first visit and kept, so
 * the evaluator's repeated walks over the same code neither re-create node objects nor rescan
 * children (lezer's `getChild` builds a cursor per call) nor re-slice names.
 */
export class PyNode {
  readonly from: number;
  readonly to: number;
  readonly type: NodeType;
  readonly parent: PyNode | null;
  private kids: PyNode[] | null = null;
  /** The node's source text once asked for (see `textOf`), or a literal's value (see `literalOf`): one field, as there are many nodes. */
  memo: unknown = undefined;

  constructor(
    /** lezer's node, until the children are materialised (then dropped: it is the bigger object). */
    private src: LezerNode | null,
    parent: PyNode | null,
    private readonly index: number,
  ) {
    this.type = src!.type;
    this.from = src!.from;
    this.to = src!.to;
    this.parent = parent;
  }

  get name(): string {
    return this.type.name;
  }

  /** The named children, in order. */
  get children(): readonly PyNode[] {
    let kids = this.kids;
    if (kids === null) {
      kids = [];
      for (let c = this.src!.firstChild; c; c = c.nextSibling) kids.push(new PyNode(c, this, kids.length));
      this.kids = kids.length > 0 ? kids : NO_NODES;
      this.src = null;
    }
    return kids;
  }

  get firstChild(): PyNode | null {
    const kids = this.children;
    return kids.length > 0 ? kids[0] : null;
  }

  get lastChild(): PyNode | null {
    const kids = this.children;
    return kids.length > 0 ? kids[kids.length - 1] : null;
  }

  get nextSibling(): PyNode | null {
    return this.parent ? (this.parent.children[this.index + 1] ?? null) : null;
  }

  get prevSibling(): PyNode | null {
    return this.parent && this.index > 0 ? this.parent.children[this.index - 1] : null;
  }

  getChild(name: string): PyNode | null {
    for (const k of this.children) if (k.name === name) return k;
    return null;
  }

  getChildren(name: string): PyNode[] {
    return this.children.filter((k) => k.name === name);
  }

  /** A pre-order walk from this node on (past its end too, as lezer's cursors go). */
  cursor(): PyCursor {
    return new PyCursor(this);
  }
}

const NO_NODES: PyNode[] = [];

/** The subset of lezer's TreeCursor the evaluator uses. */
export class PyCursor {
  constructor(public node: PyNode) {}
  get name(): string {
    return this.node.name;
  }
  get from(): number {
    return this.node.from;
  }
  get type(): NodeType {
    return this.node.type;
  }
  next(): boolean {
    const first = this.node.firstChild;
    if (first) {
      this.node = first;
      return true;
    }
    for (let n: PyNode | null = this.node; n; n = n.parent) {
      const sib = n.nextSibling;
      if (sib) {
        this.node = sib;
        return true;
      }
    }
    return false;
  }
}

/** The node type the interpreter walks (kept under lezer's name so call sites read the same). */
export type SyntaxNode = PyNode;

/** A piece of Python source parsed on its own: one top-level block of the user's file, or the prelude. */
export interface SourceUnit {
  /** The block's text. */
  readonly text: string;
  readonly tree: Tree;
  /** The top node (Script) of the block's tree. */
  readonly root: PyNode;
  /**
   * Offset of the block in its document (node positions are relative to the block text). For a
   * top-level statement reused from an earlier version of the document, a view of that version's
   * block whose offset and first line follow the statement wherever it now is.
   */
  offset: number;
  /** 0-based line of the block's first line in its document. */
  line0: number;
  /** Whether this is the user's file (positions are reported) or built-in code. */
  readonly isUser: boolean;
  /** Line starts inside the block text (for line/column of a node). */
  readonly lineStarts: readonly number[];
}

export interface Position {
  /** 1-based line */
  readonly line: number;
  /** 1-based column */
  readonly column: number;
}

/** A parsed block: lezer's tree, its materialised top node, line starts, the first syntax error. */
export interface ParsedBlock {
  readonly tree: Tree;
  readonly root: PyNode;
  readonly lineStarts: number[];
  /** Position of the first error node, or -1. */
  readonly firstError: number;
  /** What CPython would say of that error, when known ("unexpected indent"). */
  readonly firstErrorMessage?: string;
}

const parseCache = new Map<string, ParsedBlock>();
const PARSE_CACHE_LIMIT = 5000;
/**
 * Total source characters kept parsed. A parsed character costs up to ~100 bytes once the
 * interpreter has walked its tree, so 100K characters is ~10 MB at most (a bigger heap makes every
 * full GC slower); an editor session keeps the parses of the document's current blocks itself, so
 * this cache only serves repeated texts (undo, tests, several analyses of one file).
 */
const PARSE_CACHE_CHARS = 100_000;
let cachedChars = 0;

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Parse a block's text, reusing the tree when the same text was parsed before. */
export function parseBlock(text: string): ParsedBlock {
  const hit = parseCache.get(text);
  if (hit) {
    // refresh recency
    parseCache.delete(text);
    parseCache.set(text, hit);
    return hit;
  }
  let tree: Tree;
  let firstError: number;
  let firstErrorMessage: string | undefined;
  try {
    tree = parser.parse(text);
    ({ firstError, firstErrorMessage } = errorsOf(tree, text));
  } catch (e) {
    // lezer builds its tree recursively: code nested thousands deep overflows the JS stack (CPython
    // gives up at 200 nested parentheses too) - the block is then a syntax error at its start
    if (!(e instanceof RangeError)) throw e;
    tree = parser.parse("");
    firstError = 0;
  }
  const entry: ParsedBlock = { tree, root: new PyNode(tree.topNode, null, 0), lineStarts: lineStartsOf(text), firstError, ...(firstErrorMessage ? { firstErrorMessage } : {}) };
  parseCache.set(text, entry);
  cachedChars += text.length;
  // bounded by count and by size: each keystroke in a huge block would otherwise keep another huge tree
  while (parseCache.size > 1 && (parseCache.size > PARSE_CACHE_LIMIT || cachedChars > PARSE_CACHE_CHARS)) {
    const oldest = parseCache.keys().next().value;
    if (oldest === undefined) break;
    parseCache.delete(oldest);
    cachedChars -= oldest.length;
  }
  return entry;
}

/**
 * Parse an edited version of a block, reusing the subtrees of its previous parse outside the
 * changed range (lezer's incremental parsing: a keystroke reparses about one statement). Not put in
 * the parse cache: a one-off analysis of the same text parses it afresh.
 */
export function reparseBlock(text: string, previous: { readonly text: string; readonly parsed: ParsedBlock }): ParsedBlock {
  const hit = parseCache.get(text);
  if (hit) return hit;
  const old = previous.text;
  let start = 0;
  const max = Math.min(old.length, text.length);
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
  let tree: Tree;
  let firstError: number;
  let firstErrorMessage: string | undefined;
  try {
    const fragments = TreeFragment.applyChanges(TreeFragment.addTree(previous.parsed.tree), [
      { fromA: start, toA: old.length - end, fromB: start, toB: text.length - end },
    ]);
    tree = parser.parse(text, fragments);
    ({ firstError, firstErrorMessage } = errorsOf(tree, text));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return parseBlock(text);
  }
  return { tree, root: new PyNode(tree.topNode, null, 0), lineStarts: lineStartsOf(text), firstError, ...(firstErrorMessage ? { firstErrorMessage } : {}) };
}

/** A whole text's lezer tree, uncached (the editor's queries at a position; see pySyntax.ts). */
export function parseTree(text: string): Tree {
  return parser.parse(text);
}

/** Forget every cached parse (a cold analysis, for benchmarks). */
export function clearParseCache(): void {
  parseCache.clear();
  cachedChars = 0;
}

export interface Block {
  readonly text: string;
  readonly offset: number;
  readonly line0: number;
}

/**
 * Split at column-0 `class`, `def`, `async def` and `@` lines (a decorator stays with the
 * definition below it), so half-typed code in one block never hides the others.
 */
export function splitBlocks(text: string): Block[] {
  const starts = lineStartsOf(text);
  const cut: number[] = [0];
  let prevDecorator = false;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    const c = text.charCodeAt(s);
    // quick reject: only lines starting with c, d, a or @ at column 0
    if (c !== 99 && c !== 100 && c !== 97 && c !== 64) {
      if (c !== 10 && c !== 13 && c !== 32 && c !== 9 && c !== 35 && !Number.isNaN(c)) prevDecorator = false;
      continue;
    }
    const head = text.slice(s, s + 10);
    const isDecorator = c === 64;
    const isDef = /^(class|def|async\s+def)\b/.test(head);
    if ((isDecorator || isDef) && !prevDecorator && i > 0) cut.push(i);
    prevDecorator = isDecorator;
    if (!isDecorator && !isDef) prevDecorator = false;
  }
  const blocks: Block[] = [];
  for (let b = 0; b < cut.length; b++) {
    const from = starts[cut[b]];
    const to = b + 1 < cut.length ? starts[cut[b + 1]] : text.length;
    if (to > from) blocks.push({ text: text.slice(from, to), offset: from, line0: cut[b] });
  }
  return blocks;
}

export function makeUnit(block: Block, isUser: boolean): SourceUnit {
  const { tree, root, lineStarts } = parseBlock(block.text);
  return { text: block.text, tree, root, offset: block.offset, line0: block.line0, isUser, lineStarts };
}

/** 0-based index of the line holding `pos`, by binary search over line starts. */
export function lineIndexIn(starts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 1-based line of a position inside a unit. */
export function lineOf(unit: SourceUnit, pos: number): number {
  return unit.line0 + lineIndexIn(unit.lineStarts, pos) + 1;
}

/** 1-based line and column of a position inside a unit. */
export function positionOf(unit: SourceUnit, pos: number): Position {
  const starts = unit.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return { line: unit.line0 + lo + 1, column: pos - starts[lo] + 1 };
}

/**
 * Where Python (3.11) places a call in tracebacks and frames: the call's start, except for a method
 * call `obj.name(...)` (no `*` / `**` arguments) whose name sits on a later line than the call
 * starts, which is placed at the name.
 */
export function callPos(unit: SourceUnit, node: SyntaxNode): number {
  if (node.name !== "CallExpression") return node.from;
  const callee = node.firstChild;
  const prop = callee?.name === "MemberExpression" ? callee.lastChild : null;
  if (!prop || prop.name !== "PropertyName") return node.from;
  for (let a = node.getChild("ArgList")?.firstChild; a; a = a.nextSibling) {
    if (a.name === "*" || a.name === "**") return node.from;
  }
  return positionOf(unit, node.from).line === positionOf(unit, prop.to).line ? node.from : prop.from;
}

/**
 * A line and column read when asked for: reported positions follow their statement when a later
 * version of the document reuses it at another place (see SourceUnit.offset).
 */
export class UnitPosition implements Position {
  constructor(
    readonly unit: SourceUnit,
    readonly pos: number,
  ) {}
  get line(): number {
    return positionOf(this.unit, this.pos).line;
  }
  get column(): number {
    return positionOf(this.unit, this.pos).column;
  }
}

export function textOf(unit: SourceUnit, node: SyntaxNode): string {
  const m = node.memo;
  if (typeof m === "string") return m;
  const t = unit.text.slice(node.from, node.to);
  if (m === undefined) node.memo = t;
  return t;
}

/** A literal's value, computed once per node (literals are immutable values). */
export function literalOf<T extends object>(node: SyntaxNode, make: () => T): T {
  const m = node.memo;
  if (m !== undefined && typeof m === "object") return m as T;
  const v = make();
  node.memo = v;
  return v;
}

/** Children of a node as an array (lezer exposes them through a cursor). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  return [...node.children];
}
