// The dataflow graph the forward trace records: nodes for module calls and ops, edges with tensor shapes.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeSource, type ModelAnalysis } from "../../src/python/analyze";
import { toDot } from "../../src/python/graph";

function modelOf(fixture: string, name: string): ModelAnalysis {
  const text = fs.readFileSync(path.resolve(__dirname, "../fixtures", fixture), "utf8");
  const m = analyzeSource(text).models.find((x) => x.report.name === name);
  assert.ok(m);
  return m;
}

function edgesInto(m: ModelAnalysis, label: string): { from: string; shape: unknown }[][] {
  const g = m.graph;
  return g.nodes
    .filter((n) => n.label === label)
    .map((n) => g.edges.filter((e) => e.to === n.id).map((e) => ({ from: g.nodes[e.from].path ?? g.nodes[e.from].label, shape: e.shape })));
}

describe("dataflow graph", () => {
  it("has one node per leaf call, op, input and output on a plain chain", () => {
    const m = modelOf("seed/head_tail.py", "Network");
    assert.equal(m.graph.nodes.length, 8 + 2);
    assert.equal(m.graph.edges.length, 9);
    assert.deepEqual(m.graph.nodes.filter((n) => n.kind === "module").map((n) => n.path), m.report.layers.map((l) => l.path));
    assert.deepEqual(m.graph.edges[0].shape, [1, 3, 32, 32]);
  });

  it("joins a residual add from both branches", () => {
    const m = modelOf("custom_forward/residual_add.py", "ResidualNet");
    const adds = edgesInto(m, "add");
    assert.deepEqual(adds[0], [
      { from: "relu", shape: [2, 32, 32, 32] },
      { from: "unit1.bn2", shape: [2, 32, 32, 32] },
    ]);
    assert.deepEqual(adds[1], [
      { from: "max_pool2d", shape: [2, 32, 16, 16] },
      { from: "unit2.bn2", shape: [2, 32, 16, 16] },
    ]);
  });

  it("joins torch.cat from the upsampled path and the skip (U-Net)", () => {
    const m = modelOf("custom_forward/unet_tiny.py", "TinyUNet");
    const cats = edgesInto(m, "cat");
    assert.deepEqual(cats[0], [
      { from: "up2", shape: [1, 16, 32, 32] },
      { from: "relu", shape: [1, 16, 32, 32] },
    ]);
    assert.equal(m.graph.nodes.find((n) => n.label === "cat")!.output instanceof Array, true);
  });

  it("shows a module called twice as two nodes in flow order", () => {
    const m = modelOf("structure/reused_block.py", "RecurrentRefiner");
    const refine = m.graph.nodes.filter((n) => n.path === "refine.0");
    assert.equal(refine.length, 2);
    const second = m.graph.edges.find((e) => e.to === refine[1].id)!;
    assert.equal(m.graph.nodes[second.from].path, "refine.1");
  });

  it("has two inputs and several outputs where the model does", () => {
    const two = modelOf("custom_forward/two_inputs.py", "ImageWithMetadata");
    assert.equal(two.graph.nodes.filter((n) => n.kind === "input").length, 2);
    const multi = modelOf("custom_forward/multi_output.py", "MultiTaskNet");
    const out = multi.graph.nodes.find((n) => n.kind === "output")!;
    assert.equal(multi.graph.edges.filter((e) => e.to === out.id).length, 3);
  });

  it("prints Graphviz DOT", () => {
    const m = modelOf("seed/head_tail.py", "Network");
    const dot = toDot("Network", m.graph);
    assert.match(dot, /^digraph "Network" \{/);
    assert.match(dot, /n1 \[shape=box, label="head\.0\\nConv2d\\n\(1, 20, 28, 28\)"\];/);
    assert.match(dot, /n0 -> n1 \[label="\(1, 3, 32, 32\)"\];/);
  });
});
