// "Shape Lens: Toggle FLOPs / MACs": flips shapeLens.useMacs (the tree, hints and summaries follow the setting).
import * as vscode from "vscode";
import { Command } from "../commandIds";
import { flipSetting } from "./flipSetting";

export function register(log: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Command.ToggleFlopsMacs, async (): Promise<boolean> => {
    const macs = await flipSetting("useMacs", false, vscode.window.activeTextEditor?.document);
    log.appendLine(`showing ${macs ? "MACs" : "FLOPs"}`);
    vscode.window.setStatusBarMessage(vscode.l10n.t("Shape Lens: showing {0}", macs ? "MACs" : "FLOPs"), 3000);
    return macs;
  });
}
