// Constructor sites and hover text on real analyses: hints per site, several calls per site, composites, hovers (no vscode).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_DISPLAY, layerLabel, siteLabel } from "../../src/extension/hintText";
import { modelHover, pragmaHover, siteHover } from "../../src/extension/hoverText";
import { selfAttributeAt } from "../../src/extension/pySyntax";
import { collectSites, groupBySite, innermostAt, modelAtOffset, opSitesOf, siteOfModule, type Site } from "../../src/extension/sites";
import { analyzeSource, type Analysis } from "../../src/python/analyze";

const root = path.resolve(__dirname, "../..");
const opts = { ...DEFAULT_DISPLAY, maxLength: 0 };

function load(rel: string): { text: string; analysis: Analysis } {
  const text = fs.readFileSync(path.join(root, rel), "utf8");
  return { text, analysis: analyzeSource(text, { symbolic: true }) };
}

/** "line: source-of-the-call ⟨label⟩" for every site, as the editor would show them. */
function hintLines(text: string, analysis: Analysis): string[] {
  return collectSites(analysis).map((s) => {
    const line = text.slice(0, s.to).split("\n").length;
    return `${line}: ${text.slice(s.from, s.to).replace(/\s+/g, " ")} ⟨${siteLabel(s.calls.map((c) => c.figures), opts)}⟩`;
  });
}

function siteOf(text: string, analysis: Analysis, needle: string): Site {
  const site = innermostAt(collectSites(analysis), text.indexOf(needle) + 1);
  assert.ok(site, `a site at ${needle}`);
  return site;
}

describe("extension sites", () => {
  it("groups items by span in document order and finds the innermost span", () => {
    const items = [
      { id: "a", from: 10, to: 20 },
      { id: "b", from: 0, to: 50 },
      { id: "c", from: 10, to: 20 },
      { id: "d", from: null, to: null },
    ];
    const groups = groupBySite(items, (i) => i);
    assert.deepEqual(groups.map((g) => [g.from, g.to, g.items.map((i) => i.id).join("")]), [[0, 50, "b"], [10, 20, "ac"]]);
    assert.equal(innermostAt(groups, 15)?.from, 10);
    assert.equal(innermostAt(groups, 5)?.from, 0);
    assert.equal(innermostAt(groups, 60), undefined);
  });

  it("gives every layer of the seed networks the report's numbers, at the end of its constructor call", () => {
    const { text, analysis } = load("examples/seed_networks.py");
    const lines = hintLines(text, analysis);
    assert.equal(lines[0], "17: nn.Conv2d(3, 20, 5) ⟨(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5⟩");
    assert.equal(lines[1], "18: nn.ReLU() ⟨(1, 20, 28, 28) · 15.7K FLOPs · RF 5⟩");
    assert.ok(lines.includes("57: nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1) ⟨(1, 1, 5, 5) · 10 params · 187 FLOPs · RF 2⟩"), lines.join("\n"));
    assert.ok(lines.includes("93: nn.Linear(16 * 7 * 7, 64) ⟨(4, 64) · 50.2K params · 401K FLOPs · RF global⟩"));
    // one site per report row here, each with exactly that row's figures
    const rows = analysis.models.flatMap((m) => m.report.layers);
    assert.equal(lines.length, rows.length);
    for (const site of collectSites(analysis)) {
      const [call] = site.calls;
      assert.equal(site.calls.length, 1);
      assert.deepEqual(call.figures.output, call.model.report.layers[call.row].output);
      assert.equal(call.figures.flops, call.model.report.layers[call.row].flops);
    }
  });

  it("shows a module called twice, and modules built in a loop, with all their results", () => {
    const reused = load("test/fixtures/structure/reused_block.py");
    const conv = siteOf(reused.text, reused.analysis, "nn.Conv2d(channels, channels");
    assert.equal(conv.calls.length, 2);
    assert.equal(siteLabel(conv.calls.map((c) => c.figures), opts), "×2 (1, 24, 32, 32) · 5.21K params · 10.6M FLOPs · RF 5 | 7");

    const vgg = load("test/fixtures/sequential/vgg_cfg_loop.py");
    const site = siteOf(vgg.text, vgg.analysis, "nn.Conv2d(channels, v");
    const rows = vgg.analysis.models[0].report.layers.filter((l) => l.type === "Conv2d");
    assert.equal(site.calls.length, rows.length);
    const label = siteLabel(site.calls.map((c) => c.figures), opts);
    const total = rows.reduce((s, r) => s + (r.flops ?? 0), 0);
    assert.ok(label.startsWith(`×${rows.length} (2, 32, 32, 32) | (2, 64, 16, 16) | … · Σ `), label);
    assert.ok(label.includes(`Σ ${layerLabel({ ...site.calls[0].figures, flops: total }, { ...opts, metrics: ["flops"] })}`), label);
  });

  it("sums a built-in composite's layers at its constructor call", () => {
    const { text, analysis } = load("test/fixtures/layer_zoo/transformer_encoder.py");
    const site = siteOf(text, analysis, "nn.TransformerEncoderLayer");
    assert.equal(site.calls.length, 1);
    const layers = analysis.models[0].report.layers.filter((l) => l.path?.startsWith("layer."));
    const flops = layers.reduce((s, l) => s + (l.flops ?? 0), 0);
    assert.equal(site.calls[0].figures.flops, flops);
    assert.equal(siteLabel(site.calls.map((c) => c.figures), opts), "8 layers · 8.54K params · ≥919K FLOPs");
    assert.match(siteHover(site, analysis, opts), /`layer.linear1` Linear: \(3, 16, 64\) · 2.11K params · 197K FLOPs/);
  });

  it("shows the failing layer as an error and the layers after it with their parameters", () => {
    const { text, analysis } = load("test/fixtures/seed/head_tail_broken.py");
    const lines = hintLines(text, analysis);
    assert.equal(lines[0], "12: nn.Conv2d(1, 20, 5) ⟨error · 520 params⟩");
    assert.ok(lines.includes("14: nn.Conv2d(20, 64, 5) ⟨32.1K params⟩"), lines.join("\n"));
    const hover = siteHover(siteOf(text, analysis, "nn.Conv2d(20, 64"), analysis, opts);
    assert.match(hover, /not computed: forward stops with an error before this layer/);
  });

  it("marks modules forward never calls", () => {
    const { text, analysis } = load("test/fixtures/structure/moduledict_heads.py");
    const lines = hintLines(text, analysis);
    assert.ok(lines.some((l) => l.endsWith("nn.ReLU() ⟨not called in forward⟩")), lines.join("\n"));
    assert.ok(lines.some((l) => l.endsWith("nn.SiLU() ⟨(5, 64) · 320 FLOPs⟩")), lines.join("\n"));
  });

  it("explains a layer in its hover: arguments, shapes, params split, costs, RF, formulas, convention", () => {
    const { text, analysis } = load("examples/seed_networks.py");
    const hover = siteHover(siteOf(text, analysis, "nn.Conv2d(3, 20, 5)"), analysis, opts);
    assert.match(hover, /Conv2d\(in_channels=3, out_channels=20, kernel_size=5, stride=1, padding=0/);
    assert.match(hover, /\| input \| \(1, 3, 32, 32\) \|/);
    assert.match(hover, /\| output \| \(1, 20, 28, 28\) \|/);
    assert.match(hover, /\| params \| 1,520 \(1.52K\) = weight 1,500 \+ bias 20 \|/);
    assert.match(hover, /\| MACs \| 1,176,000 \(1.18M\) \|/);
    assert.match(hover, /\| FLOPs \| 2,352,000 \(2.35M\) \|/);
    assert.match(hover, /\| receptive field \| 5, jump 1 \|/);
    assert.match(hover, /FLOPs = \[\(3·5·5\) \+ \(3·5·5 − 1\) \+ 1\]·20·28·28 = 2,352,000/);
    assert.match(hover, /a dot product of length n costs 2n−1, bias \+1/);
    const up = siteHover(siteOf(text, analysis, "nn.ConvTranspose2d"), analysis, opts);
    assert.match(up, /receptive field \| 2, jump 0.5/);
  });

  it("gives a model's totals and where its input comes from", () => {
    const { text, analysis } = load("examples/seed_networks.py");
    const lines = text.split("\n");
    const network = modelHover(analysis.models[0], lines, null);
    assert.match(network, /\*\*Network\*\*/);
    assert.match(network, /\| input \| \(1, 3, 32, 32\) \(from the call in this file\) \|/);
    assert.match(network, /\| params \| 87,219 \(87.2K\) \|/);
    assert.match(network, /\| FLOPs \| 81,470,912 \(81.5M\) \|/);
    const upscaler = analysis.models.find((m) => m.report.name === "Upscaler")!;
    assert.match(modelHover(upscaler, lines, null), /\(1, 1, 3, 3\) \(from the `# shape-lens:` pragma\)/);
  });

  it("says why a model's parameter count is unknown (a module it does not understand)", () => {
    const text = "import torch.nn as nn\nimport timm\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.backbone = timm.create_model('vit')\n        self.head = nn.Linear(8, 2)\n";
    const hover = modelHover(analyzeSource(text).models[0], text.split("\n"), null);
    assert.match(hover, /\| params \| unknown — not understood: backbone: timm\.create_model is not modelled \|/);
  });

  it("finds the shape-changing functional calls in forward, each at its own call", () => {
    const { text, analysis } = load("test/fixtures/custom_forward/functional_convnet.py");
    const labels = opSitesOf(analysis, text).map((s) => `${text.slice(s.from, s.to)} ⟨${siteLabel(s.calls, { ...opts, metrics: ["shape", "flops"] })}⟩`);
    assert.deepEqual(labels, [
      "F.max_pool2d(F.relu(self.conv1(x)), (2, 2)) ⟨(4, 6, 14, 14) · 14.1K FLOPs⟩",
      "F.max_pool2d(F.relu(self.conv2(x)), 2) ⟨(4, 16, 5, 5) · 4.8K FLOPs⟩",
      "x.view(x.size(0), -1) ⟨(4, 400)⟩",
    ]);
    // a residual `+` inside a block has no call of its own: nothing is put on the enclosing call
    const resnet = load("test/fixtures/structure/resnet_make_layer.py");
    const calls = opSitesOf(resnet.analysis, resnet.text).map((s) => resnet.text.slice(s.from, s.to));
    assert.ok(calls.every((c) => !c.startsWith("self.layer")), calls.join("\n"));
  });

  it("finds the layer a `self.x` in forward holds", () => {
    const { text, analysis } = load("examples/seed_networks.py");
    const at = text.indexOf("self.conv1(x)") + "self.co".length;
    const attr = selfAttributeAt(text, at)!;
    assert.equal(attr.name, "conv1");
    assert.equal(text.slice(attr.from, attr.to), "self.conv1");
    const model = modelAtOffset(analysis, text, at)!;
    assert.equal(model.report.name, "SuperResolution");
    const site = siteOfModule(analysis, model.root!.children.get("conv1")!)!;
    assert.equal(text.slice(site.from, site.to), "nn.Conv2d(1, 64, kernel_size=5, padding=2)");
    assert.equal(selfAttributeAt(text, text.indexOf("x = self.head(x)")), null);
  });

  it("says what an input pragma sets", () => {
    const { text, analysis } = load("examples/seed_networks.py");
    const line = text.split("\n").findIndex((l) => l.startsWith("# shape-lens:")) + 1;
    const hover = pragmaHover("# shape-lens: input=(1, 1, 3, 3)", line, analysis)!;
    assert.match(hover, /sets the input of \*\*Upscaler\*\* to `\(1, 1, 3, 3\)`/);
    assert.match(pragmaHover("# shape-lens: input=(N, 3, H, W)", 1, undefined)!, /Named dims \(N, H, W\) are symbols/);
    assert.equal(pragmaHover("# just a comment", 1, analysis), null);
  });
});
