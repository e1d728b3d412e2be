// Quick fixes: set the argument that fits (in_channels, in_features, ...), rename a misspelled layer, add the input pragma.
import * as vscode from "vscode";
import { layerRule } from "../core/layers";
import type { Analysis, ModelAnalysis } from "../python/analyze";
import type { Diagnostic as ReportDiagnostic } from "../python/report";
import type { AnalysisCache } from "./analysisCache";
import { argumentEditAt, isConstantText, misspelledName, renameEditAt, suggestInputShape, suggestedName, type TextEdit } from "./argEdit";
import { offsetOf, SOURCE } from "./diagnostics";
import { pragmaEdit, pragmaText } from "./inputShape";

/** The constructor's positional parameter names, for a callee name such as "Conv2d". */
function positionalNames(callee: string): readonly string[] | undefined {
  return layerRule(callee)?.signature.params.map((p) => p.name);
}

function workspaceEdit(document: vscode.TextDocument, edit: TextEdit): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  we.replace(document.uri, new vscode.Range(document.positionAt(edit.from), document.positionAt(edit.to)), edit.insert);
  return we;
}

function action(title: string, document: vscode.TextDocument, edit: TextEdit | vscode.WorkspaceEdit, diagnostic?: vscode.Diagnostic, preferred = false): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.edit = edit instanceof vscode.WorkspaceEdit ? edit : workspaceEdit(document, edit);
  if (diagnostic) a.diagnostics = [diagnostic];
  a.isPreferred = preferred;
  return a;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === "object" && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

/** The report diagnostic behind an editor diagnostic (same code and start). */
function reportDiagnostic(document: vscode.TextDocument, analysis: Analysis, d: vscode.Diagnostic): ReportDiagnostic | undefined {
  const start = document.offsetAt(d.range.start);
  const code = codeOf(d);
  return analysis.report.diagnostics.find((r) => r.code === code && r.line !== null && offsetOf(document, r) === start);
}

function fixesFor(document: vscode.TextDocument, text: string, r: ReportDiagnostic, d: vscode.Diagnostic): vscode.CodeAction[] {
  const offset = offsetOf(document, r);
  const out: vscode.CodeAction[] = [];
  if (r.fix?.arg) {
    const found = argumentEditAt(text, offset, r.fix, positionalNames);
    if (found) {
      const was = found.replaced ? ` (was ${found.replaced.length > 24 ? found.replaced.slice(0, 23) + "…" : found.replaced})` : "";
      out.push(action(`Set ${r.fix.arg}=${r.fix.value}${was}`, document, found.edit, d, isConstantText(found.replaced)));
    }
  }
  if (r.code === "unknown-layer" || r.code === "unknown-name") {
    const name = suggestedName(r);
    const wrong = misspelledName(r);
    const edit = name && wrong ? renameEditAt(text, offset, wrong, name) : null;
    if (edit) out.push(action(`Change to ${text.slice(Math.min(offset, edit.from), edit.from)}${edit.insert}`, document, edit, d, true));
  }
  return out;
}

/** Models whose input is unknown or symbolic (a concrete pragma lets hints show real numbers). */
function needsInput(m: ModelAnalysis): boolean {
  if (m.report.error && m.report.params === null) return false;
  const input = m.report.input;
  return !input || input.some((s) => s.some((d) => typeof d !== "number"));
}

function pragmaActions(document: vscode.TextDocument, text: string, analysis: Analysis, range: vscode.Range): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const lines = text.split(/\r?\n/);
  for (const m of analysis.models) {
    const line = m.report.line;
    const onModel = range.start.line <= line - 1 && line - 1 <= range.end.line;
    const onPragmaAbove = range.start.line === line - 2 && /#\s*shape-lens:/.test(document.lineAt(Math.max(line - 2, 0)).text);
    if ((!onModel && !onPragmaAbove) || !needsInput(m)) continue;
    const shapes = [suggestInputShape(m.report, m.root)];
    const e = pragmaEdit(lines, line, shapes);
    const we = new vscode.WorkspaceEdit();
    if (e.kind === "insert") we.insert(document.uri, new vscode.Position(e.line, 0), e.text.replace(/\n$/, document.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n"));
    else we.replace(document.uri, new vscode.Range(e.line, e.from, e.line, e.to), e.text);
    out.push(action(`${e.kind === "insert" ? "Add" : "Update"} the input shape of ${m.report.name}: ${pragmaText(shapes)}`, document, we));
  }
  return out;
}

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly cache: AnalysisCache,
    private readonly log: vscode.OutputChannel,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const analysis = this.cache.get(document);
    if (!analysis || token.isCancellationRequested) return [];
    const text = document.getText();
    const actions: vscode.CodeAction[] = [];
    try {
      for (const d of context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const r = reportDiagnostic(document, analysis, d);
        if (r) actions.push(...fixesFor(document, text, r, d));
      }
      actions.push(...pragmaActions(document, text, analysis, range));
    } catch (e) {
      this.log.appendLine(`quick fixes failed for ${document.uri.fsPath}: ${(e as Error).stack ?? e}`);
    }
    return actions;
  }
}

export function register(cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ language: "python" }, new QuickFixProvider(cache, log), QuickFixProvider.metadata);
}
