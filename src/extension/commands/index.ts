// Registers every command of the commands/ folder (one file per command) into the extension's subscriptions.
import type * as vscode from "vscode";
import type { AnalysisCache } from "../analysisCache";
import * as convCalculator from "./convCalculator";
import * as copyCsv from "./copyCsv";
import * as copyJson from "./copyJson";
import * as copyMarkdown from "./copyMarkdown";
import * as insertTrainingLoop from "./insertTrainingLoop";
import * as revealLayer from "./revealLayer";
import * as setInputShape from "./setInputShape";
import * as showSummary from "./showSummary";
import * as toggleFlopsMacs from "./toggleFlopsMacs";
import * as toggleInlayHints from "./toggleInlayHints";

export function registerCommands(context: vscode.ExtensionContext, cache: AnalysisCache, log: vscode.OutputChannel): void {
  context.subscriptions.push(
    showSummary.register(cache, log),
    copyMarkdown.register(cache, log),
    copyCsv.register(cache, log),
    copyJson.register(cache, log),
    setInputShape.register(cache, log),
    convCalculator.register(log),
    insertTrainingLoop.register(log),
    toggleInlayHints.register(log),
    toggleFlopsMacs.register(log),
    revealLayer.register(),
  );
}
