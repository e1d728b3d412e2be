// Diagnostics: every problem of the analysis report in the Problems panel, kept in step with edits and settings.
import * as vscode from "vscode";
import type { Analysis } from "../python/analyze";
import type { Diagnostic as ReportDiagnostic } from "../python/report";
import { isModelDocument, type AnalysisCache } from "./analysisCache";
import type { DocumentView } from "./documentView";
import { misspelledName, misspelledPartAt } from "./argEdit";
import { readConfig } from "./config";
import { callAt, expressionSpanAt, type Span } from "./pySyntax";
import { sitesOf } from "./sites";

export const SOURCE = "Shape Lens";

const SEVERITY: Record<ReportDiagnostic["severity"], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Program offset of a report position (1-based line and column), clamped into the program. */
export function offsetOf(view: DocumentView, d: { line: number | null; column: number | null }): number {
  return view.reportOffset(d.line, d.column);
}

/** What the diagnostic covers: the misspelled name, else the layer call built there, else the call or name at its position. */
function spanOf(text: string, analysis: Analysis, d: ReportDiagnostic, offset: number): Span | null {
  if (d.code === "unknown-layer" || d.code === "unknown-name") {
    // the misspelled name up to its wrong part: `nn.Senquential`, `torch.optimal`
    const wrong = misspelledName(d);
    const part = wrong ? misspelledPartAt(text, offset, wrong) : null;
    if (part) return { from: offset, to: part.to };
    const call = callAt(text, offset);
    if (call) return call.callee;
  }
  const site = sitesOf(analysis).find((s) => s.from === offset);
  if (site) return site;
  return expressionSpanAt(text, offset);
}

/** The report's problems that lie in this document (a notebook cell: those of the notebook's program in this cell). */
export function toDiagnostics(view: DocumentView): vscode.Diagnostic[] {
  const { document, analysis, text } = view;
  const out: vscode.Diagnostic[] = [];
  for (const d of analysis.report.diagnostics) {
    // problems without a line belong to the whole program: a notebook shows them on its first Python cell
    if (d.line === null ? view.programLine(0) !== 1 : view.documentLine(d.line) === undefined) continue;
    const offset = offsetOf(view, d);
    const start = view.positionAt(offset);
    if (!start) continue;
    const span = d.line !== null ? spanOf(text, analysis, d, offset) : null;
    const end = span ? view.positionAt(span.to) : undefined;
    const range = end ? new vscode.Range(start, end) : document.lineAt(start.line).range.with({ start });
    const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
    diagnostic.source = SOURCE;
    diagnostic.code = d.code;
    out.push(diagnostic);
  }
  return out;
}

export function register(cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection("shapeLens");
  const update = (document: vscode.TextDocument): void => {
    if (!readConfig(document).diagnosticsEnabled || !isModelDocument(document)) {
      collection.delete(document.uri);
      return;
    }
    const view = cache.view(document);
    if (!view) collection.delete(document.uri);
    else {
      try {
        collection.set(document.uri, toDiagnostics(view));
      } catch (e) {
        log.appendLine(`diagnostics failed for ${document.uri.fsPath}: ${(e as Error).stack ?? e}`);
      }
    }
  };
  // only documents on screen are analysed (a file opened in the background costs nothing until shown)
  const visibleDocuments = (): vscode.TextDocument[] => [
    ...vscode.window.visibleTextEditors.map((e) => e.document),
    ...vscode.window.visibleNotebookEditors.flatMap((e) => e.notebook.getCells().map((c) => c.document)),
  ];
  const updateVisible = (): void => [...new Set(visibleDocuments())].forEach(update);
  // the documents already on screen are checked after activation returns (no analysis in activate)
  const initial = setTimeout(updateVisible, 0);
  return vscode.Disposable.from(
    collection,
    { dispose: () => clearTimeout(initial) },
    cache.onDidChange((d) => {
      if (visibleDocuments().includes(d)) update(d);
    }),
    vscode.window.onDidChangeVisibleTextEditors(updateVisible),
    vscode.window.onDidChangeVisibleNotebookEditors(updateVisible),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    // a file that no longer imports torch gets no more analyses: drop its old problems
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (collection.has(e.document.uri) && !isModelDocument(e.document)) collection.delete(e.document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("shapeLens.diagnostics")) updateVisible();
    }),
  );
}
