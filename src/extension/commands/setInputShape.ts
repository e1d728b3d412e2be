// "Shape Lens: Set Input Shape…": asks for a shape and writes the `# shape-lens: input=(...)` pragma above the model.
import * as vscode from "vscode";
import type { AnalysisCache } from "../analysisCache";
import { Command } from "../commandIds";
import { parseShapeInput, pragmaEdit, shapesText, type ShapeDims } from "../inputShape";
import { resolveModel } from "./target";

/** Arguments tests and other callers may pass: the model, and the shape text that skips the input box. */
export interface SetInputShapeArgs {
  readonly uri?: vscode.Uri | string;
  readonly model?: string;
  readonly line?: number;
  readonly shape?: string;
}

async function askShape(model: string, current: string | undefined): Promise<ShapeDims[] | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t("Shape Lens: input shape of {0}", model),
    prompt: vscode.l10n.t("The shape of the tensor passed to forward (batch first). Several inputs: (1, 3, 32, 32), (1, 10). Named dims are symbolic: (N, 3, H, W)."),
    value: current ?? "(1, 3, 224, 224)",
    placeHolder: "(1, 3, 224, 224)",
    validateInput: (v) => parseShapeInput(v).error,
  });
  if (text === undefined) return undefined;
  return parseShapeInput(text).shapes;
}

export function register(cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(Command.SetInputShape, async (arg?: unknown) => {
    const resolved = await resolveModel(arg, cache, vscode.l10n.t("set an input shape"));
    if (!resolved) return undefined;
    const { document, model, view } = resolved;
    const given = arg && typeof arg === "object" && "shape" in arg ? (arg as SetInputShapeArgs).shape : undefined;
    let shapes: ShapeDims[] | undefined;
    if (given !== undefined) {
      const parsed = parseShapeInput(given);
      if (parsed.error !== undefined) {
        void vscode.window.showErrorMessage(vscode.l10n.t("Shape Lens: {0}", parsed.error));
        return undefined;
      }
      shapes = parsed.shapes;
    } else {
      const input = model.report.input;
      shapes = await askShape(model.report.name, input && input.length > 0 ? shapesText(input) : undefined);
    }
    if (!shapes) return undefined;
    // program lines: in a notebook the model's cell is part of one program (its line numbers count every cell)
    const e = pragmaEdit(view.lines, model.report.line, shapes);
    const line = view.documentLine(e.line + 1);
    const edit = new vscode.WorkspaceEdit();
    if (line === undefined) {
      // a pragma at the end of the previous notebook cell: rewriting it there is not this document's edit
    } else if (e.kind === "insert") edit.insert(document.uri, new vscode.Position(line, 0), e.text);
    else edit.replace(document.uri, new vscode.Range(line, e.from, line, e.to), e.text);
    if (line === undefined || !(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(vscode.l10n.t("Shape Lens: could not edit {0}.", document.uri.toString(true)));
      return undefined;
    }
    log.appendLine(`input shape of ${model.report.name}: ${shapesText(shapes)}`);
    return e.text.trim();
  });
}
