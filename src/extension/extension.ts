// Extension entry point: creates the output channel and the analysis cache, then registers each feature (one per file).
import * as vscode from "vscode";
import { AnalysisCache } from "./analysisCache";
import { Command } from "./commandIds";
import * as diagnostics from "./diagnostics";
import * as hover from "./hover";
import { registerCommands } from "./commands";
import * as inlayHints from "./inlayHints";
import { registerTree } from "./modelTree";
import * as networkView from "./networkView";
import * as quickFixes from "./quickFixes";
import * as statusBar from "./statusBar";
import type { StatusView } from "./statusBar";

/** What activate() returns: a small API for the integration tests. */
export interface ShapeLensApi {
  readonly cache: AnalysisCache;
  readonly log: vscode.OutputChannel;
  /** What the status bar item shows now. */
  statusBar(): StatusView;
}

export function activate(context: vscode.ExtensionContext): ShapeLensApi {
  const log = vscode.window.createOutputChannel("Shape Lens");
  context.subscriptions.push(log);
  try {
    const cache = new AnalysisCache(log);
    context.subscriptions.push(cache);
    const status = statusBar.register(cache);
    context.subscriptions.push(
      status,
      vscode.commands.registerCommand(Command.Ping, () => "pong"),
      inlayHints.register(cache),
      hover.register(cache),
      diagnostics.register(cache, log),
      quickFixes.register(cache, log),
    );
    context.subscriptions.push(registerTree(context, cache, log));
    registerCommands(context, cache, log);
    context.subscriptions.push(networkView.register(context, cache, log));
    log.appendLine(`Shape Lens ${context.extension.packageJSON.version ?? ""} activated`);
    return { cache, log, statusBar: () => status.view() };
  } catch (e) {
    log.appendLine(`activation failed: ${(e as Error).stack ?? e}`);
    void vscode.window.showErrorMessage(`Shape Lens could not start: ${(e as Error).message ?? e}`);
    throw e;
  }
}

export function deactivate(): void {}
