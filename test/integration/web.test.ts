// The web extension (dist/web/extension.js) in the browser's web worker extension host, as on vscode.dev: hints, hovers,
// diagnostics and notebooks answer. Runs only in `npm run test:web`, which loads the extension with extensionDevelopmentKind=web;
// these tests themselves run in the Node extension host and ask through the public API, which reaches every host.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as vscode from "vscode";
import { fixtureFile, repoRoot, waitFor } from "./helpers";

function labelText(label: string | vscode.InlayHintLabelPart[]): string {
  return typeof label === "string" ? label : label.map((p) => p.value).join("");
}

async function hintLabels(document: vscode.TextDocument): Promise<Map<number, string[]>> {
  const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>("vscode.executeInlayHintProvider", document.uri, new vscode.Range(0, 0, document.lineCount, 0))) ?? [];
  const byLine = new Map<number, string[]>();
  for (const h of hints) byLine.set(h.position.line, [...(byLine.get(h.position.line) ?? []), labelText(h.label)]);
  return byLine;
}

/** The 0-based line of the first line containing `needle`. */
function lineOf(document: vscode.TextDocument, needle: string): number {
  const i = document.getText().split(/\r?\n/).findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} in ${document.uri.path}`);
  return i;
}

if (process.env.SHAPE_LENS_WEB === "1") {
  describe("web extension host", () => {
    before(async () => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(repoRoot, "examples", "seed_networks.py")));
      await vscode.window.showTextDocument(document);
      // the extension activates in another host: its commands answer once it has
      await waitFor(async () => (await vscode.commands.getCommands(true)).includes("shapeLens.internal.host"), "Shape Lens to activate in the web worker", 30_000);
    });

    it("runs the browser bundle in the web worker extension host", async () => {
      assert.equal(await vscode.commands.executeCommand("shapeLens.internal.host"), "webworker");
      // and not in this Node extension host, which sees only its own extensions
      assert.equal(vscode.extensions.getExtension("shape-lens.shape-lens"), undefined);
    });

    it("shows inlay hints", async () => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(repoRoot, "examples", "seed_networks.py")));
      let hints = new Map<number, string[]>();
      await waitFor(async () => (hints = await hintLabels(document)).size > 0, "hints from the web extension");
      assert.deepEqual(hints.get(lineOf(document, "class Network(nn.Module):")), ["input (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs"]);
      assert.deepEqual(hints.get(lineOf(document, "nn.Conv2d(3, 20, 5)")), ["(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5"]);
    });

    it("answers hovers with the formulas", async () => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(repoRoot, "examples", "seed_networks.py")));
      const line = lineOf(document, "nn.Conv2d(3, 20, 5)");
      const position = new vscode.Position(line, document.lineAt(line).text.indexOf("Conv2d") + 2);
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", document.uri, position)) ?? [];
      const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === "string" ? c : c.value)).join("\n");
      assert.match(text, /params = \(3·5·5 \+ 1\)·20 = 1,520/);
      assert.match(text, /FLOPs = multiplies \+ adds/);
    });

    it("reports diagnostics", async () => {
      const document = await vscode.workspace.openTextDocument(fixtureFile("seed/head_tail_broken.py"));
      await vscode.window.showTextDocument(document);
      await waitFor(() => vscode.languages.getDiagnostics(document.uri).some((d) => d.source === "Shape Lens"), "a diagnostic from the web extension");
      const [problem] = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === "Shape Lens");
      assert.equal(problem.code, "channel-mismatch");
    });

    it("annotates notebooks", async () => {
      const notebook = await vscode.workspace.openNotebookDocument(fixtureFile("notebook/seed_notebook.ipynb"));
      await vscode.window.showNotebookDocument(notebook);
      const cell = notebook.cellAt(2).document;
      let hints = new Map<number, string[]>();
      await waitFor(async () => (hints = await hintLabels(cell)).size > 0, "hints in the notebook's class cell");
      assert.deepEqual(hints.get(0), ["input (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs"]);
      assert.equal((await hintLabels(notebook.cellAt(4).document)).size, 0);
    });
  });
}
