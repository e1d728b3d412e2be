// "shapeLens.revealLayer": opens a document at a layer's constructor call (tree rows, summary links).
import * as vscode from "vscode";
import { Command } from "../commandIds";

/** Where to go: document offsets of the call (preferred) or a 1-based line. */
export interface RevealArgs {
  readonly uri: string | vscode.Uri;
  readonly from?: number | null;
  readonly to?: number | null;
  readonly line?: number | null;
}

export function revealRange(document: vscode.TextDocument, args: RevealArgs): vscode.Range | undefined {
  if (typeof args.from === "number") {
    const start = document.positionAt(args.from);
    return new vscode.Range(start, typeof args.to === "number" ? document.positionAt(args.to) : start);
  }
  if (typeof args.line === "number" && args.line >= 1 && args.line <= document.lineCount) {
    const line = document.lineAt(args.line - 1);
    return new vscode.Range(line.range.start.translate(0, line.firstNonWhitespaceCharacterIndex), line.range.end);
  }
  return undefined;
}

export function register(): vscode.Disposable {
  return vscode.commands.registerCommand(Command.RevealLayer, async (args?: RevealArgs): Promise<vscode.Range | undefined> => {
    if (!args?.uri) return undefined;
    const uri = typeof args.uri === "string" ? vscode.Uri.parse(args.uri) : args.uri;
    const document = await vscode.workspace.openTextDocument(uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn, preserveFocus: false });
    const range = revealRange(document, args);
    if (!range) return undefined;
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return range;
  });
}
