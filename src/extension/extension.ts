// Extension entry point: registers each feature; the features live one per file beside this one.
import * as vscode from "vscode";

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand("shapeLens.ping", () => "pong"));
}

export function deactivate(): void {}
