// "Shape Lens: Insert Training Loop": a complete PyTorch train/eval loop as a snippet with tab stops, at the cursor.
import * as vscode from "vscode";
import { Command } from "../commandIds";
import { TRAINING_LOOP_SNIPPET } from "../trainingLoop";

export function register(log: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Command.InsertTrainingLoop, async (): Promise<boolean> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t("Shape Lens: open a Python file to insert a training loop."));
      return false;
    }
    const inserted = await editor.insertSnippet(new vscode.SnippetString(TRAINING_LOOP_SNIPPET), editor.selection);
    log.appendLine(`training loop ${inserted ? "inserted" : "not inserted"} in ${editor.document.uri.toString(true)}`);
    return inserted;
  });
}
