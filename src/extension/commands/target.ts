// Which model a command acts on: the one passed (tree row, test), the one at the cursor, the only one, or the user's pick.
import * as vscode from "vscode";
import type { Analysis, ModelAnalysis } from "../../python/analyze";
import type { Diagnostic } from "../../python/report";
import type { AnalysisCache } from "../analysisCache";
import { pythonCells, type DocumentView } from "../documentView";
import { modelIndexAt, modelIndexBefore, modelStatementRanges } from "../modelAt";
import { inputText, shapeText } from "../summaryFormat";

/** What callers may pass: a tree row, `{ uri, model }` (tests), or the Uri VS Code passes from editor menus. */
export interface ModelTarget {
  readonly uri?: vscode.Uri | string;
  /** Model name (class or variable). */
  readonly model?: string;
  /** 1-based line of the model, to tell apart models with the same name. */
  readonly line?: number;
}

export interface ResolvedModel {
  /** The document that defines the model (a notebook: the model's cell). */
  readonly document: vscode.TextDocument;
  readonly analysis: Analysis;
  readonly model: ModelAnalysis;
  /** The document's view of the analysed program (the same text and offsets for a .py file). */
  readonly view: DocumentView;
}

function toUri(u: vscode.Uri | string): vscode.Uri {
  return typeof u === "string" ? vscode.Uri.parse(u) : u;
}

/** The target's document: the given one, else the active Python editor's. */
export async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (arg && typeof arg === "object" && "uri" in arg && (arg as ModelTarget).uri) uri = toUri((arg as ModelTarget).uri!);
  if (uri) {
    const key = uri.toString();
    // a notebook (tree rows name it): its first Python cell stands for the notebook's program
    const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === key);
    if (notebook) return pythonCells(notebook)[0]?.document;
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key) ?? (await vscode.workspace.openTextDocument(uri));
  }
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document.languageId === "python" ? editor.document : undefined;
}

/** Finds a model by name (and line when several share the name). */
export function findModel(analysis: Analysis, name: string, line?: number): ModelAnalysis | undefined {
  const named = analysis.models.filter((m) => m.report.name === name);
  if (named.length <= 1 || line === undefined) return named[0];
  return named.reduce((best, m) => (Math.abs(m.report.line - line) < Math.abs(best.report.line - line) ? m : best));
}

/**
 * Resolves the model a command acts on. Without a model in `arg`: the model whose class or
 * assignment contains the cursor, else the only model, else a QuickPick. Tells the user why when
 * there is none; returns undefined then (and when the pick is cancelled).
 */
export async function resolveModel(arg: unknown, cache: AnalysisCache, action: string): Promise<ResolvedModel | undefined> {
  const document = await targetDocument(arg);
  if (!document) {
    void vscode.window.showInformationMessage(vscode.l10n.t("Shape Lens: open a Python file with an nn.Module to {0}.", action));
    return undefined;
  }
  const view = cache.view(document);
  const analysis = view?.analysis;
  if (!view || !analysis || analysis.models.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t("Shape Lens: no nn.Module model found in {0}.", fileName(document)));
    return undefined;
  }
  const target = arg && typeof arg === "object" && !(arg instanceof vscode.Uri) ? (arg as ModelTarget) : {};
  if (target.model) {
    const model = findModel(analysis, target.model, target.line);
    if (!model) void vscode.window.showWarningMessage(vscode.l10n.t("Shape Lens: no model named {0} in {1}.", target.model, fileName(document)));
    return model && inModelCell(cache, view, model);
  }
  const spans = analysis.models.map((m) => ({ from: m.from, to: m.to }));
  const editor = vscode.window.activeTextEditor;
  const cursor = editor && editor.document === document ? view.offsetAt(editor.selection.active) : -1;
  if (cursor >= 0) {
    const i = modelIndexAt(view.text, spans, cursor);
    if (i >= 0) return inModelCell(cache, view, analysis.models[i]);
  }
  if (analysis.models.length === 1) return inModelCell(cache, view, analysis.models[0]);
  const preselect = cursor >= 0 ? modelIndexBefore(spans, cursor) : -1;
  const items = analysis.models.map((m, i) => ({
    label: m.report.name,
    description: vscode.l10n.t("line {0}", m.report.line),
    detail: m.report.error ?? `${inputText(m.report.input)} → ${m.report.output === null ? vscode.l10n.t("unknown") : shapeText(m.report.output)}`,
    index: i,
    picked: i === preselect,
  }));
  const picked = await vscode.window.showQuickPick(
    items.sort((a, b) => (a.index === preselect ? -1 : b.index === preselect ? 1 : a.index - b.index)),
    { title: vscode.l10n.t("Shape Lens: {0}", action), placeHolder: vscode.l10n.t("Which model?"), matchOnDescription: true },
  );
  return picked && inModelCell(cache, view, analysis.models[picked.index]);
}

/** The resolved model, in the notebook cell that defines it when the view is a notebook cell's. */
function inModelCell(cache: AnalysisCache, view: DocumentView, model: ModelAnalysis): ResolvedModel {
  const cell = view.notebook && cache.notebook(view.notebook)?.locateLine(model.report.line);
  const cellView = cell && cell.document !== view.document ? cache.view(cell.document) : undefined;
  const v = cellView ?? view;
  return { document: v.document, analysis: v.analysis, model: v.analysis.models[view.analysis.models.indexOf(model)] ?? model, view: v };
}

/** The diagnostics that belong to a model: on lines of its statement or of its layers. */
export function modelDiagnostics(resolved: ResolvedModel): Diagnostic[] {
  const { analysis, model, view } = resolved;
  const i = analysis.models.indexOf(model);
  const text = view.text;
  const range = modelStatementRanges(text, analysis.models)[i];
  const lineOf = (offset: number): number => text.slice(0, offset).split("\n").length;
  const first = lineOf(range.from);
  const last = lineOf(range.to);
  const layerLines = new Set(model.report.layers.map((l) => l.line));
  return analysis.report.diagnostics.filter((d) => d.line !== null && ((d.line >= first && d.line <= last) || layerLines.has(d.line)));
}

/** "head_tail.py" */
export function fileName(document: vscode.TextDocument): string {
  return baseName(document.uri);
}

export function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf("/") + 1);
}
