// Jupyter notebooks in a real VS Code: the Python cells analysed as one program, hints, hovers, diagnostics, fixes and tree rows in the right cells.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { extensionId, fixtureFile, waitFor } from "./helpers";

interface CellHint {
  readonly cell: number;
  readonly line: number;
  readonly character: number;
  readonly label: string;
}

interface Row {
  readonly label: string;
  readonly description?: string;
  readonly contextValue?: string;
  readonly command?: { readonly command: string; readonly arguments?: unknown[] };
  readonly children: Row[];
}

function labelText(label: string | vscode.InlayHintLabelPart[]): string {
  return typeof label === "string" ? label : label.map((p) => p.value).join("");
}

/** The hints of every cell, with the cell's index. */
async function notebookHints(notebook: vscode.NotebookDocument): Promise<CellHint[]> {
  const out: CellHint[] = [];
  for (const cell of notebook.getCells()) {
    const d = cell.document;
    const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>("vscode.executeInlayHintProvider", d.uri, new vscode.Range(0, 0, d.lineCount, 0))) ?? [];
    for (const h of hints) out.push({ cell: cell.index, line: h.position.line, character: h.position.character, label: labelText(h.label) });
  }
  return out;
}

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", document.uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === "string" ? c : c.value))
    .join("\n---\n");
}

function shapeLensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === "Shape Lens");
}

/** Opens a notebook in the notebook editor and waits until Shape Lens has activated. */
async function showNotebook(notebook: vscode.NotebookDocument): Promise<vscode.NotebookEditor> {
  const editor = await vscode.window.showNotebookDocument(notebook);
  const extension = vscode.extensions.getExtension(extensionId);
  await waitFor(() => extension?.isActive === true, `${extensionId} to activate`);
  return editor;
}

function endOf(document: vscode.TextDocument, line: number, needle: string): vscode.Position {
  const at = document.lineAt(line).text.indexOf(needle);
  assert.ok(at >= 0, `line ${line} of the cell contains ${needle}: ${document.lineAt(line).text}`);
  return new vscode.Position(line, at + needle.length);
}

describe("notebooks", () => {
  let notebook: vscode.NotebookDocument;

  before(async () => {
    notebook = await vscode.workspace.openNotebookDocument(fixtureFile("notebook/seed_notebook.ipynb"));
    await showNotebook(notebook);
  });

  it("opens the .ipynb as a notebook with Python code cells", () => {
    assert.equal(notebook.notebookType, "jupyter-notebook");
    assert.deepEqual(
      notebook.getCells().map((c) => [c.kind === vscode.NotebookCellKind.Code ? "code" : "markdown", c.document.languageId, c.document.uri.scheme]),
      [
        ["code", "python", "vscode-notebook-cell"],
        ["markdown", "markdown", "vscode-notebook-cell"],
        ["code", "python", "vscode-notebook-cell"],
        ["code", "python", "vscode-notebook-cell"],
        ["code", "python", "vscode-notebook-cell"],
      ],
    );
  });

  it("shows the hints of a model called in a later cell in the model's cell, and nowhere else", async () => {
    let hints: CellHint[] = [];
    await waitFor(async () => (hints = await notebookHints(notebook)).length > 0, "notebook hints");
    const cell = notebook.cellAt(2).document;
    // every hint is in cell 2 (the class); the imports (with %matplotlib and !pip), the markdown, the call cells have none
    assert.deepEqual([...new Set(hints.map((h) => h.cell))], [2], JSON.stringify(hints));
    const at = (p: vscode.Position): string | undefined => hints.find((h) => h.line === p.line && h.character === p.character)?.label;
    assert.equal(at(endOf(cell, 0, "class Network(nn.Module):")), "input (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs");
    assert.equal(at(endOf(cell, 4, "nn.Conv2d(3, 20, 5)")), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5");
    assert.equal(at(endOf(cell, 6, "nn.Conv2d(20, 64, 5)")), "(1, 64, 24, 24) · 32.1K params · 36.9M FLOPs · RF 9");
    assert.equal(at(endOf(cell, 12, "nn.Conv2d(32, 3, 5)")), "(1, 3, 16, 16) · 2.4K params · 1.23M FLOPs · RF 17");
    assert.equal(hints.length, 9, JSON.stringify(hints));
  });

  it("hovers a layer and the model in their cell", async () => {
    const cell = notebook.cellAt(2).document;
    const layer = await hoverText(cell, new vscode.Position(4, cell.lineAt(4).text.indexOf("Conv2d") + 2));
    assert.match(layer, /Conv2d\(in_channels=3, out_channels=20, kernel_size=5, stride=1/);
    assert.match(layer, /\(1, 20, 28, 28\)/);
    const model = await hoverText(cell, new vscode.Position(0, 8));
    assert.match(model, /\*\*Network\*\* — model/);
    assert.match(model, /from the call in this file/);
    // the call cell itself has no hover of Shape Lens' (it is not a model or layer site)
    assert.equal(await hoverText(notebook.cellAt(0).document, new vscode.Position(2, 3)), "");
  });

  it("puts problems on the cell that has them, with quick fixes there", async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, "%matplotlib inline\nimport torch\nimport torch.nn as nn", "python"),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, "model = nn.Sequential(\n    nn.Conv2d(3, 20, 5),\n    nn.Conv2d(10, 64, 5),\n)", "python"),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, "y = model(torch.randn(1, 3, 32, 32))", "python"),
    ]);
    const untitled = await vscode.workspace.openNotebookDocument("jupyter-notebook", data);
    await showNotebook(untitled);
    try {
      const [imports, layers, call] = untitled.getCells().map((c) => c.document);
      await waitFor(() => shapeLensDiagnostics(layers.uri).length > 0, "a diagnostic in the layers cell");
      const [problem] = shapeLensDiagnostics(layers.uri);
      assert.equal(problem.range.start.line, 2, problem.message);
      assert.match(problem.message, /expected input\[1, 10, 28, 28\] to have 10 channels|channels/);
      assert.deepEqual(shapeLensDiagnostics(imports.uri), []);
      assert.deepEqual(shapeLensDiagnostics(call.uri), []);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", layers.uri, problem.range)) ?? [];
      const fix = actions.find((a) => a.title.startsWith("Set in_channels=20"));
      assert.ok(fix?.edit, actions.map((a) => a.title).join(", "));
      const edits = fix.edit.entries();
      assert.equal(edits.length, 1);
      assert.equal(edits[0][0].toString(), layers.uri.toString());
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(layers.lineAt(2).text, "    nn.Conv2d(20, 64, 5),");
      await waitFor(() => shapeLensDiagnostics(layers.uri).length === 0, "the problem to go after the fix");
    } finally {
      await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
    }
  });

  it("lists the notebook's models in the tree, revealing rows in their cell", async () => {
    await showNotebook(notebook);
    let root: Row | undefined;
    await waitFor(async () => {
      const rows = (await vscode.commands.executeCommand<Row[]>("shapeLens.internal.treeSnapshot")) ?? [];
      root = rows.find((r) => r.label === "seed_notebook.ipynb");
      return root !== undefined && root.children[0]?.contextValue === "shapeLens.model";
    }, "the tree to show the notebook");
    const model = root!.children[0];
    assert.equal(model.label, "Network");
    assert.equal(model.description, "(1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs");
    const head = model.children.find((r) => r.label.startsWith("head"));
    const conv = head?.children[0];
    assert.ok(conv, JSON.stringify(model.children.map((r) => r.label)));
    assert.match(conv.description ?? "", /^\(1, 20, 28, 28\)/);
    const args = conv.command?.arguments?.[0] as { uri: string; from: number | null };
    assert.equal(vscode.Uri.parse(args.uri).scheme, "vscode-notebook-cell");
    assert.equal(args.uri, notebook.cellAt(2).document.uri.toString());
    const range = await vscode.commands.executeCommand<vscode.Range>(conv.command!.command, ...conv.command!.arguments!);
    assert.equal(range?.start.line, 4);
  });

  it("summarises a notebook's model from its tree row", async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>("shapeLens.showTreeSummary", { uri: notebook.uri, model: "Network" });
    assert.ok(uri);
    const summary = await vscode.workspace.openTextDocument(uri);
    assert.match(summary.getText(), /^Network — seed_notebook\.ipynb:\d+\nInput \(1, 3, 32, 32\) -> output \(1, 3, 16, 16\)/);
    assert.match(summary.getText(), /Total params: 87,219/);
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  });
});
