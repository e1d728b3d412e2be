// Diagnostics: every problem of the analysis report in the Problems panel, kept in step with edits and settings.
import * as vscode from "vscode";
import type { Analysis } from "../python/analyze";
import type { Diagnostic as ReportDiagnostic } from "../python/report";
import { isModelDocument, type AnalysisCache } from "./analysisCache";
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

/** Document offset of a report position (1-based line and column), clamped into the document. */
export function offsetOf(document: vscode.TextDocument, d: { line: number | null; column: number | null }): number {
  const line = Math.min(Math.max((d.line ?? 1) - 1, 0), document.lineCount - 1);
  return document.offsetAt(new vscode.Position(line, Math.max((d.column ?? 1) - 1, 0)));
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

export function toDiagnostics(document: vscode.TextDocument, analysis: Analysis): vscode.Diagnostic[] {
  const text = document.getText();
  return analysis.report.diagnostics.map((d) => {
    const offset = offsetOf(document, d);
    const start = document.positionAt(offset);
    const span = d.line !== null ? spanOf(text, analysis, d, offset) : null;
    const range = span ? new vscode.Range(start, document.positionAt(span.to)) : document.lineAt(start.line).range.with({ start });
    const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
    diagnostic.source = SOURCE;
    diagnostic.code = d.code;
    return diagnostic;
  });
}

export function register(cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection("shapeLens");
  const update = (document: vscode.TextDocument): void => {
    if (!readConfig(document).diagnosticsEnabled || !isModelDocument(document)) {
      collection.delete(document.uri);
      return;
    }
    const analysis = cache.get(document);
    if (!analysis) collection.delete(document.uri);
    else {
      try {
        collection.set(document.uri, toDiagnostics(document, analysis));
      } catch (e) {
        log.appendLine(`diagnostics failed for ${document.uri.fsPath}: ${(e as Error).stack ?? e}`);
      }
    }
  };
  // the documents already open are checked after activation returns (no analysis in activate)
  const initial = setTimeout(() => vscode.workspace.textDocuments.forEach(update), 0);
  return vscode.Disposable.from(
    collection,
    { dispose: () => clearTimeout(initial) },
    cache.onDidChange(update),
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    // a file that no longer imports torch gets no more analyses: drop its old problems
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (collection.has(e.document.uri) && !isModelDocument(e.document)) collection.delete(e.document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("shapeLens.diagnostics")) vscode.workspace.textDocuments.forEach(update);
    }),
  );
}
