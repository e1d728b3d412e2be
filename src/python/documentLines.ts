// Lines of a document seen through its blocks: a position's line in its block, a line's text, the lines mentioning a word, a model's pragma.
import type { Pragma } from "./analyze";
import { findPragma } from "./pragma";
import { lineIndexIn, lineOf, type Block, type ParsedBlock, type SourceUnit } from "./source";

/** 0-based line of a position in its block's text. */
export function lineIndex(parsed: ParsedBlock, pos: number): number {
  return lineIndexIn(parsed.lineStarts, pos);
}

export function atLineStart(unit: SourceUnit, pos: number): boolean {
  return pos === 0 || unit.text.charCodeAt(pos - 1) === 10;
}

/** The pragma on a model's line or the line above it (most lines have none: a substring test first). */
export function pragmaAt(lineText: (line: number) => string, line: number): Pragma | null {
  const here = lineText(line);
  const above = line > 1 ? lineText(line - 1) : "";
  if (!here.includes("shape-lens") && !above.includes("shape-lens")) return null;
  const key = `${above}\n${here}`;
  let hit = pragmas.get(key);
  if (hit === undefined) {
    hit = line > 1 ? findPragma([above, here], 2) : findPragma([here], 1);
    if (pragmas.size > 1000) pragmas.clear();
    pragmas.set(key, hit);
  }
  return hit;
}

/** Pragmas by the text of a model's line and the line above (the same few lines are read on every analysis). */
const pragmas = new Map<string, Pragma | null>();

/** The 1-based lines of the document that contain `word` (found in the whole text at once: most lines have none). */
export function linesMentioning(text: string, word: string, blocks: readonly Block[], units: readonly SourceUnit[]): Set<number> {
  const lines = new Set<number>();
  let b = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    while (b + 1 < units.length && blocks[b + 1].offset <= at) b++;
    if (b < units.length) lines.add(lineOf(units[b], at - blocks[b].offset));
  }
  return lines;
}

/** The text of a 1-based line of the document, from its blocks. */
export function lineReader(blocks: readonly Block[], units: readonly SourceUnit[]): (line: number) => string {
  return (line) => {
    let lo = 0;
    let hi = units.length - 1;
    if (hi < 0) return "";
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid].line0 < line) lo = mid;
      else hi = mid - 1;
    }
    const u = units[lo];
    const i = line - 1 - blocks[lo].line0;
    if (i < 0 || i >= u.lineStarts.length) return "";
    let end = i + 1 < u.lineStarts.length ? u.lineStarts[i + 1] : u.text.length;
    if (end > u.lineStarts[i] && u.text.charCodeAt(end - 1) === 10) end--;
    if (end > u.lineStarts[i] && u.text.charCodeAt(end - 1) === 13) end--;
    return u.text.slice(u.lineStarts[i], end);
  };
}
