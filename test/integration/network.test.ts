// The network picture in a real VS Code: the command opens the webview, which receives the model's graph; clicks reveal lines; the cursor highlights; edits update it; exports write files.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { extensionId, fixtureFile, openPython, waitFor } from "./helpers";

interface NetNode {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly type: string;
  readonly shape: string;
  readonly parent: string | null;
  readonly folded: string[];
  readonly source: { readonly line: number | null };
}

interface State {
  readonly open: boolean;
  readonly visible: boolean;
  readonly ready: boolean;
  readonly target: { readonly uri: string; readonly model: string; readonly line: number } | null;
  readonly graph: {
    readonly key: string;
    readonly model: string;
    readonly nodes: NetNode[];
    readonly edges: { from: string; to: string; shape: string }[];
    readonly clusters: { id: string; label: string }[];
    readonly bars: { cost: { label: string }[]; params: { label: string }[] };
    readonly totals: { params: string; cost: string };
  } | null;
  readonly highlight: string[];
  readonly received: string[];
}

const state = async (): Promise<State> => (await vscode.commands.executeCommand<State>("shapeLens.internal.networkState"))!;
const send = (message: unknown) => vscode.commands.executeCommand<unknown>("shapeLens.internal.networkMessage", message);

function nodeOf(s: State, title: string, parent?: string): NetNode {
  const n = s.graph?.nodes.find((x) => x.title === title && (parent === undefined || x.parent === parent));
  assert.ok(n, `${title} in ${s.graph?.nodes.map((x) => x.title).join(", ")}`);
  return n;
}

function networkTab(model: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === `Network · ${model}`);
}

describe("network picture", () => {
  const residual = fixtureFile("custom_forward/residual_add.py");
  const headTail = fixtureFile("seed/head_tail.py");

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("opens beside the editor, and the webview receives the graph of the model at the cursor", async () => {
    const document = await openPython(headTail);
    const editor = vscode.window.activeTextEditor!;
    const inside = document.getText().indexOf("nn.Conv2d(20, 64");
    editor.selection = new vscode.Selection(document.positionAt(inside), document.positionAt(inside));
    assert.equal(await vscode.commands.executeCommand("shapeLens.showNetwork"), true);
    await waitFor(async () => (await state()).ready, "the webview to load and say ready");
    const s = await state();
    assert.equal(s.open, true);
    assert.equal(s.target?.model, "Network");
    assert.equal(s.target?.uri, headTail.toString());
    assert.ok(s.received.includes("ready"));
    assert.ok(networkTab("Network"), "a webview tab titled Network · Network");
    assert.equal(vscode.window.activeTextEditor?.viewColumn, vscode.ViewColumn.One, "the editor keeps the focus; the picture opens beside it");
    const g = s.graph!;
    assert.equal(g.model, "Network");
    assert.deepEqual(g.nodes.map((n) => `${n.title} ${n.type}`.trim()), ["input", "0 Conv2d", "2 Conv2d", "0 Conv2d", "2 Conv2d", "output"]);
    assert.deepEqual(g.nodes[1].folded, ["ReLU"]);
    assert.deepEqual(g.clusters.map((c) => c.label), ["head · Sequential", "tail · Sequential"]);
    assert.deepEqual(g.edges.map((e) => e.shape), ["(1, 3, 32, 32)", "(1, 20, 28, 28)", "(1, 64, 24, 24)", "(1, 32, 20, 20)", "(1, 3, 16, 16)"]);
    assert.equal(g.totals.params, "87.2K (87,219)");
    assert.equal(g.bars.cost[0].label, "tail.0 (Conv2d)");
    // the cursor sits on head.2's constructor: that box is highlighted
    await waitFor(async () => (await state()).highlight.includes(nodeOf(s, "2", "c:head#1").id), "head.2 to be highlighted");
  });

  it("switches to another model passed by the tree or a code lens, and the code lens is on the class line", async () => {
    const document = await openPython(residual);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", document.uri)) ?? [];
    const mine = lenses.filter((l) => l.command?.command === "shapeLens.showNetwork");
    // ResidualUnit (line 6) needs arguments, so it is no model of its own to draw
    assert.deepEqual(mine.map((l) => l.range.start.line + 1), [20]);
    const arg = mine[0].command!.arguments![0] as { model: string; line: number };
    assert.equal(arg.model, "ResidualNet");
    await vscode.commands.executeCommand("shapeLens.showNetwork", ...mine[0].command!.arguments!);
    await waitFor(async () => (await state()).graph?.model === "ResidualNet", "the picture to show ResidualNet");
    const s = await state();
    await waitFor(() => networkTab("ResidualNet") !== undefined, "the tab to be titled Network · ResidualNet");
    const adds = s.graph!.nodes.filter((n) => n.title === "add");
    assert.deepEqual(adds.map((a) => a.parent), ["c:unit1#1", "c:unit2#1"]);
    const into = s.graph!.edges.filter((e) => e.to === adds[0].id).map((e) => s.graph!.nodes.find((n) => n.id === e.from)!.title);
    assert.deepEqual(into, ["entry", "bn2"]);
    const pkg = vscode.extensions.getExtension(extensionId)!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> } };
    const rowButton = pkg.contributes.menus["view/item/context"].find((m) => m.command === "shapeLens.showNetwork" && m.group === "inline");
    assert.match(rowButton?.when ?? "", /viewItem == shapeLens\.model/);
  });

  it("clicking a node reveals its line in the editor", async () => {
    const s = await state();
    const conv2 = nodeOf(s, "conv2", "c:unit2#1");
    await send({ type: "reveal", id: conv2.id });
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), residual.toString());
    assert.equal(editor.selection.active.line + 1, 11, "self.conv2 = nn.Conv2d(...) in ResidualUnit.__init__");
    const add = nodeOf(s, "add", "c:unit1#1");
    await send({ type: "reveal", id: add.id });
    assert.equal(vscode.window.activeTextEditor!.selection.active.line + 1, 17, "return F.relu(x + y)");
    await send({ type: "reveal", id: "c:unit1#1" });
    assert.equal(vscode.window.activeTextEditor!.selection.active.line + 1, 24, "self.unit1 = ResidualUnit(width)");
    await send({ type: "reveal", id: "b:cost:0" });
    assert.equal(vscode.window.activeTextEditor!.selection.active.line + 1, 9, "the heaviest bar: unit1.conv1");
  });

  it("collapses a module on request and keeps it collapsed while the user types", async () => {
    await send({ type: "toggle", path: "unit1" });
    let s = await state();
    const unit = nodeOf(s, "unit1");
    assert.equal(unit.kind, "group");
    const document = await openPython(residual);
    const editor = vscode.window.activeTextEditor!;
    const at = document.getText().indexOf("nn.Linear(width, num_classes)");
    await editor.edit((b) => b.replace(new vscode.Range(document.positionAt(at), document.positionAt(at + "nn.Linear(width, num_classes)".length)), "nn.Linear(width, 7)"));
    await waitFor(async () => nodeOf(await state(), "fc").shape === "(2, 7)", "the picture to follow the edit");
    s = await state();
    assert.equal(nodeOf(s, "unit1").kind, "group", "unit1 is still collapsed");
    await vscode.commands.executeCommand("workbench.action.files.revert");
    await waitFor(async () => nodeOf(await state(), "fc").shape === "(2, 10)", "the picture to follow the revert");
    await send({ type: "expandAll" });
    assert.ok((await state()).graph!.nodes.every((n) => n.kind !== "group"));
  });

  it("exports the picture the webview draws as SVG and PNG", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-network-"));
    try {
      const svgFile = vscode.Uri.file(path.join(dir, "net.svg"));
      const pngFile = vscode.Uri.file(path.join(dir, "net.png"));
      const svgBytes = await vscode.commands.executeCommand<number>("shapeLens.internal.networkExport", "svg", svgFile);
      const svg = fs.readFileSync(svgFile.fsPath, "utf8");
      assert.equal(svg.length > 0 && svgBytes, Buffer.byteLength(svg));
      assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(svg, /ResidualNet \(residual_add\.py\)/);
      assert.match(svg, />conv1</);
      assert.doesNotMatch(svg, /var\(--/, "theme colours written in");
      await vscode.commands.executeCommand<number>("shapeLens.internal.networkExport", "png", pngFile);
      const png = fs.readFileSync(pngFile.fsPath);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.ok(png.length > 10_000, `a real picture (${png.length} bytes)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("draws a notebook's model (its cells as one program) and reveals lines in the model's cell", async () => {
    const notebook = await vscode.workspace.openNotebookDocument(fixtureFile("notebook/seed_notebook.ipynb"));
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(2).document;
    let lenses: vscode.CodeLens[] = [];
    await waitFor(async () => {
      lenses = ((await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", cell.uri)) ?? []).filter((l) => l.command?.command === "shapeLens.showNetwork");
      return lenses.length > 0;
    }, "the code lens in the class's cell");
    assert.equal(lenses[0].range.start.line, 0);
    await vscode.commands.executeCommand("shapeLens.showNetwork", ...lenses[0].command!.arguments!);
    await waitFor(async () => (await state()).graph?.key.includes("seed_notebook.ipynb#Network") === true, "the picture of the notebook's Network");
    const s = await state();
    assert.equal(nodeOf(s, "2", "c:head#1").shape, "(1, 64, 24, 24)");
    await send({ type: "reveal", id: nodeOf(s, "2", "c:head#1").id });
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), cell.uri.toString(), "the class's cell");
    assert.equal(editor.selection.active.line, 6, "nn.Conv2d(20, 64, 5) is the cell's 7th line");
  });
});
