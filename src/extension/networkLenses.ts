// "Show network picture" code lenses above each model's class (or assignment) line.
import * as vscode from "vscode";
import type { AnalysisCache } from "./analysisCache";
import { Command } from "./commandIds";
import { readConfig } from "./config";

/** "Show network picture" above each model's class (or assignment) line. */
export class NetworkLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [this.emitter];

  /** Where each document's lenses are (models and their offsets): a new analysis that moves none of them changes no lens. */
  private readonly placed = new Map<string, string>();

  constructor(private readonly cache: AnalysisCache) {
    this.subscriptions.push(
      cache.onDidChange((doc) => {
        // asking VS Code for new lenses drops the commands of the ones on screen: a click landing then is lost
        const key = doc.uri.toString();
        const placed = this.placement(doc);
        if (this.placed.get(key) === placed) return;
        this.placed.set(key, placed);
        this.emitter.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.placed.delete(doc.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("shapeLens.network.codeLens")) this.emitter.fire();
      }),
    );
  }

  private placement(document: vscode.TextDocument): string {
    const view = this.cache.view(document);
    return view ? view.analysis.models.map((m) => `${m.report.name}@${m.report.line}:${m.root !== null ? m.from : "-"}`).join(",") : "";
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readConfig(document).networkCodeLens) return [];
    const docView = this.cache.view(document);
    if (!docView) return [];
    return docView.analysis.models.flatMap((m) => {
      // models that were built, on this document (a notebook cell shows its own models)
      const start = m.root !== null ? docView.positionAt(m.from) : undefined;
      if (!start) return [];
      return [
        new vscode.CodeLens(new vscode.Range(start, start), {
          title: vscode.l10n.t("Show network picture"),
          tooltip: vscode.l10n.t("Draw {0}'s layers and where its parameters and FLOPs go", m.report.name),
          command: Command.ShowNetwork,
          arguments: [{ uri: document.uri, model: m.report.name, line: m.report.line }],
        }),
      ];
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
