// The model tree and the Shape Lens commands in a real VS Code: tree rows and reveal, summary document, clipboard, pragma, snippet, settings.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { fixtureFile, openPython, waitFor } from "./helpers";

interface Row {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly contextValue?: string;
  readonly command?: { readonly command: string; readonly arguments?: unknown[] };
  readonly children: Row[];
}

const snapshot = async (): Promise<Row[]> => (await vscode.commands.executeCommand<Row[]>("shapeLens.internal.treeSnapshot")) ?? [];

/** Waits until the tree shows `file` at its root and returns that row. */
async function treeOf(file: string): Promise<Row> {
  let root: Row | undefined;
  await waitFor(async () => {
    root = (await snapshot()).find((r) => r.label === file);
    return root !== undefined && root.children.length > 0 && root.children[0].contextValue === "shapeLens.model";
  }, `the tree to show ${file}`);
  return root!;
}

function child(row: Row, label: string): Row {
  const c = row.children.find((r) => r.label === label);
  assert.ok(c, `${label} under ${row.label}: ${row.children.map((r) => r.label).join(", ")}`);
  return c;
}

async function setting<T>(key: string): Promise<T | undefined> {
  return vscode.workspace.getConfiguration("shapeLens").get<T>(key);
}

async function untitledPython(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: "python", content });
  return vscode.window.showTextDocument(document);
}

async function closeWithoutSaving(): Promise<void> {
  await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
}

describe("model tree and commands", () => {
  const headTail = fixtureFile("seed/head_tail.py");
  const reused = fixtureFile("structure/reused_block.py");

  before(async () => {
    await openPython(headTail);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand("shapeLens.unpinFile");
  });

  describe("tree", () => {
    it("shows file → model → containers → layer calls for the active editor", async () => {
      await openPython(headTail);
      const file = await treeOf("head_tail.py");
      assert.equal(file.children.length, 1);
      const model = file.children[0];
      assert.equal(model.label, "Network");
      assert.equal(model.description, "(1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs");
      assert.match(model.tooltip ?? "", /Parameters: 87,219/);
      assert.deepEqual(model.children.map((r) => r.label), ["head (Sequential)", "tail (Sequential)"]);
      const head = child(model, "head (Sequential)");
      assert.equal(head.description, "(1, 64, 24, 24) · 33.6K params · 39.3M FLOPs");
      assert.deepEqual(head.children.map((r) => r.label), ["0 (Conv2d)", "1 (ReLU)", "2 (Conv2d)", "3 (ReLU)"]);
      assert.equal(head.children[0].description, "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs");
      assert.equal(child(model, "tail (Sequential)").children[2].description, "(1, 3, 16, 16) · 2.4K params · 1.23M FLOPs");
      assert.match(head.children[0].tooltip ?? "", /Receptive field: 5/);
    });

    it("lists a module called twice as its two calls", async () => {
      await openPython(reused);
      const file = await treeOf("reused_block.py");
      const model = child(file, "RecurrentRefiner");
      assert.deepEqual(model.children.map((r) => r.label), ["encode (Conv2d)", "refine (Sequential) #1", "refine (Sequential) #2", "decode (Conv2d)"]);
      assert.deepEqual(child(model, "refine (Sequential) #2").children.map((r) => r.label), ["0 (Conv2d)", "1 (ReLU)"]);
    });

    it("clicking a row reveals the layer's constructor line", async () => {
      await openPython(headTail);
      const file = await treeOf("head_tail.py");
      const conv = child(child(file.children[0], "tail (Sequential)"), "2 (Conv2d)");
      assert.equal(conv.command?.command, "shapeLens.revealLayer");
      await vscode.commands.executeCommand(conv.command!.command, ...(conv.command!.arguments ?? []));
      const editor = vscode.window.activeTextEditor!;
      assert.equal(editor.document.uri.toString(), headTail.toString());
      assert.equal(editor.selection.active.line + 1, 20, "nn.Conv2d(32, 3, 5) is on line 20");
      assert.ok(editor.document.lineAt(editor.selection.active.line).text.slice(editor.selection.active.character).startsWith("nn.Conv2d(32, 3, 5)"));
    });

    it("a pinned file stays while the editor changes; unpinning follows the editor again", async () => {
      await openPython(headTail);
      await treeOf("head_tail.py");
      await vscode.commands.executeCommand("shapeLens.pinFile");
      await openPython(reused);
      await new Promise((r) => setTimeout(r, 300));
      const roots = await snapshot();
      assert.deepEqual(roots.map((r) => r.label), ["head_tail.py"]);
      assert.equal(roots[0].description, "pinned");
      assert.equal(roots[0].contextValue, "shapeLens.file.pinned");
      await vscode.commands.executeCommand("shapeLens.unpinFile");
      await treeOf("reused_block.py");
    });

    it("Toggle FLOPs / MACs flips shapeLens.useMacs and the tree shows MACs", async () => {
      await openPython(headTail);
      const before = (await setting<boolean>("useMacs")) ?? false;
      assert.equal(await vscode.commands.executeCommand("shapeLens.toggleFlopsMacs"), !before);
      try {
        assert.equal(await setting<boolean>("useMacs"), !before);
        await waitFor(async () => (await treeOf("head_tail.py")).children[0].description?.endsWith(before ? "FLOPs" : "MACs") === true, "MACs in the tree");
        const conv = (await treeOf("head_tail.py")).children[0].children[0].children[0];
        assert.equal(conv.description, before ? "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs" : "(1, 20, 28, 28) · 1.52K params · 1.18M MACs");
      } finally {
        await vscode.commands.executeCommand("shapeLens.toggleFlopsMacs");
      }
      assert.equal(await setting<boolean>("useMacs"), before);
    });

    it("empties (and shows its welcome text) once the file's last editor closes", async () => {
      await openPython(reused);
      await treeOf("reused_block.py");
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
      await waitFor(async () => (await snapshot()).length === 0, "an empty tree");
    });
  });

  describe("commands", () => {
    it("Show Model Summary opens a read-only summary document of the model", async () => {
      await openPython(headTail);
      const uri = await vscode.commands.executeCommand<vscode.Uri>("shapeLens.showSummary", { uri: headTail.toString(), model: "Network" });
      assert.ok(uri, "the command returns the summary's uri");
      assert.equal(uri.scheme, "shape-lens-summary");
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.equal(doc.languageId, "shape-lens-summary");
      const text = doc.getText();
      assert.ok(text.startsWith("Network — head_tail.py:6\nInput (1, 3, 32, 32) -> output (1, 3, 16, 16)\n"), text);
      assert.match(text, /^├─head \(Sequential\)\s+\(1, 64, 24, 24\)\s+--\s+--\s+--\s+11$/m);
      assert.match(text, /^│ {2}├─0 \(Conv2d\)\s+\(1, 20, 28, 28\)\s+1,520\s+2,352,000\s+5\s+12$/m);
      assert.match(text, /^Total params: 87,219$/m);
      assert.match(text, /^FLOPs: 81,470,912 \(81\.5M\)$/m);
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>("vscode.executeLinkProvider", uri);
      const conv = links.find((l) => l.range.start.line === text.split("\n").findIndex((r) => r.startsWith("│  ├─0 (Conv2d)")));
      assert.ok(conv?.target, "the Line column links to the source");
      assert.equal(conv.target.fragment, "L12");
      assert.equal(conv.target.path, headTail.path);
      await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    });

    it("Show Model Summary without arguments takes the model at the cursor", async () => {
      const document = await openPython(reused);
      const editor = await vscode.window.showTextDocument(document);
      const line = document.getText().split("\n").findIndex((l) => l.includes("h = self.refine(h)"));
      editor.selection = new vscode.Selection(line, 8, line, 8);
      const uri = await vscode.commands.executeCommand<vscode.Uri>("shapeLens.showSummary");
      assert.equal(new URLSearchParams(uri.query).get("model"), "RecurrentRefiner");
      const text = (await vscode.workspace.openTextDocument(uri)).getText();
      assert.match(text, /refine \(Sequential\) #2/);
      await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    });

    for (const [command, check] of [
      ["shapeLens.copySummaryMarkdown", (t: string) => t.includes("| `head.0` | Conv2d | (1, 20, 28, 28) | 1,520 | 2,352,000 | 5 |")],
      ["shapeLens.copySummaryCsv", (t: string) => t.split("\n")[1] === 'head.0,Conv2d,12,"(1, 20, 28, 28)",1520,1176000,2352000,5,1,'],
      ["shapeLens.copySummaryJson", (t: string) => JSON.parse(t).params === 87219 && JSON.parse(t).layers.length === 8],
    ] as const) {
      it(`${command} puts the summary on the clipboard`, async () => {
        await openPython(headTail);
        await vscode.env.clipboard.writeText("");
        const text = await vscode.commands.executeCommand<string>(command, { uri: headTail.toString(), model: "Network" });
        assert.ok(check(text), text);
        assert.equal(await vscode.env.clipboard.readText(), text);
      });
    }

    it("Set Input Shape writes the pragma above the class, then rewrites it in place", async () => {
      const editor = await untitledPython("import torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n\n    def forward(self, x):\n        return self.conv(x)\n");
      const uri = editor.document.uri.toString();
      try {
        const written = await vscode.commands.executeCommand<string>("shapeLens.setInputShape", { uri, model: "Net", shape: "(2, 3, 16, 16)" });
        assert.equal(written, "# shape-lens: input=(2, 3, 16, 16)");
        assert.equal(editor.document.lineAt(4).text, "# shape-lens: input=(2, 3, 16, 16)");
        assert.equal(editor.document.lineAt(5).text, "class Net(nn.Module):");
        await vscode.commands.executeCommand("shapeLens.setInputShape", { uri, model: "Net", shape: "1, 3, 8, 8" });
        assert.equal(editor.document.lineAt(4).text, "# shape-lens: input=(1, 3, 8, 8)");
        assert.equal(editor.document.lineAt(5).text, "class Net(nn.Module):", "replaced, not inserted again");
        const summary = await vscode.commands.executeCommand<vscode.Uri>("shapeLens.showSummary", { uri, model: "Net" });
        await waitFor(async () => (await vscode.workspace.openTextDocument(summary)).getText().includes("Input (1, 3, 8, 8) -> output (1, 8, 6, 6)"), "the summary to use the new input");
        await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
      } finally {
        await vscode.window.showTextDocument(editor.document);
        await closeWithoutSaving();
      }
    });

    it("Insert Training Loop inserts the template at the cursor", async () => {
      const editor = await untitledPython("import torch\n\n");
      try {
        editor.selection = new vscode.Selection(2, 0, 2, 0);
        assert.equal(await vscode.commands.executeCommand("shapeLens.insertTrainingLoop"), true);
        const text = editor.document.getText();
        for (const part of [
          'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
          "model.to(device)",
          "optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)",
          "    model.train()",
          "        optimizer.zero_grad()",
          "        loss.backward()",
          "        optimizer.step()",
          "    model.eval()",
          "    with torch.no_grad():",
        ]) {
          assert.ok(text.includes(part), `${part} in\n${text}`);
        }
        assert.ok(!text.includes("${"), "no snippet syntax left in the text");
      } finally {
        await vscode.commands.executeCommand("leaveSnippet");
        await closeWithoutSaving();
      }
    });

    it("Conv Output Size Calculator computes conv and transposed-conv sizes", async () => {
      const conv = await vscode.commands.executeCommand<{ output: number; worked: string }>("shapeLens.convCalculator", { input: 32, kernel: 5, stride: 1, padding: 0 });
      assert.equal(conv.output, 28);
      assert.equal(conv.worked, "O = ⌊(32 + 2·0 − 1·(5 − 1) − 1)/1⌋ + 1 = ⌊27/1⌋ + 1 = 28");
      const up = await vscode.commands.executeCommand<{ output: number }>("shapeLens.convCalculator", { input: 3, kernel: 3, stride: 2, padding: 1, transposed: true });
      assert.equal(up.output, 5);
    });

    it("Toggle Inlay Hints flips shapeLens.inlayHints.enabled", async () => {
      const before = (await setting<boolean>("inlayHints.enabled")) ?? true;
      assert.equal(await vscode.commands.executeCommand("shapeLens.toggleInlayHints"), !before);
      assert.equal(await setting<boolean>("inlayHints.enabled"), !before);
      assert.equal(await vscode.commands.executeCommand("shapeLens.toggleInlayHints"), before);
      assert.equal(await setting<boolean>("inlayHints.enabled"), before);
    });
  });
});
