// Reading a shape the user typed ("(1, 3, 224, 224)") and placing the `# shape-lens: input=(...)` pragma (spec §5; vscode-free).
import { parsePragma } from "../python/pragma";
import { t } from "./l10n";

export type ShapeDims = (number | string)[];

export type ParsedShapes = { readonly shapes: ShapeDims[]; readonly error?: undefined } | { readonly shapes?: undefined; readonly error: string };

/** How to write a shape (the tail of every parse error). */
const how = (): string => t("write the shape like (1, 3, 224, 224); several inputs: (1, 3, 32, 32), (1, 10); named dims: (N, 3, H, W)");

function parseDims(body: string): ShapeDims | string {
  const parts = body.split(",").map((p) => p.trim());
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop(); // "(1,)"
  if (parts.length === 0 || parts.some((p) => p === "")) return t("empty dimension: {0}", how());
  const dims: ShapeDims = [];
  for (const p of parts) {
    if (/^\d+$/.test(p)) {
      const n = parseInt(p, 10);
      if (n < 1) return t("dimension {0} must be at least 1", p);
      dims.push(n);
    } else if (/^[A-Za-z_]\w*$/.test(p)) {
      dims.push(p);
    } else {
      return t("\"{0}\" is not a size: {1}", p, how());
    }
  }
  return dims;
}

/** Parses "(1, 3, 224, 224)", "1, 3, 224, 224", "[1, 3, 224, 224]", "(1, 3, 32, 32), (1, 10)", "(N, 3, H, W)". */
export function parseShapeInput(text: string): ParsedShapes {
  let v = text.trim();
  if (v === "") return { error: how() };
  // one pair of outer brackets around several groups: "[(1, 3), (1, 10)]"
  const outer = /^[([]\s*([([].*[)\]])\s*,?\s*[)\]]$/.exec(v);
  if (outer) v = outer[1];
  if (!/[()[\]]/.test(v)) {
    const dims = parseDims(v);
    return typeof dims === "string" ? { error: dims } : { shapes: [dims] };
  }
  const shapes: ShapeDims[] = [];
  const group = /\s*[([]([^()[\]]*)[)\]]\s*(,|$)/y;
  let pos = 0;
  while (pos < v.length) {
    group.lastIndex = pos;
    const m = group.exec(v);
    if (!m || m[0] === "") return { error: t("cannot read \"{0}\": {1}", v.slice(pos).trim(), how()) };
    const dims = parseDims(m[1]);
    if (typeof dims === "string") return { error: dims };
    shapes.push(dims);
    pos = group.lastIndex;
    if (m[2] === "") break;
  }
  if (pos < v.length) return { error: t("cannot read \"{0}\": {1}", v.slice(pos).trim(), how()) };
  return shapes.length > 0 ? { shapes } : { error: how() };
}

/** `(1, 3, 224, 224)` or `(1, 3, 32, 32), (1, 10)`. */
export function shapesText(shapes: readonly (readonly (number | string | null)[])[]): string {
  return shapes.map((s) => `(${s.map((d) => (d === null ? "?" : String(d))).join(", ")})`).join(", ");
}

/** The pragma comment for these shapes. */
export function pragmaText(shapes: readonly ShapeDims[]): string {
  return `# shape-lens: input=${shapesText(shapes)}`;
}

/** A text edit on one line (0-based line and columns); `insert` adds a whole new line before `line`. */
export interface LineEdit {
  readonly kind: "insert" | "replace";
  readonly line: number;
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

const PRAGMA_START = /#\s*shape-lens\s*:/;

/**
 * Where to write the pragma for the model whose `class` / assignment is on `modelLine` (1-based):
 * an existing pragma on that line or the line above is rewritten in place; otherwise a new comment
 * line goes above the model, indented like it.
 */
export function pragmaEdit(lines: readonly string[], modelLine: number, shapes: readonly ShapeDims[]): LineEdit {
  const text = pragmaText(shapes);
  for (const ln of [modelLine, modelLine - 1]) {
    if (ln < 1 || ln > lines.length) continue;
    const line = lines[ln - 1];
    const m = PRAGMA_START.exec(line);
    if (m && (ln === modelLine - 1 || parsePragma(line) !== null)) {
      return { kind: "replace", line: ln - 1, from: m.index, to: line.length, text };
    }
  }
  const indent = /^\s*/.exec(lines[modelLine - 1] ?? "")?.[0] ?? "";
  return { kind: "insert", line: modelLine - 1, from: 0, to: 0, text: `${indent}${text}\n` };
}

/** Applies a LineEdit to the lines (for tests and previews). */
export function applyLineEdit(lines: readonly string[], e: LineEdit): string[] {
  const out = [...lines];
  if (e.kind === "insert") out.splice(e.line, 0, e.text.replace(/\n$/, ""));
  else out[e.line] = out[e.line].slice(0, e.from) + e.text + out[e.line].slice(e.to);
  return out;
}
