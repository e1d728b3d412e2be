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

  constructor(private readonly cache: AnalysisCache) {
    this.subscriptions.push(
      cache.onDidChange(() => this.emitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("shapeLens.network.codeLens")) this.emitter.fire();
      }),
    );
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
