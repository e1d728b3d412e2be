// The model tree's structure (nesting from dotted paths, repeated calls) and row texts, on the fixtures' real-PyTorch reports.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildLayerTree, flattenLayerTree, groupTotals, type LayerGroup, type LayerNode } from "../../src/extension/layerTree";
import { groupDescription, layerDescription, layerTooltip, modelDescription, modelTooltip, rowLabel } from "../../src/extension/treeText";
import { analyzeSource } from "../../src/python/analyze";
import type { ModelReport, Report } from "../../src/python/report";

const fixtures = path.resolve(__dirname, "../fixtures");

function model(file: string, name?: string): ModelReport {
  const r = JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8")) as Report;
  const m = name ? r.models.find((x) => x.name === name) : r.models[0];
  assert.ok(m, `${name} in ${file}`);
  return m;
}

/** "head[0 1 2 3]"-style outline: groups with their children, leaves by name, call numbers where repeated. */
function outline(nodes: readonly LayerNode[]): string {
  return nodes
    .map((n) => {
      const call = n.calls > 1 ? `#${n.call}` : "";
      return n.kind === "group" ? `${n.name}${call}[${outline(n.children)}]` : `${n.name}${call}`;
    })
    .join(" ");
}

const compact = { macs: false, numberFormat: "compact" as const };

describe("model tree", () => {
  it("nests head_tail's layers under head and tail", () => {
    const m = model("seed/head_tail.expected.json");
    const tree = buildLayerTree(m.layers);
    assert.equal(outline(tree), "head[0 1 2 3] tail[0 1 2 3]");
    const head = tree[0] as LayerGroup;
    assert.equal(head.path, "head");
    assert.deepEqual([head.first, head.last], [0, 3]);
    assert.deepEqual(groupTotals(head, m.layers), { output: [1, 64, 24, 24], params: 33584, macs: 19608000, flops: 39268544, error: false });
  });

  it("a container called twice appears as its two calls, in order; parameters counted once per call", () => {
    const m = model("structure/reused_block.expected.json");
    const tree = buildLayerTree(m.layers);
    assert.equal(outline(tree), "encode refine#1[0 1] refine#2[0 1] decode");
    const second = tree[2] as LayerGroup;
    assert.deepEqual([second.first, second.last], [3, 4]);
    assert.equal(groupTotals(second, m.layers).params, 5208);
  });

  it("a leaf called several times in one block stays in that block; deep nesting follows the paths", () => {
    const m = model("structure/bottleneck_expansion.expected.json", "MiniResNet50");
    const tree = buildLayerTree(m.layers);
    const stage1 = tree.find((n) => n.name === "stage1") as LayerGroup;
    assert.equal(outline(stage1.children), "0[conv1 bn1 relu#1 conv2 bn2 relu#2 conv3 bn3 downsample[0 1] relu#3]");
    const stage2 = tree.find((n) => n.name === "stage2") as LayerGroup;
    assert.deepEqual(stage2.children.map((n) => n.name), ["0", "1"]);
    assert.equal(outline(tree.slice(-2)), "pool fc");
    // every leaf call appears exactly once, in forward order
    const leaves = flattenLayerTree(tree).filter((r) => r.node.kind === "layer").map((r) => (r.node as { index: number }).index);
    assert.deepEqual(leaves, m.layers.map((_, i) => i));
  });

  it("four levels of custom blocks", () => {
    const m = model("structure/nested_blocks.expected.json", "Backbone");
    assert.equal(
      outline(buildLayerTree(m.layers)),
      "stem[conv bn act] stage1[blocks[0[a[conv bn act] b[conv bn act]]]] stage2[blocks[0[a[conv bn act] b[conv bn act]] 1[a[conv bn act] b[conv bn act]]]]",
    );
  });

  it("interleaved calls of a container give separate groups; top-level leaves stay top-level", () => {
    const paths = ["a.x", "b", "a.y", "c.0", "c.1", "c.0", "c.1"].map((p) => ({ path: p }));
    assert.equal(outline(buildLayerTree(paths)), "a#1[x] b a#2[y] c#1[0 1] c#2[0 1]");
    assert.equal(outline(buildLayerTree([{ path: "" }])), "");
    assert.equal(buildLayerTree([{ path: "" }])[0].kind, "layer");
  });

  it("a module built inside forward (path null) is named by its type, in the block whose forward built it", () => {
    const file = path.join(fixtures, "extra3_structure/inline_modules.py");
    const m = analyzeSource(fs.readFileSync(file, "utf8")).models.find((x) => x.report.name === "BlockStack")!;
    assert.equal(m.report.layers[1].path, null);
    const scopes = m.entries.map((e) => e.scope);
    assert.deepEqual(scopes.slice(0, 3), [undefined, "blocks.0", undefined]);
    const tree = buildLayerTree(m.report.layers, scopes);
    assert.equal(outline(tree), "stem blocks[0[ReLU conv1 LeakyReLU conv2] 1[ReLU conv1 LeakyReLU conv2]] Hardtanh head");
    // from the report alone: where the next leaf call continues
    assert.equal(outline(buildLayerTree(m.report.layers)), "stem ReLU blocks[0[conv1 LeakyReLU conv2] ReLU 1[conv1 LeakyReLU conv2]] Hardtanh head");
    // several built at one level are told apart by number; a group counts none of their parameters
    const rows = [
      { path: "a.x", params: 5 },
      { path: null, type: "Conv1d", line: 9, params: 7 },
      { path: null, type: "Conv1d", line: 10, params: 7 },
      { path: "a.y", params: 1 },
      { path: null, type: "Tanh", line: 11, params: 0 },
    ];
    const t2 = buildLayerTree(rows);
    assert.equal(outline(t2), "a[x Conv1d#1 Conv1d#2 y] Tanh");
    const full = rows.map((r) => ({ type: "Conv1d", line: 1, output: null, macs: 0, flops: 0, rf: null, jump: null, ...r })) as ModelReport["layers"];
    assert.equal(groupTotals(t2[0] as LayerGroup, full).params, 6);
    assert.match(layerTooltip(m.report.layers[1]), /^\*\*ReLU\*\* · built inside forward, not a submodule · line 45/);
  });

  it("row labels and descriptions", () => {
    const m = model("seed/head_tail.expected.json");
    assert.equal(rowLabel("0", "Conv2d", 1, 1), "0 (Conv2d)");
    assert.equal(rowLabel("refine", "Sequential", 2, 2), "refine (Sequential) #2");
    assert.equal(layerDescription(m.layers[0], compact), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs");
    assert.equal(layerDescription(m.layers[0], { macs: true, numberFormat: "full" }), "(1, 20, 28, 28) · 1,520 params · 1,176,000 MACs");
    assert.equal(modelDescription(m, compact), "(1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs");
    const head = buildLayerTree(m.layers)[0] as LayerGroup;
    assert.equal(groupDescription(groupTotals(head, m.layers), compact), "(1, 64, 24, 24) · 33.6K params · 39.3M FLOPs");
    assert.equal(layerDescription({ ...m.layers[0], error: true }, compact), "error · 1.52K params");
  });

  it("models that cannot be built show why", () => {
    const b = model("structure/bottleneck_expansion.expected.json", "Bottleneck");
    assert.equal(modelDescription(b, compact), "not constructible without arguments (TypeError)");
    assert.match(modelTooltip(b), /_not constructible without arguments \(TypeError\)_/);
  });

  it("tooltips list every figure", () => {
    const m = model("seed/head_tail.expected.json");
    const t = layerTooltip(m.layers[0]);
    assert.match(t, /^\*\*head\.0\*\* `Conv2d` · line 12/);
    for (const part of ["Output: `(1, 20, 28, 28)`", "Parameters: 1,520", "MACs: 1,176,000", "FLOPs: 2,352,000", "Receptive field: 5", "Jump: 1"]) {
      assert.ok(t.includes(part), part);
    }
    const up = model("seed/convtranspose_3x3.expected.json");
    assert.match(layerTooltip(up.layers[0]), /Jump: 0\.5/);
    const mt = modelTooltip(m);
    for (const part of ["Input: `(1, 3, 32, 32)`", "Output: `(1, 3, 16, 16)`", "Parameters: 87,219", "MACs: 40,702,400", "FLOPs: 81,470,912"]) {
      assert.ok(mt.includes(part), part);
    }
    assert.match(modelTooltip({ ...m, input: null }), /Set Input Shape/);
    assert.match(mt, /^\*\*Network\*\* · line 6\n\nInput: /);
  });
});
