// One analysis per document version (a notebook: per version of its code cells), shared by every feature (hints, hover, diagnostics, tree, status bar).
import * as vscode from "vscode";
import type { Analysis } from "../python/analyze";
import { notebookProgram } from "../python/notebook";
import { AnalysisSession } from "../python/session";
import { readConfig } from "./config";
import { fileView, isNotebookCell, NotebookProgramView, notebookOf, pythonCells, type DocumentView } from "./documentView";

interface Entry {
  /** The document version (a notebook: its version and those of its code cells) and the settings the analysis used. */
  version: string;
  key: string;
  /** Re-runs only what an edit reaches. */
  session: AnalysisSession;
  analysis: Analysis | undefined;
  notebook?: NotebookProgramView;
}

export class AnalysisCache implements vscode.Disposable {
  /** Per Python document and per notebook (by URI). */
  private readonly cache = new Map<string, Entry>();
  private readonly emitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires (debounced) after a Python document changed and was re-analysed; for a notebook, once for each of its Python cells. */
  readonly onDidChange = this.emitter.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.OutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        // cells added, removed or moved (their text changes come as text document changes)
        if (e.contentChanges.length > 0) this.scheduleNotebook(e.notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.cache.delete(nb.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("shapeLens")) {
          this.cache.clear();
          for (const d of vscode.workspace.textDocuments) if (isModelDocument(d)) this.emitter.fire(d);
        }
      }),
    );
  }

  /** The analysis of a Python file as it is now (computed at most once per version and settings); undefined for notebook cells (see `view`). */
  get(document: vscode.TextDocument): Analysis | undefined {
    if (document.languageId !== "python" || isNotebookCell(document)) return undefined;
    return this.analyse(document.uri, String(document.version), readConfig(document).defaultInputShape, () => document.getText())?.analysis;
  }

  /** The analysis of a notebook's Python code cells, joined in cell order, with the mapping back to the cells. */
  notebook(notebook: vscode.NotebookDocument): NotebookProgramView | undefined {
    const cells = pythonCells(notebook);
    const version = `${notebook.version}:${cells.map((c) => `${c.document.uri.fragment}@${c.document.version}`).join(",")}`;
    let program: ReturnType<typeof notebookProgram> | undefined;
    const entry = this.analyse(notebook.uri, version, readConfig(notebook.uri).defaultInputShape, () => {
      program = notebookProgram(cells.map((c) => ({ index: c.index, source: c.document.getText() })));
      return program.text;
    });
    if (!entry?.analysis) return undefined;
    if (program) entry.notebook = new NotebookProgramView(notebook, program, entry.analysis);
    return entry.notebook;
  }

  /** What features work with: the document's analysis and the mapping between its positions and the analysed program. */
  view(document: vscode.TextDocument): DocumentView | undefined {
    if (document.languageId !== "python") return undefined;
    if (isNotebookCell(document)) {
      const nb = notebookOf(document);
      return nb && this.notebook(nb)?.cellView(document);
    }
    const analysis = this.get(document);
    return analysis && fileView(document, analysis);
  }

  private analyse(uri: vscode.Uri, version: string, defaultInput: readonly number[] | null, textOf: () => string): Entry | undefined {
    const id = uri.toString();
    const key = JSON.stringify(defaultInput ?? null);
    const hit = this.cache.get(id);
    if (hit && hit.version === version && hit.key === key) return hit;
    const text = textOf();
    if (!importsTorch(text)) return undefined;
    const entry: Entry =
      hit && hit.key === key
        ? hit
        : { version: "", key, analysis: undefined, session: new AnalysisSession({ defaultInput: defaultInput ? [defaultInput] : undefined, symbolic: true }) };
    const started = Date.now();
    let analysis: Analysis;
    try {
      analysis = entry.session.analyze(text);
    } catch (e) {
      // a bug in the analysis, never the user's code: log it and show nothing rather than crash the host
      this.log.appendLine(`analysis failed for ${uri.toString(true)}: ${(e as Error).stack ?? e}`);
      this.cache.delete(id); // the session may be half-updated: the next version starts afresh
      return undefined;
    }
    const s = entry.session.stats;
    this.log.appendLine(
      `analysed ${uri.toString(true)} v${version} in ${Date.now() - started} ms (statements run ${s.statementsRun}, reused ${s.statementsReused}; models analysed ${s.modelsRun}, reused ${s.modelsReused})`,
    );
    const updated: Entry = { ...entry, version, analysis };
    this.cache.set(id, updated);
    return updated;
  }

  private schedule(document: vscode.TextDocument): void {
    const nb = notebookOf(document);
    if (nb) return this.scheduleNotebook(nb);
    if (!isModelDocument(document)) return;
    this.later(document.uri, readConfig(document).debounceMs, () => this.emitter.fire(document));
  }

  /** Every Python cell of the notebook changes: a cell's edit can change what later cells compute. */
  private scheduleNotebook(notebook: vscode.NotebookDocument): void {
    if (notebook.isClosed) return;
    this.later(notebook.uri, readConfig(notebook.uri).debounceMs, () => {
      for (const cell of pythonCells(notebook)) this.emitter.fire(cell.document);
    });
  }

  private later(uri: vscode.Uri, ms: number, fire: () => void): void {
    const id = uri.toString();
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        fire();
      }, ms),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Python files and notebook cells whose program imports torch (documents without a torch import cost nothing). */
export function isModelDocument(document: vscode.TextDocument): boolean {
  if (document.languageId !== "python") return false;
  const nb = notebookOf(document);
  if (nb) return pythonCells(nb).some((c) => importsTorch(c.document.getText()));
  return importsTorch(document.getText());
}

function importsTorch(text: string): boolean {
  return /\b(import\s+torch|from\s+torch\b)/.test(text);
}
