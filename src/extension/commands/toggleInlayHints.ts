// "Shape Lens: Toggle Inlay Hints": flips shapeLens.inlayHints.enabled.
import * as vscode from "vscode";
import { Command } from "../commandIds";
import { flipSetting } from "./flipSetting";

export function register(log: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Command.ToggleInlayHints, async (): Promise<boolean> => {
    const on = await flipSetting("inlayHints.enabled", true, vscode.window.activeTextEditor?.document);
    log.appendLine(`inlay hints ${on ? "on" : "off"}`);
    vscode.window.setStatusBarMessage(on ? vscode.l10n.t("Shape Lens: inlay hints on") : vscode.l10n.t("Shape Lens: inlay hints off"), 3000);
    return on;
  });
}
