// The evaluator on sequence-model idioms: tensor comparisons and masks, indexing, weight_norm, unknown container items.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { ModelReport } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";

function analyze(src: string): ReturnType<typeof analyzeSource>["report"] {
  return analyzeSource(HEADER + src).report;
}

function model(src: string, name: string): ModelReport {
  const m = analyze(src).models.find((x) => x.name === name);
  assert.ok(m, `model ${name} not found`);
  return m;
}

describe("evaluator: sequence-model idioms", () => {
  it("makes a tensor comparison a bool tensor: < records lt (no FLOPs rule), == records eq (free), ~ records __invert__", () => {
    const m = model(`
class Pool(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 2)

    def forward(self, x, lengths):
        mask = torch.arange(x.size(1))[None, :] < lengths[:, None]
        same = x == 0
        s = x.sum(-1).masked_fill(~mask, -1e9)
        return self.fc(x * mask.unsqueeze(-1).float() + same.float()), s

p = Pool()
p(torch.randn(3, 5, 6), torch.tensor([5, 2, 4]))
`, "Pool");
    assert.deepEqual(m.layers[0].output, [3, 5, 2]);
    assert.deepEqual(m.output, [[3, 5, 2], [3, 5]]);
    assert.deepEqual(m.unknownFlops, ["__invert__", "lt"]);
  });

  it("reflects a comparison with the tensor on the right (0 < x records gt)", () => {
    const m = model(`
class M(nn.Module):
    def forward(self, x):
        return (0 < x).float() + (x >= 1).float()

m = M()
m(torch.randn(2, 3))
`, "M");
    assert.deepEqual(m.output, [2, 3]);
    assert.deepEqual(m.unknownFlops, ["ge", "gt"]);
  });

  it("indexes with a Python list, a bool list, a long tensor and torch.arange", () => {
    const m = model(`
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x, last):
        a = x[:, [0, 2]]
        b = x[[True, False, True]]
        c = x[torch.arange(x.size(0)), last]
        d = x[torch.tensor([[0, 1], [1, 2]])]
        return self.fc(a), self.fc(b), self.fc(c), self.fc(d)

m = M()
m(torch.randn(3, 7, 4), torch.tensor([6, 1, 2]))
`, "M");
    assert.deepEqual(m.output, [[3, 2, 3], [2, 7, 3], [3, 3], [2, 2, 7, 3]]);
  });

  it("reports an out-of-range index in a list as PyTorch's IndexError", () => {
    const r = analyze(`
class M(nn.Module):
    def forward(self, x):
        return x[:, [0, 9]]

m = M()
m(torch.randn(3, 5))
`);
    assert.equal(r.diagnostics.length, 1);
    assert.match(r.diagnostics[0].message, /^index 9 is out of bounds for dimension 0 with size 5/);
  });

  it("counts weight_norm's g and v and spectral_norm's weight_orig", () => {
    const m = model(`
from torch.nn.utils import weight_norm, spectral_norm

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = weight_norm(nn.Conv1d(4, 8, 3))
        self.t = nn.utils.weight_norm(nn.ConvTranspose1d(8, 4, 2), dim=1)
        self.l = weight_norm(nn.Linear(4, 5), dim=None)
        self.s = spectral_norm(nn.Linear(5, 5))

    def forward(self, x):
        return self.s(self.l(self.t(self.c(x)).mean(-1)))

m = M()
m(torch.randn(2, 4, 10))
`, "M");
    // c: 96 + 8 + g 8; t: 64 + 4 + g 4 (dim 1 of (8, 4, 2)); l: 20 + 5 + g 1; s: 25 + 5
    assert.deepEqual(m.layers.map((l) => l.params), [112, 72, 26, 30]);
    assert.deepEqual(m.output, [2, 5]);
  });

  it("runs an unknown module in a Sequential or ModuleList as unknown instead of skipping it", () => {
    const r = analyze(`
from mylib import Mystery

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), Mystery(8, 16), nn.Conv2d(16, 4, 1))
        self.blocks = nn.ModuleList([nn.Conv2d(4, 4, 1), Mystery(4, 2), nn.Conv2d(2, 2, 1)])

    def forward(self, x):
        x = self.body(x)
        for b in self.blocks:
            x = b(x)
        return x

m = M()
m(torch.randn(1, 3, 10, 10))
`);
    assert.deepEqual(r.diagnostics, []);
    const m = r.models.find((x) => x.name === "M")!;
    assert.deepEqual(m.layers[0].output, [1, 8, 8, 8]);
    assert.equal(m.output, null);
  });

  it("builds a torch.nn class without a rule (a loss) as a module of unknown output, not an unknown-name error", () => {
    const r = analyze(`
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.criterion = nn.CrossEntropyLoss()
        self.triplet = nn.TripletMarginLoss()

    def forward(self, x):
        y = self.fc(x)
        return y, self.triplet(y, y, y)

m = M()
m(torch.randn(2, 4))
`);
    assert.deepEqual(r.diagnostics, []);
    const m = r.models.find((x) => x.name === "M")!;
    assert.deepEqual(m.layers.map((l) => [l.type, l.output, l.flops]), [["Linear", [2, 3], 48], ["TripletMarginLoss", null, null]]);
    assert.equal(m.params, 15);
  });

  it("makes the model's FLOPs unknown when forward runs a functional op without a rule (F.cosine_similarity)", () => {
    const r = analyze(`
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        y = self.fc(x)
        return F.cosine_similarity(y, y)

m = M()
m(torch.randn(2, 4))
`);
    const m = r.models.find((x) => x.name === "M")!;
    assert.deepEqual([m.macs, m.flops], [null, null]);
    assert.deepEqual(m.layers.map((l) => [l.type, l.flops]), [["Linear", 48]]);
  });

  it("builds nn.Transformer's square subsequent mask", () => {
    const m = model(`
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.t = nn.Transformer(16, 2, 1, 1, 32, batch_first=True)

    def forward(self, src, tgt):
        mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1))
        return self.t(src, tgt, tgt_mask=self.t.generate_square_subsequent_mask(tgt.size(1)) + mask)

m = M()
m(torch.randn(2, 5, 16), torch.randn(2, 4, 16))
`, "M");
    assert.deepEqual(m.output, [2, 4, 16]);
  });
});
