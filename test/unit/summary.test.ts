// Summary renderings (text table, Markdown, CSV, JSON) checked row by row against the fixtures' real-PyTorch reports.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { rfText, shapeText, summaryCsv, summaryJson, summaryLineLinks, summaryMarkdown, summaryTable } from "../../src/extension/summaryFormat";
import type { ModelReport, Report } from "../../src/python/report";

const fixtures = path.resolve(__dirname, "../fixtures");

function model(file: string, name?: string): ModelReport {
  const r = JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8")) as Report;
  const m = name ? r.models.find((x) => x.name === name) : r.models[0];
  assert.ok(m, `${name} in ${file}`);
  return m;
}

describe("summary formats", () => {
  const headTail = model("seed/head_tail.expected.json");

  it("shape and receptive-field text", () => {
    assert.equal(shapeText([1, 20, 28, 28]), "(1, 20, 28, 28)");
    assert.equal(shapeText(["N", 3, "H-4", null]), "(N, 3, H-4, ?)");
    assert.equal(shapeText([[1, 5], [1, 3]]), "[(1, 5), (1, 3)]");
    assert.equal(shapeText(null), "unknown");
    assert.equal(rfText({ rf: 5, jump: 1 }), "5");
    assert.equal(rfText({ rf: [3, 5], jump: [1, 2] }), "[3, 5] (jump [1, 2])");
    assert.equal(rfText({ rf: 2, jump: 0.5 }), "2 (jump 0.5)");
    assert.equal(rfText({ rf: "global", jump: null }), "global");
    assert.equal(rfText({ rf: null, jump: null }), "-");
  });

  it("Markdown: the head_tail table, row for row", () => {
    const md = summaryMarkdown(headTail, { file: "head_tail.py", macs: false }).split("\n");
    assert.equal(md[0], "### Network (head_tail.py:6)");
    assert.equal(md[2], "Input (1, 3, 32, 32) → output (1, 3, 16, 16)");
    const table = md.filter((l) => l.startsWith("|"));
    assert.deepEqual(table, [
      "| Layer | Type | Output shape | Params | FLOPs | RF |",
      "| --- | --- | --- | ---: | ---: | ---: |",
      "| `head.0` | Conv2d | (1, 20, 28, 28) | 1,520 | 2,352,000 | 5 |",
      "| `head.1` | ReLU | (1, 20, 28, 28) | 0 | 15,680 | 5 |",
      "| `head.2` | Conv2d | (1, 64, 24, 24) | 32,064 | 36,864,000 | 9 |",
      "| `head.3` | ReLU | (1, 64, 24, 24) | 0 | 36,864 | 9 |",
      "| `tail.0` | Conv2d | (1, 32, 20, 20) | 51,232 | 40,960,000 | 13 |",
      "| `tail.1` | ReLU | (1, 32, 20, 20) | 0 | 12,800 | 13 |",
      "| `tail.2` | Conv2d | (1, 3, 16, 16) | 2,403 | 1,228,800 | 17 |",
      "| `tail.3` | ReLU | (1, 3, 16, 16) | 0 | 768 | 17 |",
    ]);
    assert.ok(md.includes("**Total params:** 87,219 · **Trainable:** 87,219 · **MACs:** 40,702,400 · **FLOPs:** 81,470,912"));
  });

  it("Markdown with MACs shows the MACs column", () => {
    const md = summaryMarkdown(headTail, { file: "head_tail.py", macs: true });
    assert.ok(md.includes("| Layer | Type | Output shape | Params | MACs | RF |"));
    assert.ok(md.includes("| `head.0` | Conv2d | (1, 20, 28, 28) | 1,520 | 1,176,000 | 5 |"));
  });

  it("CSV: quoted shapes, plain integers, one row per call", () => {
    const rows = summaryCsv(headTail).trimEnd().split("\n");
    assert.equal(rows.length, 9);
    assert.equal(rows[0], "path,type,line,output,params,macs,flops,rf,jump,error");
    assert.equal(rows[1], 'head.0,Conv2d,12,"(1, 20, 28, 28)",1520,1176000,2352000,5,1,');
    assert.equal(rows[8], 'tail.3,ReLU,21,"(1, 3, 16, 16)",0,0,768,17,1,');
  });

  it("CSV: fractional jumps and per-dim receptive fields", () => {
    const up = model("seed/convtranspose_3x3.expected.json");
    assert.equal(summaryCsv(up).split("\n")[1], 'up,ConvTranspose2d,9,"(1, 1, 5, 5)",10,81,187,2,0.5,');
  });

  it("JSON: the model's entry of the report, unchanged", () => {
    assert.deepEqual(JSON.parse(summaryJson(headTail)), headTail);
  });

  it("text table: torchinfo-style tree, the model row, totals", () => {
    assert.equal(
      summaryTable(headTail, { file: "head_tail.py", macs: false }),
      [
        "Network — head_tail.py:6",
        "Input (1, 3, 32, 32) -> output (1, 3, 16, 16)",
        "====================================================================",
        "Layer (type)      Output Shape      Param #        FLOPs   RF   Line",
        "====================================================================",
        "Network           (1, 3, 16, 16)         --           --   --      6",
        "├─head            (1, 64, 24, 24)        --           --   --",
        "│  ├─0 (Conv2d)   (1, 20, 28, 28)     1,520    2,352,000   5      12",
        "│  ├─1 (ReLU)     (1, 20, 28, 28)         0       15,680   5      13",
        "│  ├─2 (Conv2d)   (1, 64, 24, 24)    32,064   36,864,000   9      14",
        "│  └─3 (ReLU)     (1, 64, 24, 24)         0       36,864   9      15",
        "└─tail            (1, 3, 16, 16)         --           --   --",
        "   ├─0 (Conv2d)   (1, 32, 20, 20)    51,232   40,960,000   13     18",
        "   ├─1 (ReLU)     (1, 32, 20, 20)         0       12,800   13     19",
        "   ├─2 (Conv2d)   (1, 3, 16, 16)      2,403    1,228,800   17     20",
        "   └─3 (ReLU)     (1, 3, 16, 16)          0          768   17     21",
        "====================================================================",
        "Total params: 87,219",
        "Trainable params: 87,219",
        "Non-trainable params: 0",
        "MACs: 40,702,400 (40.7M)",
        "FLOPs: 81,470,912 (81.5M)",
        "====================================================================",
        "",
      ].join("\n"),
    );
  });

  it("text table: container types and lines from the analysis, a block called twice as two calls", () => {
    const refiner = model("structure/reused_block.expected.json");
    const text = summaryTable(refiner, {
      file: "reused_block.py",
      macs: true,
      groupInfo: (p) => (p === "refine" ? { type: "Sequential", line: 12 } : undefined),
      diagnostics: [{ line: 13, column: 9, severity: "warning", code: "demo", message: "a message" }],
    });
    const lines = text.split("\n");
    assert.match(lines[3], /MACs/);
    assert.deepEqual(
      lines.filter((l) => l.includes("refine")).map((l) => l.replace(/\s+/g, " ")),
      ["├─refine (Sequential) #1 (1, 24, 32, 32) -- -- -- 12", "├─refine (Sequential) #2 (1, 24, 32, 32) -- -- -- 12"],
    );
    assert.equal(lines.filter((l) => l.includes("0 (Conv2d)")).length, 2);
    assert.ok(lines.some((l) => l.replace(/\s+/g, " ") === "│ ├─0 (Conv2d) (1, 24, 32, 32) 5,208 5,308,416 7 13"));
    assert.ok(lines.includes("line 13: warning: a message [demo]"));
  });

  it("text table: a model without input says how to give one; errors and truncation are stated", () => {
    const m: ModelReport = { ...headTail, input: null, output: null, macs: null, flops: null, truncated: true, layers: [{ ...headTail.layers[0], error: true, output: null, flops: null, macs: null }] };
    const text = summaryTable(m, { file: "x.py", macs: false });
    assert.match(text, /Input unknown -> output unknown/);
    assert.match(text, /# shape-lens: input=\(1, 3, 224, 224\)/);
    assert.match(text, /0 \(Conv2d\) !\s+error\s+1,520\s+-/);
    assert.match(text, /The forward stops with an error/);
    assert.match(text, /^FLOPs: unknown$/m);
  });
});

describe("summary links", () => {
  it("links the title, the Line column and diagnostics to source lines", () => {
    const r = JSON.parse(fs.readFileSync(path.join(fixtures, "seed/head_tail.expected.json"), "utf8")) as Report;
    const text = summaryTable(r.models[0], { file: "head_tail.py", macs: false, diagnostics: [{ line: 14, column: 1, severity: "error", code: "x", message: "m" }] });
    const links = summaryLineLinks(text);
    const rows = text.split("\n");
    assert.deepEqual(links.map((l) => l.target), [6, 6, 12, 13, 14, 15, 18, 19, 20, 21, 14]);
    for (const l of links) assert.equal(rows[l.line].slice(l.start, l.end), String(l.target));
    assert.equal(links[0].line, 0, "Network — head_tail.py:6");
  });
});
