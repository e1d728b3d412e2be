// Inlay-hint label text: shapes, counts, metric selection, sites with several calls, model totals (no vscode).
import * as assert from "node:assert/strict";
import {
  countText,
  DEFAULT_DISPLAY,
  layerLabel,
  modelLabel,
  shapeText,
  siteLabel,
  statusText,
  truncate,
  type DisplayOptions,
  type LayerFigures,
} from "../../src/extension/hintText";
import type { ModelReport } from "../../src/python/report";

const conv: LayerFigures = { output: [1, 20, 28, 28], params: 1520, macs: 1176000, flops: 2352000, rf: 5, jump: 1, traced: true, module: 1 };
const relu: LayerFigures = { output: [1, 20, 28, 28], params: 0, macs: 0, flops: 15680, rf: 5, jump: 1, traced: true, module: 2 };
const opts = (o: Partial<DisplayOptions> = {}): DisplayOptions => ({ ...DEFAULT_DISPLAY, maxLength: 0, ...o });

function model(o: Partial<ModelReport> = {}): ModelReport {
  return {
    name: "Network",
    line: 4,
    input: [[1, 3, 32, 32]],
    output: [1, 3, 16, 16],
    params: 87219,
    trainableParams: 87219,
    macs: 40702400,
    flops: 81470912,
    layers: [],
    ...o,
  };
}

describe("extension hint text", () => {
  it("formats counts compactly or in full", () => {
    assert.equal(countText(1520, "compact"), "1.52K");
    assert.equal(countText(87219, "compact"), "87.2K");
    assert.equal(countText(1520, "full"), "1,520");
    assert.equal(countText(null, "compact"), "unknown");
  });

  it("formats shapes: concrete, symbolic, unknown dims, tuples", () => {
    assert.equal(shapeText([1, 20, 28, 28]), "(1, 20, 28, 28)");
    assert.equal(shapeText(["N", 20, "H-4", "W-4"]), "(N, 20, H-4, W-4)");
    assert.equal(shapeText([1, null, 3]), "(1, ?, 3)");
    assert.equal(shapeText([[4, 30, 96], [[4, 4, 48], [4, 4, 48]]]), "[(4, 30, 96), [(4, 4, 48), (4, 4, 48)]]");
    assert.equal(shapeText(null), "unknown");
  });

  it("labels one layer call with the chosen metrics", () => {
    assert.equal(layerLabel(conv, opts()), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5");
    assert.equal(layerLabel(conv, opts({ useMacs: true })), "(1, 20, 28, 28) · 1.52K params · 1.18M MACs · RF 5");
    assert.equal(layerLabel(conv, opts({ numberFormat: "full", metrics: ["params", "flops"] })), "1,520 params · 2,352,000 FLOPs");
    assert.equal(layerLabel(conv, opts({ metrics: ["rf", "shape"] })), "RF 5 · (1, 20, 28, 28)");
    assert.equal(layerLabel(relu, opts()), "(1, 20, 28, 28) · 15.7K FLOPs · RF 5", "zero params left out");
    assert.equal(layerLabel({ ...conv, rf: "global", jump: null }, opts()), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF global");
    assert.equal(layerLabel({ ...conv, rf: [5, 3] }, opts()), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF [5, 3]");
    assert.equal(layerLabel({ ...conv, rf: null }, opts()), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs", "no spatial dims: no RF");
    assert.equal(layerLabel({ ...conv, params: 1 }, opts({ metrics: ["params"] })), "1 param");
  });

  it("says unknown rather than guessing", () => {
    const symbolic: LayerFigures = { ...conv, output: ["N", 20, "H-4", "W-4"], macs: null, flops: null };
    assert.equal(layerLabel(symbolic, opts()), "(N, 20, H-4, W-4) · 1.52K params · unknown FLOPs · RF 5");
    assert.equal(layerLabel({ ...conv, output: null }, opts()), "unknown · 1.52K params · 2.35M FLOPs · RF 5");
  });

  it("labels a layer forward never reached with its parameters only, and a failing one as an error", () => {
    const untraced: LayerFigures = { output: undefined, params: 32064, macs: null, flops: null, rf: null, jump: null, traced: false };
    assert.equal(layerLabel(untraced, opts()), "32.1K params");
    assert.equal(layerLabel({ ...untraced, unused: true }, opts()), "not called in forward · 32.1K params");
    assert.equal(layerLabel({ ...conv, params: 520, error: true, output: null, macs: null, flops: null, rf: null }, opts()), "error · 520 params");
  });

  it("labels a built-in composite with its layers, params and a lower bound on FLOPs", () => {
    const composite: LayerFigures = { ...conv, output: undefined, params: 8544, flops: 918528, rf: null, composite: { type: "TransformerEncoderLayer", layers: 8 } };
    assert.equal(layerLabel(composite, opts()), "8 layers · 8.54K params · ≥919K FLOPs");
  });

  it("labels a site with one call, the same result several times, or different results", () => {
    assert.equal(siteLabel([conv], opts()), "(1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5");
    assert.equal(siteLabel([conv, conv, conv], opts()), "×3 (1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5");
    // one module called twice: params once, FLOPs per call agree, the RF differs
    assert.equal(siteLabel([conv, { ...conv, rf: 9 }], opts()), "×2 (1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5 | 9");
    // modules built in a loop: distinct shapes, totals marked Σ
    const second: LayerFigures = { ...conv, module: 3, output: [1, 64, 24, 24], params: 32064, flops: 36864000, rf: 9 };
    const third: LayerFigures = { ...conv, module: 4, output: [1, 32, 20, 20], params: 51232, flops: 40960000, rf: 13 };
    assert.equal(siteLabel([conv, second], opts()), "×2 (1, 20, 28, 28) | (1, 64, 24, 24) · Σ 33.6K params · Σ 39.2M FLOPs · RF 5 | 9");
    assert.equal(
      siteLabel([conv, second, third], opts()),
      "×3 (1, 20, 28, 28) | (1, 64, 24, 24) | … · Σ 84.8K params · Σ 80.2M FLOPs · RF 5 | 9 | 13",
    );
    // a failing call among them: every distinct label
    const failed: LayerFigures = { ...second, error: true, output: null, macs: null, flops: null, rf: null };
    assert.equal(siteLabel([conv, failed], opts()), "×2: (1, 20, 28, 28) · 1.52K params · 2.35M FLOPs · RF 5 | error · 32.1K params");
    assert.equal(siteLabel([], opts()), "");
  });

  it("cuts long labels with an ellipsis", () => {
    assert.equal(truncate("abcdef", 4), "abc…");
    assert.equal(truncate("abcdef", 0), "abcdef");
    assert.equal(siteLabel([conv], opts({ maxLength: 20 })), "(1, 20, 28, 28) · 1…");
  });

  it("labels a model with its input, output and totals", () => {
    assert.equal(modelLabel(model(), opts()), "input (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 81.5M FLOPs");
    assert.equal(modelLabel(model(), opts({ useMacs: true })), "input (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K params · 40.7M MACs");
    assert.equal(modelLabel(model({ input: null, output: null, macs: null, flops: null }), opts()), "input unknown · 87.2K params");
    assert.equal(
      modelLabel(model({ input: [["N", 3, "H", "W"]], output: ["N", 3, "H-16", "W-16"], macs: null, flops: null }), opts()),
      "input (N, 3, H, W) → (N, 3, H-16, W-16) · 87.2K params · unknown FLOPs",
    );
    assert.equal(modelLabel(model({ output: null, truncated: true, macs: null, flops: null }), opts()), "input (1, 3, 32, 32) → error · 87.2K params");
    assert.equal(modelLabel(model({ trainableParams: 1000 }), opts({ metrics: ["params"] })), "87.2K params (1K trainable)");
    assert.equal(modelLabel(model({ params: null, error: "not constructible without arguments (TypeError)" }), opts()), null);
    assert.equal(modelLabel(model({ input: [[1, 3, 32, 32], [1, 10]] }), opts({ metrics: ["shape"] })), "input (1, 3, 32, 32), (1, 10) → (1, 3, 16, 16)");
  });

  it("gives the status bar the model's params and cost", () => {
    assert.equal(statusText(model(), opts()), "Network: 87.2K params · 81.5M FLOPs");
    assert.equal(statusText(model({ input: null }), opts()), "Network: 87.2K params");
  });
});
