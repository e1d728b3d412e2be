// Extension entry point: creates the output channel and the analysis cache, then registers each feature (one per file).
import * as vscode from "vscode";
import { AnalysisCache } from "./analysisCache";
import { Command } from "./commandIds";
import * as diagnostics from "./diagnostics";
import * as hover from "./hover";
import { registerCommands } from "./commands";
import * as inlayHints from "./inlayHints";
import { setTranslator } from "./l10n";
import { registerTree } from "./modelTree";
import * as networkView from "./networkView";
import * as quickFixes from "./quickFixes";
import * as statusBar from "./statusBar";
import type { StatusView } from "./statusBar";

/** When the bundle started running (performance.now(), set by a line esbuild puts first in the bundle). */
declare const __shapeLensLoadStart: number | undefined;
/** Its modules have run (this module's body runs last). */
const loadedAt = performance.now();

/** What activate() returns: a small API for the integration tests. */
export interface ShapeLensApi {
  /** Milliseconds spent running the bundle's module code (null when not bundled) and in activate(), for `npm run bench`. */
  readonly activation: { readonly loadMs: number | null; readonly activateMs: number };
  readonly cache: AnalysisCache;
  readonly log: vscode.OutputChannel;
  /** What the status bar item shows now. */
  statusBar(): StatusView;
}

export function activate(context: vscode.ExtensionContext): ShapeLensApi {
  const started = performance.now();
  const loadMs = typeof __shapeLensLoadStart === "number" ? loadedAt - __shapeLensLoadStart : null;
  const log = vscode.window.createOutputChannel("Shape Lens");
  context.subscriptions.push(log);
  // hover, hint and tree texts are built in vscode-free modules: they translate through vscode.l10n too
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  try {
    const cache = new AnalysisCache(log);
    context.subscriptions.push(cache);
    const status = statusBar.register(cache);
    context.subscriptions.push(
      status,
      vscode.commands.registerCommand(Command.Ping, () => "pong"),
      vscode.commands.registerCommand(Command.Host, () => extensionHostKind()),
      inlayHints.register(cache),
      hover.register(cache),
      diagnostics.register(cache, log),
      quickFixes.register(cache, log),
    );
    context.subscriptions.push(registerTree(context, cache, log));
    registerCommands(context, cache, log);
    context.subscriptions.push(networkView.register(context, cache, log));
    log.appendLine(`Shape Lens ${context.extension.packageJSON.version ?? ""} activated`);
    return { cache, log, statusBar: () => status.view(), activation: { loadMs, activateMs: performance.now() - started } };
  } catch (e) {
    log.appendLine(`activation failed: ${(e as Error).stack ?? e}`);
    void vscode.window.showErrorMessage(vscode.l10n.t("Shape Lens could not start: {0}", String((e as Error).message ?? e)));
    throw e;
  }
}

export function deactivate(): void {}

/** Which extension host runs this bundle: the browser's web worker (vscode.dev, github.dev) or Node. */
function extensionHostKind(): "webworker" | "node" {
  return typeof (globalThis as { importScripts?: unknown }).importScripts === "function" ? "webworker" : "node";
}
