// Status bar item: the totals of the model under the cursor; a click opens the model summary.
import * as vscode from "vscode";
import type { AnalysisCache } from "./analysisCache";
import { Command } from "./commandIds";
import { displayOptions, readConfig } from "./config";
import { inputsText, modelLabel, statusText } from "./hintText";
import { modelAtOffset } from "./sites";

/** What the item shows (for the integration tests: VS Code has no API to read the status bar). */
export interface StatusView {
  readonly visible: boolean;
  readonly text: string;
  readonly command?: vscode.Command;
}

export function register(cache: AnalysisCache): vscode.Disposable & { view(): StatusView } {
  const item = vscode.window.createStatusBarItem("shapeLens.model", vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t("Shape Lens: model under the cursor");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let visible = false;
  const hide = (): void => {
    visible = false;
    item.hide();
  };

  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (!editor || !document || document.languageId !== "python" || !readConfig(document).statusBarEnabled) return hide();
    const view = cache.view(document);
    const model = view ? modelAtOffset(view.analysis, view.text, view.offsetAt(editor.selection.active)) : undefined;
    if (!model) return hide();
    const opts = displayOptions(readConfig(document));
    item.text = `$(symbol-class) ${statusText(model.report, opts)}`;
    const details = modelLabel(model.report, { ...opts, maxLength: 0 }) ?? vscode.l10n.t("input {0}", inputsText(model.report.input));
    item.tooltip = `${model.report.name}: ${details}\n${vscode.l10n.t("Click for the model summary")}`;
    item.command = { title: vscode.l10n.t("Show Model Summary"), command: Command.ShowSummary, arguments: [{ uri: document.uri, model: model.report.name, line: model.report.line }] };
    item.show();
    visible = true;
  };
  // cursor moves come in bursts (and with every keystroke): update once they settle
  const later = (ms = readConfig(vscode.window.activeTextEditor?.document).debounceMs): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, ms);
  };

  later(0); // after activation returns: no analysis in activate
  const disposable = vscode.Disposable.from(
    item,
    { dispose: () => timer && clearTimeout(timer) },
    vscode.window.onDidChangeActiveTextEditor(() => later(0)),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor === vscode.window.activeTextEditor) later();
    }),
    cache.onDidChange((d) => {
      if (d === vscode.window.activeTextEditor?.document) later(0);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("shapeLens")) later(0);
    }),
  );
  return Object.assign(disposable, { view: (): StatusView => ({ visible, text: item.text, command: item.command as vscode.Command | undefined }) });
}
