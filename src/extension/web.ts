// Entry point of the web extension (dist/web/extension.js: vscode.dev, github.dev, code-server's browser host):
// loads the analyser (webEngine.ts), then starts the same features as the Node extension.
import * as vscode from "vscode";
import { activate as activateFeatures, deactivate, type ShapeLensApi } from "./extension";
import { loadEngine } from "./webEngine";

export async function activate(context: vscode.ExtensionContext): Promise<ShapeLensApi> {
  let loaded: string | undefined;
  try {
    loaded = await loadEngine(context.extensionUri);
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t("Shape Lens could not start: {0}", String((e as Error).message ?? e)));
    throw e;
  }
  const api = activateFeatures(context);
  if (loaded) api.log.appendLine(loaded);
  return api;
}

export { deactivate };
