// A parsed block's first syntax error: lezer's error nodes, and indentation errors lezer accepts or words as a bare error (CPython's "unexpected indent" and where it points).
import type { SyntaxNode as LezerNode, Tree } from "@lezer/common";

/** The first syntax error: an error node, or a statement indented past its siblings (which lezer accepts). */
export function errorsOf(tree: Tree, text: string): { firstError: number; firstErrorMessage?: string } {
  const err = firstErrorOf(tree, text);
  const indent = unexpectedIndentOf(tree, text);
  // CPython's offset of an unexpected indent is the indentation's last character
  if (indent >= 0 && (err < 0 || indent <= err)) return { firstError: Math.max(0, indent - 1), firstErrorMessage: "unexpected indent" };
  const deeper = err >= 0 ? overIndentedLineAt(text, err) : -1;
  if (deeper >= 0) return { firstError: Math.max(0, deeper - 1), firstErrorMessage: "unexpected indent" };
  return { firstError: err };
}

/**
 * lezer closes a body at a line indented deeper than the body (an error node at the line's start):
 * the start of that line's statement when its indentation passes the previous code line's and that
 * line opens no block, else -1.
 */
function overIndentedLineAt(text: string, err: number): number {
  const lineStart = text.lastIndexOf("\n", err - 1) + 1;
  const line = text.slice(lineStart, text.indexOf("\n", lineStart) < 0 ? text.length : text.indexOf("\n", lineStart));
  const indent = /^[ \t]*/.exec(line)![0].length;
  if (err - lineStart > indent || indent === line.length || line[indent] === "#") return -1;
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const prev = text.slice(start, end);
    const code = prev.trim();
    if (code && !code.startsWith("#")) {
      const prevIndent = /^[ \t]*/.exec(prev)![0].length;
      return indent > prevIndent && !code.replace(/#.*$/, "").trimEnd().endsWith(":") ? lineStart + indent : -1;
    }
    end = start - 1;
  }
  return -1;
}

/**
 * The start of the first statement that begins a line indented deeper than the block it is in
 * (top-level statements at column 0, a body's statements at its first statement's column), or -1.
 */
function unexpectedIndentOf(tree: Tree, text: string): number {
  let found = -1;
  const columnAtLineStart = (pos: number): number => {
    const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
    return /^[ \t]*$/.test(text.slice(lineStart, pos)) ? pos - lineStart : -1;
  };
  const cur = tree.cursor();
  do {
    const name = cur.type.name;
    if (name !== "Script" && name !== "Body") continue;
    let expected = name === "Script" ? 0 : -1;
    for (let ch = cur.node.firstChild; ch; ch = ch.nextSibling) {
      if (ch.type.isError || ch.name === "Comment" || ch.name === ":") continue;
      const col = columnAtLineStart(ch.from);
      if (col < 0) continue; // after `;` or on the `if x:` line
      if (expected < 0) expected = col;
      else if (col > expected) {
        if (found < 0 || ch.from < found) found = ch.from;
        break;
      }
    }
  } while (cur.next());
  return found;
}

function firstErrorOf(tree: Tree, text: string): number {
  const cur = tree.cursor();
  do {
    if (cur.type.isError && !isTrailingDotFloat(cur.node, text) && !isStarredComprehensionTarget(cur.node)) return cur.from;
  } while (cur.next());
  return -1;
}

/**
 * lezer's Python grammar has no float literal with a trailing dot (`2.`, `0.`): it parses one as
 * a MemberExpression `Number "." <error>`. That error is no syntax error (the evaluator reads the
 * expression as the float).
 */
function isTrailingDotFloat(err: LezerNode, text: string): boolean {
  const member = err.parent;
  const num = member?.firstChild;
  return (
    err.from === err.to &&
    member?.name === "MemberExpression" &&
    num?.name === "Number" &&
    num.nextSibling?.name === "." &&
    num.nextSibling.nextSibling?.from === err.from &&
    /^[0-9][0-9_]*$/.test(text.slice(num.from, num.to))
  );
}

/**
 * lezer's Python grammar has no starred target in a comprehension's `for` (`[f(*a) for n, *a in spec]`):
 * it wraps the `*` in an error node. Python accepts it (the evaluator unpacks it as in a `for` statement).
 */
function isStarredComprehensionTarget(err: LezerNode): boolean {
  const star = err.firstChild;
  if (star?.name !== "*" || star.from !== err.from || star.to !== err.to || star.nextSibling) return false;
  if (!/ComprehensionExpression$|^ArgList$/.test(err.parent?.name ?? "") || err.nextSibling?.name !== "VariableName") return false;
  // between a `for` and its `in`
  for (let s = err.prevSibling; s; s = s.prevSibling) {
    if (s.name === "for") return true;
    if (s.name === "in" || s.type.isError) return false;
  }
  return false;
}
