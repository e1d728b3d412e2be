// Quick fixes: set the argument that fits (in_channels, in_features, ...), rename a misspelled layer, add the input pragma.
import * as vscode from "vscode";
import { layerRule } from "../core/layers";
import type { ModelAnalysis } from "../python/analyze";
import type { Diagnostic as ReportDiagnostic } from "../python/report";
import type { AnalysisCache } from "./analysisCache";
import type { DocumentView } from "./documentView";
import { argumentEditAt, isConstantText, misspelledName, renameEditAt, suggestInputShape, suggestedName, type TextEdit } from "./argEdit";
import { offsetOf, SOURCE } from "./diagnostics";
import { pragmaEdit, pragmaText } from "./inputShape";

/** The constructor's positional parameter names, for a callee name such as "Conv2d". */
function positionalNames(callee: string): readonly string[] | undefined {
  return layerRule(callee)?.signature.params.map((p) => p.name);
}

/** An edit in program offsets as a workspace edit of the document; undefined when it reaches into another cell. */
function workspaceEdit(view: DocumentView, edit: TextEdit): vscode.WorkspaceEdit | undefined {
  const from = view.positionAt(edit.from);
  const to = view.positionAt(edit.to);
  if (!from || !to) return undefined;
  const we = new vscode.WorkspaceEdit();
  we.replace(view.document.uri, new vscode.Range(from, to), edit.insert);
  return we;
}

function action(title: string, edit: vscode.WorkspaceEdit, diagnostic?: vscode.Diagnostic, preferred = false): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.edit = edit;
  if (diagnostic) a.diagnostics = [diagnostic];
  a.isPreferred = preferred;
  return a;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === "object" && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

/** The report diagnostic behind an editor diagnostic (same code and start). */
function reportDiagnostic(view: DocumentView, d: vscode.Diagnostic): ReportDiagnostic | undefined {
  const start = view.offsetAt(d.range.start);
  const code = codeOf(d);
  return view.analysis.report.diagnostics.find((r) => r.code === code && r.line !== null && offsetOf(view, r) === start);
}

function fixesFor(view: DocumentView, r: ReportDiagnostic, d: vscode.Diagnostic): vscode.CodeAction[] {
  const text = view.text;
  const offset = offsetOf(view, r);
  const out: vscode.CodeAction[] = [];
  if (r.fix?.arg) {
    const found = argumentEditAt(text, offset, r.fix, positionalNames);
    const edit = found && workspaceEdit(view, found.edit);
    if (found && edit) {
      const set = `${r.fix.arg}=${r.fix.value}`;
      const was = found.replaced.length > 24 ? found.replaced.slice(0, 23) + "…" : found.replaced;
      out.push(action(was ? vscode.l10n.t("Set {0} (was {1})", set, was) : vscode.l10n.t("Set {0}", set), edit, d, isConstantText(found.replaced)));
    }
  }
  // a misspelled name: in __init__ an unknown-layer problem, inside forward Python's AttributeError with the suggestion as its fix
  if (r.code === "unknown-layer" || r.code === "unknown-name" || (r.fix && !r.fix.arg)) {
    const name = suggestedName(r);
    const wrong = misspelledName(r);
    const rename = name && wrong ? renameEditAt(text, offset, wrong, name) : null;
    const edit = rename && workspaceEdit(view, rename);
    if (rename && edit) out.push(action(vscode.l10n.t("Change to {0}", text.slice(Math.min(offset, rename.from), rename.from) + rename.insert), edit, d, true));
  }
  return out;
}

/** Models whose input is unknown or symbolic (a concrete pragma lets hints show real numbers). */
function needsInput(m: ModelAnalysis): boolean {
  if (m.report.error && m.report.params === null) return false;
  const input = m.report.input;
  return !input || input.some((s) => s.some((d) => typeof d !== "number"));
}

function pragmaActions(view: DocumentView, range: vscode.Range): vscode.CodeAction[] {
  const { document, analysis, lines } = view;
  const out: vscode.CodeAction[] = [];
  // 1-based program lines of the range
  const first = view.programLine(range.start.line);
  const last = view.programLine(range.end.line);
  for (const m of analysis.models) {
    const line = m.report.line;
    const onModel = first <= line && line <= last;
    const onPragmaAbove = first === line - 1 && /#\s*shape-lens:/.test(lines[Math.max(line - 2, 0)] ?? "");
    if ((!onModel && !onPragmaAbove) || !needsInput(m)) continue;
    const shapes = [suggestInputShape(m.report, m.root)];
    const e = pragmaEdit(lines, line, shapes);
    // the pragma's line in this document (a notebook: the model's cell, where the line above the class may be another cell's)
    const at = view.documentLine(e.line + 1);
    if (at === undefined) continue;
    const we = new vscode.WorkspaceEdit();
    if (e.kind === "insert") we.insert(document.uri, new vscode.Position(at, 0), e.text.replace(/\n$/, document.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n"));
    else we.replace(document.uri, new vscode.Range(at, e.from, at, e.to), e.text);
    const title = e.kind === "insert" ? vscode.l10n.t("Add the input shape of {0}: {1}", m.report.name, pragmaText(shapes)) : vscode.l10n.t("Update the input shape of {0}: {1}", m.report.name, pragmaText(shapes));
    out.push(action(title, we));
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
    const view = this.cache.view(document);
    if (!view || token.isCancellationRequested) return [];
    const actions: vscode.CodeAction[] = [];
    try {
      for (const d of context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const r = reportDiagnostic(view, d);
        if (r) actions.push(...fixesFor(view, r, d));
      }
      actions.push(...pragmaActions(view, range));
    } catch (e) {
      this.log.appendLine(`quick fixes failed for ${document.uri.fsPath}: ${(e as Error).stack ?? e}`);
    }
    return actions;
  }
}

export function register(cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ language: "python" }, new QuickFixProvider(cache, log), QuickFixProvider.metadata);
}
