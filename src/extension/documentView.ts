// What a feature sees of a document: the analysed program it belongs to (the file itself, or every code cell of its notebook) and positions mapped between the two.
import * as vscode from "vscode";
import type { Analysis } from "../python/analyze";
import type { NotebookProgram } from "../python/notebook";
import { cellToProgram, cellWindows, programToCell, ProgramLines, type CellWindow } from "./programLines";

/**
 * A document as the analysis saw it. Features work in program offsets (the analysis' `from`/`to`,
 * `sitesOf`, the lezer helpers on `text`) and map the results back with `positionAt`, which is
 * undefined for an offset in another cell of the notebook.
 */
export interface DocumentView {
  readonly document: vscode.TextDocument;
  readonly analysis: Analysis;
  /** The analysed program: the document's text, or the notebook's code cells joined in cell order. */
  readonly text: string;
  /** The program's lines (a model's pragma may sit in another cell, on the line above the class). */
  readonly lines: readonly string[];
  /** The notebook, when the document is one of its cells. */
  readonly notebook?: vscode.NotebookDocument;
  /** Program offset of a document position. */
  offsetAt(position: vscode.Position): number;
  /** Document position of a program offset; undefined when it lies in another cell. */
  positionAt(offset: number): vscode.Position | undefined;
  /** 1-based program line of a 0-based document line. */
  programLine(line: number): number;
  /** 0-based document line of a 1-based program line; undefined when it lies in another cell. */
  documentLine(line: number): number | undefined;
  /** Program offset of a report position (1-based line and column), clamped into the program. */
  reportOffset(line: number | null, column: number | null): number;
}

/** A Python file: program and document are the same text. */
export function fileView(document: vscode.TextDocument, analysis: Analysis): DocumentView {
  let text: string | undefined;
  let lines: string[] | undefined;
  return {
    document,
    analysis,
    get text() {
      return (text ??= document.getText());
    },
    get lines() {
      return (lines ??= this.text.split(/\r?\n/));
    },
    offsetAt: (position) => document.offsetAt(position),
    positionAt: (offset) => document.positionAt(offset),
    programLine: (line) => line + 1,
    documentLine: (line) => (line >= 1 && line <= document.lineCount ? line - 1 : undefined),
    reportOffset: (line, column) => {
      const l = Math.min(Math.max((line ?? 1) - 1, 0), document.lineCount - 1);
      return document.offsetAt(new vscode.Position(l, Math.max((column ?? 1) - 1, 0)));
    },
  };
}

/** Whether a document is a notebook cell (its analysis is the notebook's). */
export function isNotebookCell(document: vscode.TextDocument): boolean {
  return document.uri.scheme === "vscode-notebook-cell";
}

/** The open notebook a cell document belongs to. */
export function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (!isNotebookCell(document)) return undefined;
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === document));
}

/** The file a document's analysis belongs to: the notebook of a cell, else the document itself. */
export function sourceUri(document: vscode.TextDocument): vscode.Uri {
  return notebookOf(document)?.uri ?? document.uri;
}

/** The code cells a notebook program is made of: Python cells, in order. */
export function pythonCells(notebook: vscode.NotebookDocument): vscode.NotebookCell[] {
  return notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === "python");
}

/** A notebook's analysed program: the views of its cells, and where a program offset or line lies. */
export class NotebookProgramView {
  private readonly programLines: ProgramLines;
  private readonly windows: Map<number, CellWindow>;

  constructor(
    readonly notebook: vscode.NotebookDocument,
    readonly program: NotebookProgram,
    readonly analysis: Analysis,
  ) {
    this.programLines = new ProgramLines(program.text);
    this.windows = cellWindows(program);
  }

  /** The view of one of the notebook's cells (undefined for a cell outside the program: markdown, another language). */
  cellView(document: vscode.TextDocument): DocumentView | undefined {
    const cell = this.notebook.getCells().find((c) => c.document === document);
    const window = cell && this.windows.get(cell.index);
    if (!window) return undefined;
    const pl = this.programLines;
    let lines: string[] | undefined;
    return {
      document,
      analysis: this.analysis,
      notebook: this.notebook,
      text: this.program.text,
      get lines() {
        return (lines ??= this.text.split("\n"));
      },
      offsetAt: (position) => pl.offsetAt(cellToProgram(window, position)),
      positionAt: (offset) => {
        const p = programToCell(window, pl.positionAt(offset));
        return p && new vscode.Position(p.line, p.character);
      },
      programLine: (line) => window.firstLine + line + 1,
      documentLine: (line) => (line - 1 >= window.firstLine && line - 1 < window.firstLine + window.lineCount ? line - 1 - window.firstLine : undefined),
      reportOffset: (line, column) => pl.offsetAt({ line: (line ?? 1) - 1, character: (column ?? 1) - 1 }),
    };
  }

  /** The cell document and position of a program offset. */
  locate(offset: number): { document: vscode.TextDocument; position: vscode.Position } | undefined {
    const p = this.programLines.positionAt(offset);
    const at = this.program.lines[p.line + 1];
    const window = at && this.windows.get(at.cell);
    if (!at || !window || at.cell >= this.notebook.cellCount) return undefined;
    return { document: this.notebook.cellAt(at.cell).document, position: new vscode.Position(p.line - window.firstLine, p.character) };
  }

  /** The cell document and 0-based line of a 1-based program line. */
  locateLine(line: number): { document: vscode.TextDocument; line: number } | undefined {
    const at = this.program.lines[line];
    if (!at || at.cell < 0 || at.cell >= this.notebook.cellCount) return undefined;
    return { document: this.notebook.cellAt(at.cell).document, line: at.line - 1 };
  }
}
