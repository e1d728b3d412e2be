// Flips a boolean setting where it is set (folder, workspace or user), for the toggle commands.
import * as vscode from "vscode";

/** Flips `shapeLens.<key>` and resolves to the new value. */
export async function flipSetting(key: string, fallback: boolean, scope?: vscode.ConfigurationScope): Promise<boolean> {
  const config = vscode.workspace.getConfiguration("shapeLens", scope);
  const value = !config.get<boolean>(key, fallback);
  const where = config.inspect<boolean>(key);
  const target =
    where?.workspaceFolderValue !== undefined && scope
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : where?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
  return value;
}
