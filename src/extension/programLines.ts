// Offsets ↔ lines of an analysed program, and the window of lines one notebook cell occupies in it (vscode-free).
import type { NotebookProgram } from "../python/notebook";

/** A 0-based line and character, as editors count them. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/** Line starts of a text split at `\n` (a `\r` before it stays at the end of its line, as in the analysed text). */
export class ProgramLines {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The text of a 0-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line];
    if (start === undefined) return "";
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return this.text.slice(start, end).replace(/\r$/, "");
  }

  /** The offset of a position, clamped into the text (a character past the line's end is its end). */
  offsetAt(p: LinePosition): number {
    const line = Math.min(Math.max(p.line, 0), this.starts.length - 1);
    return this.starts[line] + Math.min(Math.max(p.character, 0), this.lineText(line).length);
  }

  /** The position of an offset (clamped into the text). */
  positionAt(offset: number): LinePosition {
    const o = Math.min(Math.max(offset, 0), this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
}

/** Where one cell sits in a notebook program: its first program line (0-based) and how many lines it has. */
export interface CellWindow {
  readonly firstLine: number;
  readonly lineCount: number;
}

/**
 * The lines of each cell in the program, by cell index. A cell keeps its line count and every
 * character's column (magic lines are blanked to empty lines), so a cell position (l, c) is the
 * program position (firstLine + l, c).
 */
export function cellWindows(program: NotebookProgram): Map<number, CellWindow> {
  const windows = new Map<number, { firstLine: number; lineCount: number }>();
  program.lines.forEach((at, i) => {
    if (i === 0) return; // index 0 is unused: program lines are 1-based
    const w = windows.get(at.cell);
    if (w) w.lineCount++;
    else windows.set(at.cell, { firstLine: i - 1, lineCount: 1 });
  });
  return windows;
}

/** The program position of a cell position (positions past the cell's end are its end). */
export function cellToProgram(window: CellWindow, p: LinePosition): LinePosition {
  if (p.line < 0) return { line: window.firstLine, character: 0 };
  if (p.line >= window.lineCount) return { line: window.firstLine + window.lineCount - 1, character: Number.MAX_SAFE_INTEGER };
  return { line: window.firstLine + p.line, character: p.character };
}

/** The cell position of a program position, or undefined when it lies outside the cell. */
export function programToCell(window: CellWindow, p: LinePosition): LinePosition | undefined {
  const line = p.line - window.firstLine;
  return line >= 0 && line < window.lineCount ? { line, character: p.character } : undefined;
}
