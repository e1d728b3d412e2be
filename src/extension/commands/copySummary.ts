// Shared by the three "Copy Summary as …" commands: resolve the model, render it, put it on the clipboard.
import * as vscode from "vscode";
import type { AnalysisCache } from "../analysisCache";
import type { Command } from "../commandIds";
import { readConfig } from "../config";
import { summaryCsv, summaryJson, summaryMarkdown } from "../summaryFormat";
import { fileName, resolveModel, type ResolvedModel } from "./target";

export type CopyFormat = "Markdown" | "CSV" | "JSON";

export function renderCopy(resolved: ResolvedModel, format: CopyFormat): string {
  const m = resolved.model.report;
  if (format === "CSV") return summaryCsv(m);
  if (format === "JSON") return summaryJson(m);
  return summaryMarkdown(m, { file: fileName(resolved.document), macs: readConfig(resolved.document).useMacs });
}

/** Registers one copy command; it resolves to the copied text (undefined when nothing was copied). */
export function registerCopy(command: Command, format: CopyFormat, cache: AnalysisCache, log: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(command, async (arg?: unknown) => {
    const resolved = await resolveModel(arg, cache, vscode.l10n.t("copy a summary as {0}", format));
    if (!resolved) return undefined;
    const text = renderCopy(resolved, format);
    await vscode.env.clipboard.writeText(text);
    log.appendLine(`copied ${resolved.model.report.name} as ${format} (${text.length} characters)`);
    vscode.window.setStatusBarMessage(vscode.l10n.t("Shape Lens: copied {0} as {1}", resolved.model.report.name, format), 3000);
    return text;
  });
}
