// The analyser of the web extension. The browser's extension host runs one script per extension
// (no require() of a second file, no importScripts), so `esbuild.engine.mjs` builds the web
// extension as the editor features (dist/web/extension.js) plus the analyser (dist/web/engine.js,
// src/python, src/core and lezer), and `web.ts` has this module read the analyser from the
// extension's own location and evaluate it before the features start, the way VS Code evaluates an
// extension's main file there. The features reach the analyser's modules through `engineExports`.
import * as vscode from "vscode";

/** The analyser's file, relative to the extension's root. */
export const WEB_ENGINE_FILE = "dist/web/engine.js";

/** Set by esbuild when the web extension is built as two files (`--watch` builds one, with the analyser inside). */
declare const __SHAPE_LENS_SPLIT_ENGINE__: boolean | undefined;

let engine: Record<string, unknown> | undefined;

/** The analyser's exports: one object per module the features import, under the key the build gave it. */
export function engineExports(): Record<string, unknown> {
  if (!engine) throw new Error(`Shape Lens: the analyser (${WEB_ENGINE_FILE}) is not loaded`);
  return engine;
}

/** Whether this bundle needs `loadEngine` (false when the analyser is bundled in). */
export function engineIsSeparate(): boolean {
  return typeof __SHAPE_LENS_SPLIT_ENGINE__ === "boolean" && __SHAPE_LENS_SPLIT_ENGINE__;
}

/** Reads and evaluates the analyser once (later calls return at once); says where from and how long it took. */
export async function loadEngine(extensionUri: vscode.Uri): Promise<string | undefined> {
  if (engine || !engineIsSeparate()) return undefined;
  const started = performance.now();
  const uri = vscode.Uri.joinPath(extensionUri, WEB_ENGINE_FILE);
  const source = await readText(uri);
  // a CommonJS module, as esbuild writes it; sourceURL names it in stack traces and the debugger
  const module: { exports: Record<string, unknown> } = { exports: {} };
  const run = new Function("module", "exports", `${source}\n//# sourceURL=${uri.toString(true)}`) as (m: typeof module, e: unknown) => void;
  run(module, module.exports);
  engine = module.exports;
  return `analyser loaded from ${uri.toString(true)} in ${Math.round(performance.now() - started)} ms`;
}

/**
 * The file's text: through VS Code's file system (the extension's location on a remote, in a
 * virtual file system, on disk), or with fetch where the location is a web address VS Code loads
 * extensions from (vscode.dev's extension CDN).
 */
async function readText(uri: vscode.Uri): Promise<string> {
  const web = uri.scheme === "http" || uri.scheme === "https";
  if (!web) {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      throw new Error(`cannot read ${uri.toString(true)}: ${(e as Error).message ?? e}`);
    }
  }
  const response = await fetch(uri.toString(true));
  if (!response.ok) throw new Error(`cannot fetch ${uri.toString(true)}: HTTP ${response.status}`);
  return response.text();
}
