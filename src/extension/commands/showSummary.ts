// "Shape Lens: Show Model Summary": a torchinfo-style table in a read-only virtual document that follows the source's edits.
import * as vscode from "vscode";
import type { ModelAnalysis } from "../../python/analyze";
import type { AnalysisCache } from "../analysisCache";
import { Command } from "../commandIds";
import { readConfig } from "../config";
import { moduleAtPath } from "../layerTree";
import { summaryLineLinks, summaryTable, type GroupInfo } from "../summaryFormat";
import { findModel, modelDiagnostics, resolveModel, baseName, type ResolvedModel } from "./target";

export const SUMMARY_SCHEME = "shape-lens-summary";
export const SUMMARY_LANGUAGE = "shape-lens-summary";

/** shape-lens-summary:/Network (head_tail.py)?source=<uri>&model=Network&line=6 */
export function summaryUri(source: vscode.Uri, model: string, line: number): vscode.Uri {
  const query = new URLSearchParams({ source: source.toString(), model, line: String(line) }).toString();
  return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${model} (${baseName(source)})`, query });
}

function parseSummaryUri(uri: vscode.Uri): { source: vscode.Uri; model: string; line: number } | undefined {
  const q = new URLSearchParams(uri.query);
  const source = q.get("source");
  const model = q.get("model");
  if (!source || !model) return undefined;
  return { source: vscode.Uri.parse(source), model, line: Number(q.get("line") ?? "0") };
}

/** Container type and line for the summary's group rows, from the analysed module tree. */
export function groupInfoOf(model: ModelAnalysis): GroupInfo {
  return (p) => {
    const m = moduleAtPath(model.root, p);
    return m && { type: m.cls.name, line: m.line };
  };
}

/** The summary text of a resolved model (what the document shows). */
export function summaryText(resolved: ResolvedModel): string {
  const cfg = readConfig(resolved.document);
  return summaryTable(resolved.model.report, {
    file: baseName(resolved.document.uri),
    macs: cfg.useMacs,
    groupInfo: groupInfoOf(resolved.model),
    scopes: resolved.model.entries.map((e) => e.scope),
    diagnostics: modelDiagnostics(resolved),
  });
}

class SummaryProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [this.emitter];

  constructor(private readonly cache: AnalysisCache) {
    this.subscriptions.push(
      cache.onDidChange((doc) => this.refreshFor(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("shapeLens")) this.refreshFor();
      }),
    );
  }

  /** Re-renders the open summaries of `source` (all of them without it). */
  private refreshFor(source?: vscode.Uri): void {
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme !== SUMMARY_SCHEME) continue;
      const parsed = parseSummaryUri(d.uri);
      if (parsed && (!source || parsed.source.toString() === source.toString())) this.emitter.fire(d.uri);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const parsed = parseSummaryUri(uri);
    if (!parsed) return vscode.l10n.t("Not a Shape Lens summary.") + "\n";
    let document: vscode.TextDocument;
    try {
      document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === parsed.source.toString()) ?? (await vscode.workspace.openTextDocument(parsed.source));
    } catch {
      return vscode.l10n.t("{0}: cannot open {1}.", parsed.model, parsed.source.toString(true)) + "\n";
    }
    const view = this.cache.view(document);
    const model = view && findModel(view.analysis, parsed.model, parsed.line);
    if (!view || !model) return vscode.l10n.t("{0} is no longer a model in {1}.", parsed.model, baseName(document.uri)) + "\n";
    return summaryText({ document, analysis: view.analysis, model, view });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Line numbers in a summary (title, Line column, problems) link to that line of the model's source. */
class SummaryLinks implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const parsed = parseSummaryUri(document.uri);
    // a notebook's summary counts lines in the joined program, which no single cell URI can point at
    if (!parsed || parsed.source.scheme === "vscode-notebook-cell") return [];
    return summaryLineLinks(document.getText()).map((l) => {
      const link = new vscode.DocumentLink(new vscode.Range(l.line, l.start, l.line, l.end), parsed.source.with({ fragment: `L${l.target}` }));
      link.tooltip = vscode.l10n.t("Go to line {0}", l.target);
      return link;
    });
  }
}

/** Summaries being opened by openSummary (which sets their language itself). */
const opening = new Set<string>();

/** Opens (or re-shows) the summary document of a model; returns its uri. */
export async function openSummary(resolved: ResolvedModel): Promise<vscode.Uri> {
  const uri = summaryUri(resolved.document.uri, resolved.model.report.name, resolved.model.report.line);
  opening.add(uri.toString());
  try {
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== SUMMARY_LANGUAGE) doc = await vscode.languages.setTextDocumentLanguage(doc, SUMMARY_LANGUAGE);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  } finally {
    opening.delete(uri.toString());
  }
  return uri;
}

export function register(cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  const provider = new SummaryProvider(cache);
  return vscode.Disposable.from(
    provider,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, provider),
    vscode.languages.registerDocumentLinkProvider({ scheme: SUMMARY_SCHEME }, new SummaryLinks()),
    // summaries restored with the window come back as plain text: give them their language again
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.uri.scheme === SUMMARY_SCHEME && d.languageId !== SUMMARY_LANGUAGE && !opening.has(d.uri.toString())) void vscode.languages.setTextDocumentLanguage(d, SUMMARY_LANGUAGE);
    }),
    vscode.commands.registerCommand(Command.ShowSummary, async (arg?: unknown) => {
      const resolved = await resolveModel(arg, cache, vscode.l10n.t("show a model summary"));
      if (!resolved) return undefined;
      log.appendLine(`summary of ${resolved.model.report.name} (${resolved.document.uri.toString(true)})`);
      return openSummary(resolved);
    }),
  );
}
