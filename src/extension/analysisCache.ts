// One analysis per document version, shared by every feature (hints, hover, diagnostics, tree, status bar).
import * as vscode from "vscode";
import { analyzeSource, type Analysis } from "../python/analyze";
import { readConfig } from "./config";

export class AnalysisCache implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; key: string; analysis: Analysis }>();
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
    if (!isModelDocument(document)) return undefined;
    const uri = document.uri.toString();
    const cfg = readConfig(document);
    const key = JSON.stringify(cfg.defaultInputShape ?? null);
    const hit = this.cache.get(uri);
    if (hit && hit.version === document.version && hit.key === key) return hit.analysis;
    const started = Date.now();
    let analysis: Analysis;
    try {
      analysis = analyzeSource(document.getText(), {
        defaultInput: cfg.defaultInputShape ? [cfg.defaultInputShape] : undefined,
        symbolic: true,
      });
    } catch (e) {
      // a bug in the analysis, never the user's code: log it and show nothing rather than crash the host
      this.log.appendLine(`analysis failed for ${document.uri.fsPath}: ${(e as Error).stack ?? e}`);
      return undefined;
    }
    this.log.appendLine(`analysed ${document.uri.fsPath} v${document.version} in ${Date.now() - started} ms`);
    this.cache.set(uri, { version: document.version, key, analysis });
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
  if (document.languageId !== "python") return false;
  const text = document.getText();
  return /\b(import\s+torch|from\s+torch\b)/.test(text);
}
