// The network picture's view-model: boxes and wires from the traced graph, collapsed module calls, folded activations, heat, bars, totals.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeSource, type ModelAnalysis } from "../../src/python/analyze";
import { topBars } from "../../src/extension/networkCosts";
import { buildNetwork, defaultCollapsed, idsAt, type NetworkOptions, type NetworkView } from "../../src/extension/networkModel";
import { keyArgs } from "../../src/extension/networkLabels";
import { moduleCalls } from "../../src/extension/networkCalls";
import type { NetNode, NetworkPayload } from "../../src/extension/networkProtocol";

function fixture(relative: string): string {
  return fs.readFileSync(path.resolve(__dirname, "../fixtures", relative), "utf8");
}

function modelOf(relative: string, name: string): { model: ModelAnalysis; text: string } {
  const text = relative.startsWith("examples/") ? fs.readFileSync(path.resolve(__dirname, "../..", relative), "utf8") : fixture(relative);
  const model = analyzeSource(text).models.find((x) => x.report.name === name);
  assert.ok(model, name);
  return { model, text };
}

function view(model: ModelAnalysis, opts: Partial<NetworkOptions> = {}): NetworkView {
  return buildNetwork(model, { collapsed: new Set(), fold: true, useMacs: false, key: "k", file: "f.py", ...opts });
}

function node(p: NetworkPayload, title: string, nth = 0): NetNode {
  const found = p.nodes.filter((n) => n.title === title);
  assert.ok(found[nth], `${title} in ${p.nodes.map((n) => n.title).join(", ")}`);
  return found[nth];
}

/** "from → to (shape)" for every wire, with box titles. */
function wires(p: NetworkPayload): string[] {
  const title = (id: string) => p.nodes.find((n) => n.id === id)!.title;
  return p.edges.map((e) => `${title(e.from)} → ${title(e.to)} ${e.shape}`);
}

describe("network picture: view-model", () => {
  it("draws the seed's head/tail network as a chain, each ReLU folded into its convolution", () => {
    const { model } = modelOf("examples/seed_networks.py", "Network");
    const p = view(model).payload;
    assert.deepEqual(p.nodes.map((n) => n.title), ["input", "0", "2", "0", "2", "output"]);
    assert.deepEqual(p.clusters.map((c) => [c.id, c.label, c.parent]), [
      ["c:head#1", "head · Sequential", null],
      ["c:tail#1", "tail · Sequential", null],
    ]);
    const first = p.nodes[1];
    assert.equal(first.type, "Conv2d");
    assert.equal(first.args, "3, 20, 5");
    assert.deepEqual(first.folded, ["ReLU"]);
    assert.equal(first.shape, "(1, 20, 28, 28)");
    assert.equal(first.params, 1520);
    assert.equal(first.parent, "c:head#1");
    assert.match(first.tooltip, /^head\.0 · Conv2d\nConv2d\(in_channels=3, out_channels=20, kernel_size=5,/);
    assert.deepEqual(wires(p), [
      "input → 0 (1, 3, 32, 32)",
      "0 → 2 (1, 20, 28, 28)",
      "2 → 0 (1, 64, 24, 24)",
      "0 → 2 (1, 32, 20, 20)",
      "2 → output (1, 3, 16, 16)",
    ]);
    assert.ok(p.edges.every((e) => !e.labelled));
  });

  it("keeps every layer without folding, and costs add up to the model's FLOPs either way", () => {
    const { model } = modelOf("examples/seed_networks.py", "Network");
    const plain = view(model, { fold: false }).payload;
    assert.equal(plain.nodes.length, 10);
    assert.equal(plain.edges.length, 9);
    assert.deepEqual(plain.nodes.slice(1, 3).map((n) => [n.title, n.type]), [["0", "Conv2d"], ["1", "ReLU"]]);
    for (const p of [plain, view(model).payload]) {
      const sum = p.nodes.reduce((s, n) => s + (n.cost ?? 0), 0);
      assert.equal(sum, model.report.flops);
      assert.ok(Math.abs(p.nodes.reduce((s, n) => s + n.share, 0) - 1) < 1e-9);
      assert.equal(Math.max(...p.nodes.map((n) => n.heat)), 1);
    }
    assert.equal(node(view(model).payload, "0", 1).heat, 1, "tail.0 is the heaviest");
  });

  it("joins a residual add from both branches, inside the unit's frame", () => {
    const { model } = modelOf("custom_forward/residual_add.py", "ResidualNet");
    const p = view(model).payload;
    const add = node(p, "add");
    assert.equal(add.parent, "c:unit1#1");
    assert.deepEqual(add.folded, ["relu"]);
    assert.deepEqual(
      wires(p).filter((w) => w.includes("→ add")),
      ["entry → add (2, 32, 32, 32)", "bn2 → add (2, 32, 32, 32)", "max_pool2d → add (2, 32, 16, 16)", "bn2 → add (2, 32, 16, 16)"],
    );
    assert.deepEqual(node(p, "entry").folded, ["relu"], "F.relu(self.entry(x)) folds although its output feeds two places");
    assert.equal(node(p, "mean").shape, "(2, 32)");
  });

  it("collapses a module call into one box that keeps its wires", () => {
    const { model } = modelOf("custom_forward/residual_add.py", "ResidualNet");
    const p = view(model, { collapsed: new Set(["unit1"]) }).payload;
    const unit = node(p, "unit1");
    assert.equal(unit.kind, "group");
    assert.equal(unit.type, "ResidualUnit");
    assert.equal(unit.groupPath, "unit1");
    assert.equal(unit.args, "4 layers, 3 ops");
    assert.equal(unit.params, 2 * 9216 + 2 * 64);
    assert.equal(unit.shape, "(2, 32, 32, 32)");
    assert.deepEqual(
      wires(p).filter((w) => w.includes("unit1")),
      ["entry → unit1 (2, 32, 32, 32)", "unit1 → max_pool2d (2, 32, 32, 32)"],
    );
    assert.deepEqual(p.clusters.map((c) => c.id), ["c:unit2#1"]);
    const full = view(model).payload;
    const inside = full.nodes.filter((n) => n.parent === "c:unit1#1");
    assert.equal(unit.cost, inside.reduce((s, n) => s + (n.cost ?? 0), 0));
  });

  it("joins torch.cat from the upsampled path and the skip (U-Net), also with the encoder collapsed", () => {
    const { model } = modelOf("custom_forward/unet_tiny.py", "TinyUNet");
    const p = view(model).payload;
    assert.deepEqual(
      wires(p).filter((w) => w.includes("→ cat")),
      ["up2 → cat (1, 16, 32, 32)", "c2 → cat (1, 16, 32, 32)", "up1 → cat (1, 8, 64, 64)", "c2 → cat (1, 8, 64, 64)"],
    );
    assert.equal(node(p, "cat").shape, "(1, 32, 32, 32)");
    assert.equal(p.nodes.length, 19);
    const collapsed = view(model, { collapsed: new Set(["enc1", "enc2"]) }).payload;
    assert.deepEqual(
      wires(collapsed).filter((w) => w.includes("→ cat")),
      ["up2 → cat (1, 16, 32, 32)", "enc2 → cat (1, 16, 32, 32)", "up1 → cat (1, 8, 64, 64)", "enc1 → cat (1, 8, 64, 64)"],
    );
  });

  it("shows a module called twice as two calls: two frames, or two boxes in flow order", () => {
    const { model } = modelOf("structure/reused_block.py", "RecurrentRefiner");
    assert.deepEqual(
      moduleCalls(model.graph.nodes).map((chain) => chain.map((c) => c.id).join("/")),
      ["", "", "refine#1", "refine#1", "refine#2", "refine#2", "", ""],
    );
    const open = view(model).payload;
    assert.deepEqual(open.clusters.map((c) => c.label), ["refine #1 · Sequential", "refine #2 · Sequential"]);
    const shut = view(model, { collapsed: new Set(["refine"]) }).payload;
    assert.deepEqual(shut.nodes.map((n) => n.id), ["n0", "n1", "g:refine#1", "g:refine#2", "n6", "n7"]);
    assert.deepEqual(wires(shut), [
      "input → encode (1, 3, 32, 32)",
      "encode → refine #1 (1, 24, 32, 32)",
      "refine #1 → refine #2 (1, 24, 32, 32)",
      "refine #2 → decode (1, 24, 32, 32)",
      "decode → output (1, 3, 32, 32)",
    ]);
  });

  it("names boxes inside nested frames relative to their frame and tells calls of a block apart", () => {
    const { model } = modelOf("extra/densenet_tiny.py", "TinyDenseNet");
    const p = view(model).payload;
    const layer = p.clusters.find((c) => c.path === "features.denseblock1.denselayer1");
    assert.ok(layer);
    assert.equal(layer.label, "denselayer1 · DenseLayer");
    assert.equal(p.clusters.find((c) => c.id === layer.parent)?.label, "denseblock1 · DenseBlock");
    assert.ok(p.nodes.some((n) => n.title === "conv2" && n.parent === layer.id));
    assert.equal(new Set(p.clusters.map((c) => c.path)).size, p.clusters.length, "one call per block");
  });

  it("starts deep models collapsed to a readable size", () => {
    const { model } = modelOf("structure/bottleneck_expansion.py", "MiniResNet50");
    const opts = { fold: true, useMacs: false };
    assert.equal(defaultCollapsed(model, opts).size, 0);
    const some = defaultCollapsed(model, opts, 30);
    assert.ok(some.has("stage1.0") && !some.has("stage1"));
    assert.ok(view(model, { collapsed: some }).payload.nodes.length <= 30);
  });

  it("finds the boxes at the cursor, folded layers included", () => {
    const { model, text } = modelOf("custom_forward/residual_add.py", "ResidualNet");
    const v = view(model);
    const at = (s: string, delta = 2) => idsAt(v, text.indexOf(s) + delta);
    assert.deepEqual(at("nn.Conv2d(3, width"), [node(v.payload, "entry").id]);
    // F.relu(x + y) in ResidualUnit.forward: the add of both units (the relu is folded into them)
    assert.deepEqual(at("F.relu(x + y)"), [node(v.payload, "add").id, node(v.payload, "add", 1).id]);
    assert.deepEqual(at("ResidualUnit(width)\n        self.unit2"), ["c:unit1#1"]);
  });

  it("prints key constructor arguments as PyTorch's repr does, equal tuple sizes as one", () => {
    assert.equal(keyArgs("Conv2d", { in_channels: 3, out_channels: 20, kernel_size: 5, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, padding_mode: "zeros", device: null, dtype: null }), "3, 20, 5");
    assert.equal(keyArgs("Conv2d", { in_channels: 32, out_channels: 32, kernel_size: [3, 3], stride: [2, 2], padding: 1, dilation: 1, groups: 1, bias: false, padding_mode: "zeros", device: null, dtype: null }), "32, 32, 3, stride=2, padding=1, bias=False");
    assert.equal(keyArgs("MaxPool2d", { kernel_size: [2, 3], stride: null, padding: 0, dilation: 1, return_indices: false, ceil_mode: false }), "(2, 3)");
    assert.equal(keyArgs("Linear", { in_features: 32, out_features: 10, bias: true, device: null, dtype: null }), "32, 10");
    assert.equal(keyArgs("MyBlock", { x: 1 }), "");
  });

  it("has bars of the ten heaviest layers plus the rest, and totals", () => {
    const { model } = modelOf("custom_forward/residual_add.py", "ResidualNet");
    const p = view(model).payload;
    assert.equal(p.bars.cost.length, 11);
    assert.deepEqual(p.bars.cost.slice(0, 2).map((b) => [b.label, b.text]), [
      ["unit1.conv1 (Conv2d)", "37.7M (38%)"],
      ["unit1.conv2 (Conv2d)", "37.7M (38%)"],
    ]);
    const rest = p.bars.cost[10];
    assert.equal(rest.rest, true);
    assert.match(rest.label, /^rest \(\d+ more\)$/);
    assert.equal(p.bars.cost.reduce((s, b) => s + b.value, 0), model.report.flops);
    assert.equal(p.bars.params.reduce((s, b) => s + b.value, 0), model.report.params);
    assert.deepEqual(p.totals, {
      input: "(2, 3, 32, 32)",
      output: "(2, 10)",
      params: "38.3K (38,346)",
      trainable: "38.3K (38,346)",
      cost: "98.5M (98,452,736)",
      costName: "FLOPs",
      layerCalls: 10,
      notes: [],
    });
    const macs = view(model, { useMacs: true }).payload;
    assert.equal(macs.totals.costName, "MACs");
    assert.match(node(macs, "conv1").figures, /9\.22K params · 18\.9M MACs/);
  });

  it("puts a module built inside forward (no path) in the frame of the block whose forward built it", () => {
    const { model } = modelOf("extra3_structure/inline_modules.py", "BlockStack");
    const p = view(model, { fold: false }).payload;
    assert.deepEqual([node(p, "ReLU", 0).parent, node(p, "ReLU", 1).parent, node(p, "Hardtanh").parent], ["c:blocks.0#1", "c:blocks.1#1", null]);
    assert.match(node(p, "Hardtanh").tooltip, /^built inside forward, not a submodule · Hardtanh\n/);
    // each block is one call: the built-in ReLU of block 1 does not start a second call of block 0
    assert.deepEqual(p.clusters.map((c) => c.id), ["c:blocks#1", "c:blocks.0#1", "c:blocks.1#1"]);
    // cost bars by constructor call; parameter bars hold only the model's parameters
    assert.ok(p.bars.cost.some((b) => b.label === "ReLU (line 45)"));
    assert.equal(p.bars.params.reduce((s, b) => s + b.value, 0), model.report.params);
  });

  it("cuts bars after the top N and leaves no rest when nothing is left", () => {
    const spot = { from: null, to: null, line: null };
    const parts = [5, 1, 3, 0, 2].map((value, i) => ({ key: `k${i}`, label: `l${i}`, value, spot }));
    const top2 = topBars("cost", parts, 20, 2);
    assert.deepEqual(top2.bars.map((b) => [b.label, b.value, b.text]), [
      ["l0", 5, "5 (25%)"],
      ["l2", 3, "3 (15%)"],
      ["rest (2 more)", 12, "12 (60%)"],
    ]);
    assert.deepEqual([...top2.spots.keys()], ["b:cost:0", "b:cost:1"]);
    assert.equal(topBars("params", parts, null, 10).bars.length, 4);
  });

  it("explains an untraced model instead of drawing it, and the payload survives postMessage", () => {
    const { model } = modelOf("custom_forward/unet_tiny.py", "DoubleConv");
    const p = view(model).payload;
    assert.equal(p.nodes.length, 0);
    assert.equal(p.message, "DoubleConv was not analysed: not constructible without arguments (TypeError).");
    const full = view(modelOf("custom_forward/unet_tiny.py", "TinyUNet").model).payload;
    assert.deepEqual(JSON.parse(JSON.stringify(full)), full);
  });
});
