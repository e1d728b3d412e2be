// One analysis per document version, shared by every feature (hints, hover, diagnostics, tree, status bar).
import * as vscode from "vscode";
import type { Analysis } from "../python/analyze";
import { AnalysisSession } from "../python/session";
import { readConfig } from "./config";

export class AnalysisCache implements vscode.Disposable {
  /** Per document: its incremental session (re-runs only what an edit reaches) and the analysis of its last version. */
  private readonly cache = new Map<string, { version: number; key: string; session: AnalysisSession; analysis: Analysis | undefined }>();
  private readonly emitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires (debounced) after a Python document changed and was re-analysed. */
  readonly onDidChange = this.emitter.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.OutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("shapeLens")) {
          this.cache.clear();
          for (const d of vscode.workspace.textDocuments) if (isModelDocument(d)) this.emitter.fire(d);
        }
      }),
    );
  }

  /** The analysis of the document as it is now (computed at most once per version and settings). */
  get(document: vscode.TextDocument): Analysis | undefined {
    if (document.languageId !== "python") return undefined;
    const uri = document.uri.toString();
    const cfg = readConfig(document);
    const key = JSON.stringify(cfg.defaultInputShape ?? null);
    const hit = this.cache.get(uri);
    if (hit && hit.version === document.version && hit.key === key) return hit.analysis;
    const text = document.getText();
    if (!importsTorch(text)) return undefined;
    const entry =
      hit && hit.key === key
        ? hit
        : { version: -1, key, analysis: undefined, session: new AnalysisSession({ defaultInput: cfg.defaultInputShape ? [cfg.defaultInputShape] : undefined, symbolic: true }) };
    const started = Date.now();
    let analysis: Analysis;
    try {
      analysis = entry.session.analyze(text);
    } catch (e) {
      // a bug in the analysis, never the user's code: log it and show nothing rather than crash the host
      this.log.appendLine(`analysis failed for ${document.uri.fsPath}: ${(e as Error).stack ?? e}`);
      this.cache.delete(uri); // the session may be half-updated: the next version starts afresh
      return undefined;
    }
    const s = entry.session.stats;
    this.log.appendLine(
      `analysed ${document.uri.fsPath} v${document.version} in ${Date.now() - started} ms (statements run ${s.statementsRun}, reused ${s.statementsReused}; models analysed ${s.modelsRun}, reused ${s.modelsReused})`,
    );
    this.cache.set(uri, { ...entry, version: document.version, analysis });
    return analysis;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isModelDocument(document)) return;
    const uri = document.uri.toString();
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.emitter.fire(document);
      }, readConfig(document).debounceMs),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Python files that import torch (documents without a torch import cost nothing). */
export function isModelDocument(document: vscode.TextDocument): boolean {
  return document.languageId === "python" && importsTorch(document.getText());
}

function importsTorch(text: string): boolean {
  return /\b(import\s+torch|from\s+torch\b)/.test(text);
}
