// Source handling: split a file into top-level blocks, parse each with lezer (cached by text), map positions.
import { parser } from "@lezer/python";
import type { SyntaxNode, Tree } from "@lezer/common";

/** A piece of Python source parsed on its own: one top-level block of the user's file, or the prelude. */
export interface SourceUnit {
  /** The block's text. */
  readonly text: string;
  readonly tree: Tree;
  /** Offset of the block in its document. */
  readonly offset: number;
  /** 0-based line of the block's first line in its document. */
  readonly line0: number;
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

const parseCache = new Map<string, { tree: Tree; lineStarts: number[] }>();
const PARSE_CACHE_LIMIT = 5000;

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Parse a block's text, reusing the tree when the same text was parsed before. */
export function parseBlock(text: string): { tree: Tree; lineStarts: number[] } {
  const hit = parseCache.get(text);
  if (hit) {
    // refresh recency
    parseCache.delete(text);
    parseCache.set(text, hit);
    return hit;
  }
  const entry = { tree: parser.parse(text), lineStarts: lineStartsOf(text) };
  parseCache.set(text, entry);
  if (parseCache.size > PARSE_CACHE_LIMIT) {
    const oldest = parseCache.keys().next().value;
    if (oldest !== undefined) parseCache.delete(oldest);
  }
  return entry;
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
  const { tree, lineStarts } = parseBlock(block.text);
  return { text: block.text, tree, offset: block.offset, line0: block.line0, isUser, lineStarts };
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

export function textOf(unit: SourceUnit, node: SyntaxNode): string {
  return unit.text.slice(node.from, node.to);
}

/** Children of a node as an array (lezer exposes them through a cursor). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}
