// Jupyter notebooks: the Python code cells as one program in cell order, with positions mapped back to cells.
import { analyzeSource, type Analysis, type AnalyzeOptions } from "./analyze";

export interface NotebookCell {
  /** Index of the cell in the notebook (all cells counted). */
  readonly index: number;
  readonly source: string;
}

export interface CellPosition {
  readonly cell: number;
  /** 1-based line inside the cell. */
  readonly line: number;
}

export interface NotebookProgram {
  readonly text: string;
  /** For each 1-based line of the program, its cell and line (index 0 unused). */
  readonly lines: readonly CellPosition[];
  /** Offset of each cell's first character in the program, by cell index. */
  readonly cellOffsets: ReadonlyMap<number, number>;
}

const PYTHON_CELL_MAGICS = new Set(["time", "timeit", "capture", "prun"]);

/** A cell's lines with IPython magics and shell escapes blanked (line numbers stay the same). */
function pythonLines(source: string): string[] {
  const lines = source.split(/\r?\n/);
  const first = lines[0]?.trim() ?? "";
  if (first.startsWith("%%")) {
    const magic = first.slice(2).split(/\s/)[0];
    if (!PYTHON_CELL_MAGICS.has(magic)) return lines.map(() => "");
    lines[0] = "";
  }
  return lines.map((l) => (/^\s*[%!]/.test(l) ? "" : l));
}

/** The code cells joined in order into one program (magics and `!shell` lines skipped, not errors). */
export function notebookProgram(cells: readonly NotebookCell[]): NotebookProgram {
  const out: string[] = [];
  const lines: CellPosition[] = [{ cell: -1, line: 0 }];
  const cellOffsets = new Map<number, number>();
  let offset = 0;
  for (const cell of cells) {
    cellOffsets.set(cell.index, offset);
    const ls = pythonLines(cell.source);
    ls.forEach((l, i) => {
      out.push(l);
      lines.push({ cell: cell.index, line: i + 1 });
      offset += l.length + 1;
    });
  }
  return { text: out.join("\n"), lines, cellOffsets };
}

/** The code cells of an .ipynb file's JSON (Python notebooks; other kernels give none). */
export function parseIpynb(json: string): NotebookCell[] {
  const nb = JSON.parse(json) as {
    cells?: { cell_type?: string; source?: string | string[] }[];
    metadata?: { language_info?: { name?: string }; kernelspec?: { language?: string } };
  };
  const lang = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language ?? "python";
  if (lang !== "python") return [];
  const cells: NotebookCell[] = [];
  (nb.cells ?? []).forEach((c, index) => {
    if (c.cell_type !== "code") return;
    const source = Array.isArray(c.source) ? c.source.join("") : c.source ?? "";
    cells.push({ index, source });
  });
  return cells;
}

export interface NotebookAnalysis {
  readonly program: NotebookProgram;
  readonly analysis: Analysis;
}

/** Analyse the notebook's code cells as one program; report lines are program lines (map with `program.lines`). */
export function analyzeNotebook(cells: readonly NotebookCell[], options?: AnalyzeOptions): NotebookAnalysis {
  const program = notebookProgram(cells);
  return { program, analysis: analyzeSource(program.text, options) };
}
