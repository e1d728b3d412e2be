// Editor annotations in a real VS Code: inlay hints at exact positions, hovers, diagnostics and quick fixes, through the public API.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as vscode from "vscode";
import { extensionId, fixtureFile, openPython, repoRoot, waitFor } from "./helpers";

interface Hint {
  readonly line: number;
  readonly character: number;
  readonly label: string;
}

function labelText(label: string | vscode.InlayHintLabelPart[]): string {
  return typeof label === "string" ? label : label.map((p) => p.value).join("");
}

async function hintsOf(document: vscode.TextDocument, range?: vscode.Range): Promise<Hint[]> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>("vscode.executeInlayHintProvider", document.uri, range ?? whole)) ?? [];
  return hints.map((h) => ({ line: h.position.line, character: h.position.character, label: labelText(h.label) }));
}

/** The position just after the first `needle` at or after line `line` (1-based): where a constructor's hint goes. */
function endOf(document: vscode.TextDocument, line: number, needle: string): { line: number; character: number } {
  const text = document.lineAt(line - 1).text;
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `line ${line} contains ${needle}: ${text}`);
  return { line: line - 1, character: at + needle.length };
}

function hintAt(hints: readonly Hint[], pos: { line: number; character: number }): string | undefined {
  return hints.find((h) => h.line === pos.line && h.character === pos.character)?.label;
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

async function untitledCopy(relative: string): Promise<vscode.TextDocument> {
  const original = await vscode.workspace.openTextDocument(fixtureFile(relative));
  const document = await vscode.workspace.openTextDocument({ language: "python", content: original.getText() });
  await vscode.window.showTextDocument(document);
  return document;
}

async function closeWithoutSaving(): Promise<void> {
  await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
}

async function quickFixes(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>("vscode.executeCodeActionProvider", document.uri, range)) ?? [];
  return actions.filter((a): a is vscode.CodeAction => "edit" in a || "kind" in a);
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration("shapeLens").update(key, value, vscode.ConfigurationTarget.Global);
}

describe("editor annotations", () => {
  const seed = vscode.Uri.file(path.join(repoRoot, "examples", "seed_networks.py"));

  describe("inlay hints", () => {
    let document: vscode.TextDocument;
    before(async () => {
      document = await openPython(seed);
    });
    afterEach(async () => {
      for (const key of ["useMacs", "numberFormat", "inlayHints.metrics", "inlayHints.enabled", "inlayHints.maxLength", "inlayHints.forwardLines"]) {
        await setSetting(key, undefined);
      }
    });

    it("shows each layer's figures at the end of its constructor call (examples/seed_networks.py)", async () => {
      const hints = await hintsOf(document);
      const expected: [number, string, string][] = [
        [17, "nn.Conv2d(3, 20, 5)", "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5"],
        [18, "nn.ReLU()", "(1, 20, 28, 28) · 15.7K FLOPs · RF 5"],
        [19, "nn.Conv2d(20, 64, 5)", "(1, 64, 24, 24) · 32.1K params · 36.9M FLOPs · RF 9"],
        [25, "nn.Conv2d(32, 3, 5)", "(1, 3, 16, 16) · 2.4K params · 1.23M FLOPs · RF 17"],
        [26, "nn.ReLU()", "(1, 3, 16, 16) · 768 FLOPs · RF 17"],
        [40, "nn.Conv2d(1, 64, kernel_size=5, padding=2)", "(1, 64, 64, 64) · 1.66K params · 13.1M FLOPs · RF 5"],
        [43, "nn.PixelShuffle(upscale)", "(1, 1, 192, 192) · RF 9"],
        [57, "nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)", "(1, 1, 5, 5) · 10 params · 187 FLOPs · RF 2"],
        [68, 'nn.Upsample(scale_factor=2, mode="bicubic", align_corners=True)', "(1, 3, 48, 48) · 214K FLOPs · RF 4"],
        [86, "nn.MaxPool2d(2)", "(4, 8, 14, 14) · 18.8K FLOPs · RF 4"],
        [92, "nn.Flatten()", "(4, 784) · RF 10"],
        [93, "nn.Linear(16 * 7 * 7, 64)", "(4, 64) · 50.2K params · 401K FLOPs · RF global"],
        [96, "nn.Softmax(dim=1)", "(4, 10) · 200 FLOPs · RF global"],
      ];
      for (const [line, call, label] of expected) assert.equal(hintAt(hints, endOf(document, line, call)), label, `hint after ${call} on line ${line}`);
      assert.equal(hints.length, 5 + 8 + 4 + 1 + 4 + 11, "one hint per model and per layer");
    });

    it("shows each model's input, output and totals at the end of its line", async () => {
      const hints = await hintsOf(document);
      assert.equal(hintAt(hints, endOf(document, 11, "class Network(nn.Module):")), "input (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs");
      assert.equal(hintAt(hints, endOf(document, 52, "class Upscaler(nn.Module):")), "input (1, 1, 3, 3) → (1, 1, 5, 5) · 10 params · 187 FLOPs");
      assert.equal(hintAt(hints, endOf(document, 78, "class DigitClassifier(nn.Module):")), "input (4, 1, 28, 28) → (4, 10) · 52.1K params · 2.73M FLOPs");
    });

    it("answers only for the requested range", async () => {
      const hints = await hintsOf(document, new vscode.Range(16, 0, 19, 0));
      assert.deepEqual(hints.map((h) => h.line), [16, 17, 18]);
    });

    it("follows the settings: MACs, full numbers, chosen metrics, off", async () => {
      const conv = endOf(document, 17, "nn.Conv2d(3, 20, 5)");
      await setSetting("useMacs", true);
      await setSetting("numberFormat", "full");
      await waitFor(async () => hintAt(await hintsOf(document), conv) === "(1, 20, 28, 28) · 1,520 params · 1,176,000 MACs · RF 5", "MACs in full");
      await setSetting("inlayHints.metrics", ["params", "shape"]);
      await waitFor(async () => hintAt(await hintsOf(document), conv) === "1,520 params · (1, 20, 28, 28)", "params first");
      await setSetting("inlayHints.maxLength", 10);
      await waitFor(async () => hintAt(await hintsOf(document), conv) === "1,520 par…", "cut to 10 characters");
      await setSetting("inlayHints.enabled", false);
      await waitFor(async () => (await hintsOf(document)).length === 0, "no hints when disabled");
    });

    it("annotates the shape-changing calls in forward when asked to", async () => {
      const net = await openPython(fixtureFile("custom_forward/functional_convnet.py"));
      const view = endOf(net, 18, "x.view(x.size(0), -1)");
      assert.equal(hintAt(await hintsOf(net), view), undefined, "off by default");
      await setSetting("inlayHints.forwardLines", true);
      await waitFor(async () => hintAt(await hintsOf(net), view) === "(4, 400)", "the view's output shape");
      assert.equal(hintAt(await hintsOf(net), endOf(net, 16, "F.max_pool2d(F.relu(self.conv1(x)), (2, 2))")), "(4, 6, 14, 14) · 14.1K FLOPs");
    });

    it("shows every result of a module called twice and a built-in composite's totals (test/fixtures)", async () => {
      const reused = await openPython(fixtureFile("structure/reused_block.py"));
      const hints = await hintsOf(reused);
      const line = reused.getText().split("\n").findIndex((l) => l.includes("nn.Conv2d(channels, channels, 3, padding=1)")) + 1;
      assert.equal(hintAt(hints, endOf(reused, line, "nn.Conv2d(channels, channels, 3, padding=1)")), "×2 (1, 24, 32, 32) · 5.21K params · 10.6M FLOPs · RF 5 | 7");

      const transformer = await openPython(fixtureFile("layer_zoo/transformer_encoder.py"));
      const t = await hintsOf(transformer);
      assert.equal(hintAt(t, endOf(transformer, 9, "nn.Embedding(vocab, d_model)")), "(3, 16, 32) · 32K params");
      assert.equal(hintAt(t, endOf(transformer, 11, "batch_first=True)")), "8 layers · 8.54K params · ≥919K FLOPs");
      assert.equal(hintAt(t, endOf(transformer, 6, "class TinyTextTransformer(nn.Module):")), "input (3, 16) → (3, 4) · 41.2K params · 929K FLOPs");
    });
  });

  describe("hovers", () => {
    let document: vscode.TextDocument;
    before(async () => {
      document = await openPython(seed);
    });

    it("explains a layer: arguments, shapes, params split, costs with the convention, RF, formulas", async () => {
      const text = await hoverText(document, new vscode.Position(16, 16)); // on "Conv2d" of nn.Conv2d(3, 20, 5)
      assert.match(text, /Conv2d\(in_channels=3, out_channels=20, kernel_size=5, stride=1, padding=0/);
      assert.match(text, /\| input \| \(1, 3, 32, 32\) \|/);
      assert.match(text, /\| output \| \(1, 20, 28, 28\) \|/);
      assert.match(text, /\| params \| 1,520 \(1.52K\) = weight 1,500 \+ bias 20 \|/);
      assert.match(text, /\| FLOPs \| 2,352,000 \(2.35M\) \|/);
      assert.match(text, /\| receptive field \| 5, jump 1 \|/);
      assert.match(text, /FLOPs = \[\(3·5·5\) \+ \(3·5·5 − 1\) \+ 1\]·20·28·28 = 2,352,000/);
      assert.match(text, /FLOPs = multiplies \+ adds; a dot product of length n costs 2n−1, bias \+1/);
    });

    it("explains the layer a `self.x` in forward holds", async () => {
      const text = await hoverText(document, new vscode.Position(45, 29)); // "conv1" of `x = torch.tanh(self.conv1(x))`
      assert.match(text, /Conv2d\(in_channels=1, out_channels=64, kernel_size=5, stride=1, padding=2/);
      assert.match(text, /\| output \| \(1, 64, 64, 64\) \|/);
    });

    it("gives a model's totals on its name, and what the pragma sets", async () => {
      const model = await hoverText(document, new vscode.Position(10, 8)); // "Network"
      assert.match(model, /\*\*Network\*\* — model/);
      assert.match(model, /\| params \| 87,219 \(87.2K\) \|/);
      assert.match(model, /\| FLOPs \| 81,470,912 \(81.5M\) \|/);
      const pragma = await hoverText(document, new vscode.Position(50, 5)); // "# shape-lens: input=(1, 1, 3, 3)"
      assert.match(pragma, /sets the input of \*\*Upscaler\*\* to `\(1, 1, 3, 3\)`/);
    });
  });

  describe("diagnostics and quick fixes", () => {
    afterEach(async () => {
      await setSetting("diagnostics.enabled", undefined);
    });

    it("reports head_tail_broken.py's channel mismatch on the offending call", async () => {
      const document = await openPython(fixtureFile("seed/head_tail_broken.py"));
      await waitFor(() => shapeLensDiagnostics(document.uri).length > 0, "diagnostics");
      const [d, ...rest] = shapeLensDiagnostics(document.uri);
      assert.equal(rest.length, 0);
      assert.equal(d.code, "channel-mismatch");
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.message, "Conv2d expects 1 input channel but receives 3 (input (1, 3, 32, 32)); fix: in_channels=3");
      assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [11, 12, 11, 12 + "nn.Conv2d(1, 20, 5)".length]);
      await setSetting("diagnostics.enabled", false);
      await waitFor(() => shapeLensDiagnostics(document.uri).length === 0, "diagnostics cleared when disabled");
    });

    it("fixes in_channels, then the model analyses cleanly", async () => {
      const document = await untitledCopy("seed/head_tail_broken.py");
      try {
        await waitFor(() => shapeLensDiagnostics(document.uri).length === 1, "the channel mismatch");
        const [d] = shapeLensDiagnostics(document.uri);
        const fix = (await quickFixes(document, d.range)).find((a) => a.title === "Set in_channels=3 (was 1)");
        assert.ok(fix?.edit, "the in_channels quick fix");
        assert.equal(fix.isPreferred, true);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        assert.equal(document.lineAt(11).text.trim(), "nn.Conv2d(3, 20, 5),");
        await waitFor(() => shapeLensDiagnostics(document.uri).length === 0, "no more problems");
        const hints = await hintsOf(document);
        assert.equal(hintAt(hints, endOf(document, 12, "nn.Conv2d(3, 20, 5)")), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5");
      } finally {
        await closeWithoutSaving();
      }
    });

    it("renames a misspelled nn. layer", async () => {
      const document = await untitledCopy("broken/typo_senquential.py");
      try {
        await waitFor(() => shapeLensDiagnostics(document.uri).some((d) => d.code === "unknown-layer"), "the unknown layer");
        const d = shapeLensDiagnostics(document.uri).find((x) => x.code === "unknown-layer")!;
        assert.equal(document.getText(d.range), "nn.Senquential");
        const fix = (await quickFixes(document, d.range)).find((a) => a.title === "Change to nn.Sequential");
        assert.ok(fix?.edit, "the rename quick fix");
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        assert.match(document.lineAt(17).text, /self\.features = nn\.Sequential\($/);
        await waitFor(() => shapeLensDiagnostics(document.uri).length === 0, "no more problems");
        await waitFor(async () => (await hintsOf(document)).some((h) => h.label.startsWith("input (4, 3, 32, 32) → (4, 64)")), "Backbone analysed");
      } finally {
        await closeWithoutSaving();
      }
    });

    it("adds the input pragma above a model whose input is unknown", async () => {
      const source = [
        "import torch",
        "import torch.nn as nn",
        "",
        "",
        "class Net(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        "        self.conv = nn.Conv2d(1, 8, 3)",
        "",
        "    def forward(self, x):",
        "        return self.conv(x)",
        "",
      ].join("\n");
      const document = await vscode.workspace.openTextDocument({ language: "python", content: source });
      await vscode.window.showTextDocument(document);
      try {
        const actions = await quickFixes(document, new vscode.Range(4, 7, 4, 7));
        const fix = actions.find((a) => a.title === "Add the input shape of Net: # shape-lens: input=(1, 1, 32, 32)");
        assert.ok(fix?.edit, `the pragma quick fix among: ${actions.map((a) => a.title).join(", ")}`);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        assert.equal(document.lineAt(4).text, "# shape-lens: input=(1, 1, 32, 32)");
        await waitFor(
          async () => hintAt(await hintsOf(document), endOf(document, 6, "class Net(nn.Module):")) === "input (1, 1, 32, 32) → (1, 8, 30, 30) · 80 params · 130K FLOPs",
          "the model analysed with the pragma's input",
        );
      } finally {
        await closeWithoutSaving();
      }
    });
  });

  it("shows the model under the cursor in the status bar; its click opens the summary", async () => {
    const document = await openPython(seed);
    const editor = vscode.window.activeTextEditor!;
    type Api = { statusBar(): { visible: boolean; text: string; command?: vscode.Command } };
    const api = vscode.extensions.getExtension<Api>(extensionId)!.exports;
    const moveTo = (line: number): void => {
      editor.selection = new vscode.Selection(line - 1, 4, line - 1, 4);
    };
    moveTo(20);
    await waitFor(() => api.statusBar().text === "$(symbol-class) Network: 87.2K params · 81.5M FLOPs" && api.statusBar().visible, "Network in the status bar");
    moveTo(45);
    await waitFor(() => api.statusBar().text === "$(symbol-class) SuperResolution: 22.7K params · 186M FLOPs", "SuperResolution in the status bar");
    moveTo(document.lineCount - 1);
    await waitFor(() => !api.statusBar().visible, "no model under the cursor: hidden");
    moveTo(20);
    await waitFor(() => api.statusBar().visible, "shown again");
    const command = api.statusBar().command!;
    assert.equal(command.command, "shapeLens.showSummary");
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === "shape-lens-summary", "the summary document");
    assert.match(vscode.window.activeTextEditor!.document.getText(), /Network/);
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  });

  it("exposes the analysis cache to tests", async () => {
    const document = await openPython(seed);
    const api = vscode.extensions.getExtension<{ cache: { get(d: vscode.TextDocument): { report: { models: unknown[] } } | undefined } }>(extensionId)?.exports;
    assert.equal(api?.cache.get(document)?.report.models.length, 5);
  });
});
