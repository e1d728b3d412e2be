// The vscode-free parts of the commands: reading typed shapes, placing the pragma, the model at the cursor, the training-loop snippet.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parser } from "@lezer/python";
import { applyLineEdit, parseShapeInput, pragmaEdit, pragmaText } from "../../src/extension/inputShape";
import { modelIndexAt, modelIndexBefore, modelStatementRanges } from "../../src/extension/modelAt";
import { expandSnippetDefaults, TRAINING_LOOP_SNIPPET } from "../../src/extension/trainingLoop";
import { findPragma } from "../../src/python/pragma";

const fixtures = path.resolve(__dirname, "../fixtures");

describe("command helpers", () => {
  describe("typed input shapes", () => {
    const ok: [string, (number | string)[][]][] = [
      ["(1, 3, 224, 224)", [[1, 3, 224, 224]]],
      ["1, 3, 224, 224", [[1, 3, 224, 224]]],
      ["[1,3,224,224]", [[1, 3, 224, 224]]],
      ["  (1, 3, 32, 32), (1, 10) ", [[1, 3, 32, 32], [1, 10]]],
      ["[(1, 3, 32, 32), (1, 10)]", [[1, 3, 32, 32], [1, 10]]],
      ["(N, 3, H, W)", [["N", 3, "H", "W"]]],
      ["(8,)", [[8]]],
    ];
    for (const [text, shapes] of ok) it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseShapeInput(text).shapes, shapes));
    const bad = ["", "(1, 0, 3)", "(1, 3.5)", "(1, , 3)", "(1, 3) x", "(1, -3)", "(1, 3", "abc def"];
    for (const text of bad) it(`rejects ${JSON.stringify(text)} with a message`, () => assert.ok(parseShapeInput(text).error));
  });

  describe("the pragma edit (spec §5)", () => {
    const shapes = [[1, 3, 64, 64]];
    it("inserts a new comment line above the class, indented like it", () => {
      const lines = ["import torch", "", "class Net(nn.Module):", "    pass"];
      const e = pragmaEdit(lines, 3, shapes);
      assert.deepEqual(e, { kind: "insert", line: 2, from: 0, to: 0, text: "# shape-lens: input=(1, 3, 64, 64)\n" });
      const after = applyLineEdit(lines, e);
      assert.equal(after[2], "# shape-lens: input=(1, 3, 64, 64)");
      assert.deepEqual(findPragma(after, 4), shapes, "the analysis reads the pragma back");
      assert.equal(pragmaEdit(["if True:", "    net = nn.Sequential(nn.ReLU())"], 2, shapes).text, "    # shape-lens: input=(1, 3, 64, 64)\n");
    });
    it("rewrites an existing pragma on the line above, even a broken one", () => {
      for (const old of ["# shape-lens: input=(1, 3, 32, 32)", "#shape-lens:input=", "  # shape-lens: input=(N, 3, H, W), (1, 10)"]) {
        const lines = ["import torch", old, "class Net(nn.Module):"];
        const after = applyLineEdit(lines, pragmaEdit(lines, 3, shapes));
        assert.equal(after.length, 3);
        assert.equal(after[1], old.slice(0, old.indexOf("#")) + "# shape-lens: input=(1, 3, 64, 64)");
      }
    });
    it("rewrites a trailing pragma on the model line in place", () => {
      const lines = ["class Net(nn.Module):  # shape-lens: input=(1, 3, 32, 32)"];
      assert.deepEqual(applyLineEdit(lines, pragmaEdit(lines, 1, [[2, 8]])), ["class Net(nn.Module):  # shape-lens: input=(2, 8)"]);
    });
    it("writes several inputs and named dims", () => {
      assert.equal(pragmaText([["N", 3, "H", "W"], [1, 10]]), "# shape-lens: input=(N, 3, H, W), (1, 10)");
    });
  });

  describe("the model at the cursor", () => {
    const text = fs.readFileSync(path.join(fixtures, "structure/bottleneck_expansion.py"), "utf8");
    const offsetOf = (needle: string): number => {
      const i = text.indexOf(needle);
      assert.ok(i >= 0, needle);
      return i;
    };
    const models = [
      { from: offsetOf("Bottleneck(nn.Module)"), to: offsetOf("Bottleneck(nn.Module)") + "Bottleneck".length },
      { from: offsetOf("MiniResNet50(nn.Module)"), to: offsetOf("MiniResNet50(nn.Module)") + "MiniResNet50".length },
    ];
    it("finds each class's whole statement", () => {
      const ranges = modelStatementRanges(text, models);
      assert.equal(text.slice(ranges[0].from, ranges[0].from + 16), "class Bottleneck");
      assert.match(text.slice(ranges[0].from, ranges[0].to).trimEnd(), /return self\.relu\(out\)$/);
      assert.match(text.slice(ranges[1].from, ranges[1].to).trimEnd(), /return self\.fc\(x\)$/);
    });
    it("picks the class whose body holds the cursor, none in driver code", () => {
      assert.equal(modelIndexAt(text, models, offsetOf("out = out + identity")), 0);
      assert.equal(modelIndexAt(text, models, offsetOf("self.inplanes = 32")), 1);
      assert.equal(modelIndexAt(text, models, offsetOf("logits = model(")), -1);
      assert.equal(modelIndexBefore(models, offsetOf("logits = model(")), 1);
      assert.equal(modelIndexBefore(models, 0), -1);
    });
    it("a module-level nn.Sequential assignment is one statement", () => {
      const src = "import torch.nn as nn\n\nnet = nn.Sequential(\n    nn.Linear(4, 8),\n    nn.ReLU(),\n)\nprint(net)\n";
      const m = [{ from: src.indexOf("net ="), to: src.indexOf("net =") + 3 }];
      assert.equal(modelIndexAt(src, m, src.indexOf("nn.ReLU")), 0);
      assert.equal(modelIndexAt(src, m, src.indexOf("print")), -1);
    });
  });

  describe("the training-loop snippet", () => {
    const code = expandSnippetDefaults(TRAINING_LOOP_SNIPPET);
    it("expands to valid Python", () => {
      const tree = parser.parse(code);
      let errors = 0;
      tree.iterate({ enter: (n) => void (n.type.isError && errors++) });
      assert.equal(errors, 0, code);
      assert.ok(!code.includes("$"), "no tab-stop syntax left");
    });
    it("has the parts a correct loop needs, in order", () => {
      const parts = [
        'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
        "model.to(device)",
        "optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)",
        "criterion = torch.nn.CrossEntropyLoss()",
        "for epoch in range(10):",
        "    model.train()",
        "        inputs, targets = inputs.to(device), targets.to(device)",
        "        optimizer.zero_grad()",
        "        loss = criterion(outputs, targets)",
        "        loss.backward()",
        "        optimizer.step()",
        "    model.eval()",
        "    with torch.no_grad():",
        "        for inputs, targets in val_loader:",
      ];
      let at = -1;
      for (const p of parts) {
        const i = code.indexOf(p, at + 1);
        assert.ok(i > at, `${p} after the previous part`);
        at = i;
      }
      assert.ok(code.indexOf("optimizer.zero_grad()") < code.indexOf("loss.backward()"));
      assert.ok(!/no_grad\(\):[\s\S]*\.backward\(\)/.test(code), "no backward pass under no_grad");
    });
    it("ties every use of the model to one tab stop", () => {
      assert.equal(TRAINING_LOOP_SNIPPET.match(/\$\{1:model\}/g)?.length, 6);
      assert.ok(TRAINING_LOOP_SNIPPET.includes("lr=${2:1e-3}"));
    });
  });
});
