// Small lezer queries on the document's Python text (vscode-free): the call or name at an offset, its arguments, statements.
import type { SyntaxNode, Tree } from "@lezer/common";
import { parseTree } from "../python/source";

let lastParse: { readonly text: string; readonly tree: Tree } | null = null;

/** The lezer tree of a document's text (the last one is kept: hover, hints and fixes ask about the same text). */
export function parsePython(text: string): Tree {
  if (lastParse && lastParse.text === text) return lastParse.tree;
  const tree = parseTree(text);
  lastParse = { text, tree };
  return tree;
}

export interface Span {
  readonly from: number;
  readonly to: number;
}

/** One argument of a call: `3`, `kernel_size=5`, `*layers`, `**kw`. */
export interface CallArg extends Span {
  readonly kind: "positional" | "keyword" | "star" | "doubleStar";
  /** The keyword's name. */
  readonly name?: string;
  /** The value expression. */
  readonly value: Span;
}

export interface CallInfo extends Span {
  /** The callee expression (`nn.Conv2d`). */
  readonly callee: Span;
  /** Its last name (`Conv2d`) and where that is. */
  readonly name: string;
  readonly nameSpan: Span;
  /** Whether the callee is a dotted name (`nn.Conv2d`) rather than a bare one (`Conv2d`). */
  readonly dotted: boolean;
  /** The parentheses and what is between them. */
  readonly argList: Span;
  readonly args: readonly CallArg[];
}

function isExpressionNode(n: SyntaxNode): boolean {
  return n.name !== "," && n.name !== "(" && n.name !== ")" && n.name !== "Comment" && !n.type.isError;
}

function argsOf(argList: SyntaxNode, text: string): CallArg[] {
  const out: CallArg[] = [];
  let group: SyntaxNode[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    const first = group[0];
    const last = group[group.length - 1];
    const span = { from: first.from, to: last.to };
    if (first.name === "*" || first.name === "**") {
      const v = group[1] ?? first;
      out.push({ ...span, kind: first.name === "*" ? "star" : "doubleStar", value: { from: v.from, to: last.to } });
    } else if (group.length >= 3 && first.name === "VariableName" && group[1].name === "AssignOp") {
      out.push({ ...span, kind: "keyword", name: text.slice(first.from, first.to), value: { from: group[2].from, to: last.to } });
    } else {
      out.push({ ...span, kind: "positional", value: span });
    }
    group = [];
  };
  for (let ch = argList.firstChild; ch; ch = ch.nextSibling) {
    if (ch.name === ",") flush();
    else if (isExpressionNode(ch)) group.push(ch);
  }
  flush();
  return out;
}

/** Details of a CallExpression node. */
export function callInfo(node: SyntaxNode, text: string): CallInfo | null {
  if (node.name !== "CallExpression") return null;
  const callee = node.firstChild;
  const argList = node.getChild("ArgList");
  if (!callee || !argList) return null;
  let nameNode: SyntaxNode | null = callee;
  if (callee.name === "MemberExpression") nameNode = callee.getChild("PropertyName");
  if (!nameNode || (nameNode.name !== "VariableName" && nameNode.name !== "PropertyName")) return null;
  return {
    from: node.from,
    to: node.to,
    callee: { from: callee.from, to: callee.to },
    name: text.slice(nameNode.from, nameNode.to),
    nameSpan: { from: nameNode.from, to: nameNode.to },
    dotted: callee.name === "MemberExpression",
    argList: { from: argList.from, to: argList.to },
    args: argsOf(argList, text),
  };
}

/** The call expression that starts at `offset` (`nn.Conv2d(...)` for a diagnostic at its `n`), innermost first. */
export function callAt(text: string, offset: number): CallInfo | null {
  const tree = parsePython(text);
  for (let n: SyntaxNode | null = tree.resolveInner(offset, 1); n && n.from === offset; n = n.parent) {
    if (n.name === "CallExpression") return callInfo(n, text);
  }
  return null;
}

/** The innermost call whose callee contains `offset` (a hover or cursor on `Conv2d` in `nn.Conv2d(...)`). */
export function callWithCalleeAt(text: string, offset: number): CallInfo | null {
  const tree = parsePython(text);
  for (let n: SyntaxNode | null = tree.resolveInner(offset, 0); n; n = n.parent) {
    if (n.name === "CallExpression") {
      const info = callInfo(n, text);
      if (info && info.callee.from <= offset && offset <= info.callee.to) return info;
    }
  }
  return null;
}

const NAME_NODES = new Set(["VariableName", "MemberExpression", "PropertyName", "SubscriptExpression", "self"]);

/**
 * The span a diagnostic at `offset` covers: the call starting there, else the (dotted) name or
 * expression starting there, else the rest of the word; null when there is nothing at `offset`.
 */
export function expressionSpanAt(text: string, offset: number): Span | null {
  const call = callAt(text, offset);
  if (call) return { from: call.from, to: call.to };
  const tree = parsePython(text);
  let best: SyntaxNode | null = null;
  for (let n: SyntaxNode | null = tree.resolveInner(offset, 1); n && n.from === offset; n = n.parent) {
    if (!NAME_NODES.has(n.name)) break;
    best = n;
  }
  if (best && best.to > best.from && !text.slice(best.from, best.to).includes("\n")) return { from: best.from, to: best.to };
  const m = /^[\w.]+/.exec(text.slice(offset, offset + 200));
  return m ? { from: offset, to: offset + m[0].length } : null;
}

/** `self.NAME` with the cursor on NAME: the attribute's name and the span of `self.NAME`. */
export function selfAttributeAt(text: string, offset: number): (Span & { readonly name: string }) | null {
  const tree = parsePython(text);
  for (const side of [1, -1] as const) {
    const n = tree.resolveInner(offset, side);
    const member = n.name === "PropertyName" ? n.parent : null;
    const object = member?.name === "MemberExpression" ? member.firstChild : null;
    if (member && object && object.name === "VariableName" && text.slice(object.from, object.to) === "self") {
      return { name: text.slice(n.from, n.to), from: member.from, to: member.to };
    }
  }
  return null;
}
