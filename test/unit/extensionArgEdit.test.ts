// Quick-fix edits: locating and replacing a call argument, renaming a misspelled layer, the call or name at a position (no vscode).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { argumentEdit, argumentEditAt, isConstantText, misspelledName, renameEditAt, suggestedName, suggestInputShape, type TextEdit } from "../../src/extension/argEdit";
import { callAt, callWithCalleeAt, expressionSpanAt } from "../../src/extension/pySyntax";
import { layerRule } from "../../src/core/layers";
import { analyzeSource } from "../../src/python/analyze";
import type { ModelReport } from "../../src/python/report";

const CONV = ["in_channels", "out_channels", "kernel_size", "stride", "padding"];

function apply(text: string, e: TextEdit | null): string {
  assert.ok(e, "an edit");
  return text.slice(0, e.from) + e.insert + text.slice(e.to);
}

/** Set `arg` in the call that starts at the first `nn.` of `line`. */
function setArg(line: string, arg: string, value: string, names: readonly string[] | null = CONV): string | null {
  const text = `x = ${line}\n`;
  const found = argumentEditAt(text, text.indexOf("nn."), { arg, value }, () => names ?? undefined);
  return found ? apply(text, found.edit).slice(4, -1) : null;
}

describe("extension quick-fix edits", () => {
  it("replaces a positional argument at its declared place", () => {
    assert.equal(setArg("nn.Conv2d(1, 20, 5)", "in_channels", "3"), "nn.Conv2d(3, 20, 5)");
    assert.equal(setArg("nn.Conv2d(1, 20, 5)", "out_channels", "8"), "nn.Conv2d(1, 8, 5)");
    assert.equal(setArg("nn.Linear(16 * 5 * 5, 120)", "in_features", "256", ["in_features", "out_features", "bias"]), "nn.Linear(256, 120)");
    assert.equal(setArg("nn.Conv2d(\n    1,  # gray\n    20, 5)", "in_channels", "3"), "nn.Conv2d(\n    3,  # gray\n    20, 5)");
  });

  it("replaces a keyword argument wherever it is", () => {
    assert.equal(setArg("nn.Conv2d(in_channels=1, out_channels=20, kernel_size=5)", "in_channels", "3"), "nn.Conv2d(in_channels=3, out_channels=20, kernel_size=5)");
    assert.equal(setArg("nn.Conv2d(24, 30, 3, padding=1, groups=groups)", "groups", "3"), "nn.Conv2d(24, 30, 3, padding=1, groups=3)");
    assert.equal(setArg("nn.BatchNorm2d(num_features = 64)", "num_features", "32", null), "nn.BatchNorm2d(num_features = 32)");
  });

  it("adds a missing argument as a keyword, but never guesses inside *args or **kwargs", () => {
    assert.equal(setArg("nn.Conv2d(1, 20, 5)", "stride", "2"), "nn.Conv2d(1, 20, 5, stride=2)");
    assert.equal(setArg("nn.Conv2d(*spec)", "in_channels", "3"), null);
    assert.equal(setArg("nn.Conv2d(1, *rest)", "in_channels", "3"), "nn.Conv2d(3, *rest)");
    assert.equal(setArg("nn.Conv2d(1, *rest)", "kernel_size", "3"), null);
    assert.equal(setArg("nn.Conv2d(1, 20, **kw)", "kernel_size", "3"), null);
    assert.equal(setArg("nn.Block(1, 20)", "in_channels", "3", null), null, "unknown signature and no keyword");
  });

  it("tells constant arguments from expressions with names", () => {
    assert.ok(isConstantText("16 * 5 * 5"));
    assert.ok(isConstantText("3"));
    assert.ok(!isConstantText("c_in"));
    assert.ok(!isConstantText("self.expansion * planes"));
  });

  it("edits through the full call description", () => {
    const text = "nn.Conv2d(3, 20, kernel_size=5)";
    const call = callAt(text, 0)!;
    assert.equal(call.name, "Conv2d");
    assert.deepEqual(
      call.args.map((a) => [a.kind, a.name ?? "", text.slice(a.value.from, a.value.to)]),
      [["positional", "", "3"], ["positional", "", "20"], ["keyword", "kernel_size", "5"]],
    );
    assert.equal(apply(text, argumentEdit(call, "kernel_size", "3", CONV)), "nn.Conv2d(3, 20, kernel_size=3)");
  });

  it("renames the misspelled part of a name: nn.X, torch.x.y, F.x, or a bare name to the suggestion", () => {
    const text = "        self.features = nn.Senquential(\n            nn.ReLU(),\n        )\n";
    const at = text.indexOf("nn.Senquential");
    assert.equal(apply(text, renameEditAt(text, at, "nn.Senquential", "Sequential")), text.replace("Senquential", "Sequential"));
    const bare = "y = Conv2d(3, 8, 3)\n";
    assert.equal(apply(bare, renameEditAt(bare, 4, "Conv2d", "nn.Conv2d")), "y = nn.Conv2d(3, 8, 3)\n");
    const fn = "y = F.rellu(x)\n";
    assert.equal(apply(fn, renameEditAt(fn, 4, "nn.functional.rellu", "relu")), "y = F.relu(x)\n");
    const middle = "opt = torch.optimal.Adam(net.parameters())\n";
    assert.equal(apply(middle, renameEditAt(middle, 6, "torch.optimal", "optim")), "opt = torch.optim.Adam(net.parameters())\n");
    assert.equal(renameEditAt(fn, 4, "F.relux", "relu"), null, "no such part at the position");
  });

  it("reads the misspelled and the suggested name from the diagnostic", () => {
    assert.equal(misspelledName({ message: "torch.optimal is not a known layer - did you mean optim?" }), "torch.optimal");
    assert.equal(misspelledName({ message: "Conv2d is not defined - did you mean nn.Conv2d?" }), "Conv2d");
    // inside forward: Python's own AttributeError text
    assert.equal(misspelledName({ message: "module 'torch.nn.functional' has no attribute 'rellu' (in Net.forward, input (1, 3, 8, 8))" }), "rellu");
    assert.equal(misspelledName({ message: "AttributeError: module 'torch' has no attribute 'flaten'" }), "flaten");
    assert.equal(misspelledName({ message: "'Net' object has no attribute 'conv'" }), null);
  });

  it("reads the suggested name from the fix or from the message", () => {
    assert.equal(suggestedName({ message: "nn.Senquential is not a known layer - did you mean Sequential?", fix: { arg: "", value: "Sequential" } }), "Sequential");
    assert.equal(suggestedName({ message: "Conv2D is not defined - did you mean nn.Conv2d?" }), "nn.Conv2d");
    assert.equal(suggestedName({ message: "Foo is not defined" }), null);
  });

  it("finds the span a diagnostic covers: the call, else the expression or name", () => {
    const text = "x = nn.Conv2d(1, 20,\n   5)\ny = x.view(1, 400)\nz = foo.bar + 1\n";
    const s1 = expressionSpanAt(text, text.indexOf("nn."))!;
    assert.equal(text.slice(s1.from, s1.to), "nn.Conv2d(1, 20,\n   5)");
    const s2 = expressionSpanAt(text, text.indexOf("x.view"))!;
    assert.equal(text.slice(s2.from, s2.to), "x.view(1, 400)");
    const s3 = expressionSpanAt(text, text.indexOf("foo"))!;
    assert.equal(text.slice(s3.from, s3.to), "foo.bar");
    const inner = callWithCalleeAt(text, text.indexOf("Conv2d") + 2)!;
    assert.equal(inner.name, "Conv2d");
  });

  it("suggests an input shape for the pragma from the first layer or the symbolic input", () => {
    const report = { input: null } as unknown as ModelReport;
    assert.deepEqual(suggestInputShape(report, null), [1, 3, 32, 32]);
    assert.deepEqual(suggestInputShape({ ...report, input: [["N", 1, "H", "W"]] }, null), [1, 1, 32, 32]);
    const layer = (name: string, args: Record<string, unknown>) =>
      ({ cls: { name }, args, children: new Map() }) as never;
    const root = (child: unknown) => ({ cls: { name: "Net" }, children: new Map([["a", child]]) }) as never;
    assert.deepEqual(suggestInputShape(report, root(layer("Conv2d", { in_channels: 1 }))), [1, 1, 32, 32]);
    assert.deepEqual(suggestInputShape(report, root(layer("Conv1d", { in_channels: 2 }))), [1, 2, 128]);
    assert.deepEqual(suggestInputShape(report, root(layer("Linear", { in_features: 784 }))), [1, 784]);
    assert.deepEqual(suggestInputShape(report, root(layer("LSTM", { input_size: 10, batch_first: true }))), [1, 16, 10]);
  });
});

describe("extension quick fixes on the broken fixtures", () => {
  const fixtures = path.resolve(__dirname, "../fixtures");
  let applied = 0;
  after(() => assert.ok(applied >= 10, `${applied} fixes applied across the fixtures`));
  const dirs = fs.readdirSync(fixtures, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const files = dirs.flatMap((dir) =>
    fs.readdirSync(path.join(fixtures, dir)).filter((f) => f.endsWith(".py")).map((f) => path.join(dir, f)),
  );
  const offsetOf = (text: string, line: number, column: number): number => {
    const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
    return starts[line - 1] + column - 1;
  };
  const positional = (callee: string): readonly string[] | undefined => layerRule(callee)?.signature.params.map((p) => p.name);

  for (const file of files) {
    it(`${file}: every fix applies, and the problem is gone after it`, () => {
      const text = fs.readFileSync(path.join(fixtures, file), "utf8");
      for (const d of analyzeSource(text).report.diagnostics) {
        if (d.line === null || d.column === null) continue;
        const offset = offsetOf(text, d.line, d.column);
        let fixed: string | null = null;
        if (d.fix?.arg) {
          const found = argumentEditAt(text, offset, d.fix, positional);
          assert.ok(found, `${file}:${d.line}: an edit for ${d.fix.arg}=${d.fix.value}`);
          fixed = apply(text, found.edit);
        } else if ((d.code === "unknown-layer" || d.code === "unknown-name" || (d.fix && !d.fix.arg)) && suggestedName(d)) {
          fixed = apply(text, renameEditAt(text, offset, misspelledName(d)!, suggestedName(d)!));
        }
        if (fixed !== null) applied++;
        if (fixed === null) continue;
        const after = analyzeSource(fixed).report.diagnostics;
        assert.ok(!after.some((a) => a.line === d.line && a.code === d.code), `${file}:${d.line} ${d.code} still reported: ${JSON.stringify(after)}`);
      }
    });
  }
});
