// An AnalysisSession's analysis after edits equals a one-off analysis of the same text (random edits on fixtures and tricky files).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeSource, type Analysis } from "../../src/python/analyze";
import { AnalysisSession } from "../../src/python/session";
import { editDigit, generateModelFile, layerArgumentDigits, rng } from "../../bench/generate";

const fixtures = path.resolve(__dirname, "../fixtures");

function pyFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return pyFiles(p);
    return e.name.endsWith(".py") ? [p] : [];
  });
}

/** Everything an editor reads from an analysis: the JSON report and the document positions of models and layers. */
function snapshot(a: Analysis): string {
  return JSON.stringify({
    report: a.report,
    models: a.models.map((m) => ({
      from: m.from,
      to: m.to,
      entries: m.entries.map((e) => [e.path, e.module.line, e.module.column, e.module.from, e.module.to]),
    })),
  });
}

const SNIPPETS = ["1", "2", " ", "x", ",", "(", ")", "\n", "\n\n", "# note\n", "    ", "nn.", "=", ":"];

/** A random small edit: a digit in a layer's arguments, an inserted or deleted piece, a new line. */
function randomEdit(text: string, r: () => number): string {
  const kind = r();
  const digits = layerArgumentDigits(text);
  if (kind < 0.4 && digits.length > 0) return editDigit(text, digits[Math.floor(r() * digits.length)], r);
  const at = Math.floor(r() * (text.length + 1));
  if (kind < 0.7) return text.slice(0, at) + SNIPPETS[Math.floor(r() * SNIPPETS.length)] + text.slice(at);
  if (kind < 0.9) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 4)));
  // a whole line inserted above a random line (everything below moves)
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return text.slice(0, lineStart) + "\n" + text.slice(lineStart);
}

/**
 * Steps, not the clock, end a runaway edit (a `while` loop whose exit an edit removed): the step
 * budget stops both analyses at the same place, while the time budget's message and stopping
 * point depend on the machine's load.
 */
const OPTIONS = { symbolic: true, limits: { maxSteps: 300_000, maxMillis: 600_000 } };

function checkEdits(text: string, edits: number, seed: number, label: string): void {
  const r = rng(seed);
  const session = new AnalysisSession(OPTIONS);
  const history: string[] = [text];
  let current = text;
  for (let i = 0; i <= edits; i++) {
    const incremental = snapshot(session.analyze(current));
    const cold = snapshot(analyzeSource(current, OPTIONS));
    assert.equal(incremental, cold, `${label}: edit ${i} differs from a one-off analysis`);
    // mostly new edits, sometimes an undo back to an earlier version
    current = r() < 0.15 ? history[Math.floor(r() * history.length)] : randomEdit(current, r);
    history.push(current);
  }
}

describe("incremental analysis", () => {
  it("equals a one-off analysis after random edits of every fixture", function () {
    // six edits of each of the 600-odd fixtures (about 40 s alone); the time limit leaves room for a loaded machine
    this.timeout(600_000);
    pyFiles(fixtures).forEach((file, i) => checkEdits(fs.readFileSync(file, "utf8"), 6, 1000 + i, path.relative(fixtures, file)));
  });

  it("equals a one-off analysis after random edits of a generated 400-line model file", function () {
    this.timeout(600_000);
    checkEdits(generateModelFile(400, 7), 60, 42, "generated");
  });

  it("equals a one-off analysis when statements share and change objects", function () {
    this.timeout(60_000);
    const files = [
      // a list built by calls in later statements, then wrapped
      `import torch
import torch.nn as nn

layers = []


def add(n):
    layers.append(nn.Linear(n, n))


add(4)
add(4)
model = nn.Sequential(*layers)
y = model(torch.randn(2, 4))
`,
      // a module changed and called by later statements; a forward that changes its module
      `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.calls = 0

    def forward(self, x):
        self.calls = self.calls + 1
        return self.fc(x)


net = Net()
net.fc = nn.Linear(8, 3)
out = net(torch.randn(1, 8))
again = net(torch.randn(5, 8))
`,
      // a class attribute list shared by instances, a config dict changed between models
      `import torch
import torch.nn as nn

CFG = {"width": 16}


class Block(nn.Module):
    registry = []

    def __init__(self, w=None):
        super().__init__()
        w = w or CFG["width"]
        self.registry.append(w)
        self.conv = nn.Conv2d(w, w, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


# shape-lens: input=(1, 16, 8, 8)
class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = Block()

    def forward(self, x):
        return self.b(x)


CFG["width"] = 16
n_registered = len(Block.registry)


# shape-lens: input=(1, 16, 8, 8)
class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = nn.Sequential(Block(), Block(16))

    def forward(self, x):
        return self.b(x)
`,
    ];
    files.forEach((f, i) => checkEdits(f, 40, 77 + i, `shared objects ${i}`));
  });

  it("equals a one-off analysis when an edit makes a statement change or call what others use", () => {
    const head = "import torch\nimport torch.nn as nn\n\ncfg = {'w': 4}\nnet = nn.Sequential(nn.Linear(4, 2))\n";
    const versions: [string, string[]][] = [
      // a statement newly changes a dict a later (unchanged) statement reads
      ["dict", ["x = 1", "cfg['w'] = 8", "x = 1"].map((s) => `${head}${s}\nseq = nn.Sequential(nn.Linear(cfg['w'], 2))\ny = seq(torch.randn(1, cfg['w']))\n`)],
      // a statement newly makes the first top-level call of a module a later statement calls too
      ["first call", ["a = 1", "a = net(torch.randn(5, 4))", "a = 1"].map((s) => `${head}${s}\nb = net(torch.randn(3, 4))\n`)],
      // a statement newly replaces a layer of a module a later statement calls
      ["module", ["pass", "net[0] = nn.Linear(4, 7)", "pass"].map((s) => `${head}${s}\nb = net(torch.randn(3, 4))\n`)],
    ];
    for (const [label, texts] of versions) {
      const session = new AnalysisSession({ symbolic: true });
      texts.forEach((t, i) => assert.equal(snapshot(session.analyze(t)), snapshot(analyzeSource(t, { symbolic: true })), `${label}: version ${i}`));
    }
  });

  it("reuses unchanged statements and models, and re-runs what an edit reaches", () => {
    const text = generateModelFile(300, 3);
    const session = new AnalysisSession({ symbolic: true });
    session.analyze(text);
    const all = session.stats.statementsRun;
    session.analyze(text);
    assert.deepEqual(session.stats, { statementsRun: 0, statementsReused: all, modelsRun: 0, modelsReused: session.stats.modelsReused });
    const at = text.indexOf("nn.Linear(width * 2, num_classes)");
    session.analyze(text.slice(0, at) + "nn.Linear(width * 2, num_classes + 1)" + text.slice(at + "nn.Linear(width * 2, num_classes)".length));
    assert.equal(session.stats.statementsRun, 1, "only the edited class runs again");
    assert.equal(session.stats.modelsRun, 1, "only the model built from it is analysed again");
  });
});
