// "Shape Lens: Copy Summary as Markdown": the model's layer table on the clipboard.
import type * as vscode from "vscode";
import type { AnalysisCache } from "../analysisCache";
import { Command } from "../commandIds";
import { registerCopy } from "./copySummary";

export function register(cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  return registerCopy(Command.CopyMarkdown, "Markdown", cache, log);
}
