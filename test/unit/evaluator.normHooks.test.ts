// The static evaluator on weight_norm / spectral_norm over user modules, and constant integer tensors reduced to Python ints.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom torch.nn.utils import weight_norm, spectral_norm\n\n";

function report(src: string): Report {
  return analyzeSource(HEADER + src).report;
}

describe("evaluator: norm reparametrisations and constant reductions", () => {
  it("weight_norm on a user module: its forward still reads self.weight; g takes the weight's shape; the pre-hook's op has no FLOPs rule", () => {
    const r = report(`
class Scale(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c, 1, 1))

    def forward(self, x):
        return self.weight * x

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = weight_norm(Scale(4))
        self.conv = weight_norm(nn.Conv2d(4, 4, 3))

    def forward(self, x):
        return self.conv(self.s(x))

net = Net()
y = net(torch.randn(1, 4, 8, 8))
`);
    assert.deepEqual(r.diagnostics, []);
    const m = r.models.find((x) => x.name === "Net")!;
    assert.deepEqual(m.output, [1, 4, 6, 6]);
    assert.equal(m.params, 4 + 4 + 4 + 144 + 4); // g and v of each weight, the conv's bias
    assert.equal(m.layers[0].flops, null);
    assert.deepEqual(m.unknownFlops, ["Scale"]);
    assert.ok(m.layers[1].flops !== null);
  });
  it("spectral_norm on a user module: self.weight is still readable, its pre-hook runs dot and mv", () => {
    const r = report(`
class Lin(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(3, 5))

    def forward(self, x):
        return F.linear(x, self.weight)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = spectral_norm(Lin())

    def forward(self, x):
        return self.fc(x)

net = Net()
y = net(torch.randn(2, 5))
`);
    assert.deepEqual(r.diagnostics, []);
    const m = r.models.find((x) => x.name === "Net")!;
    assert.deepEqual(m.output, [2, 3]);
    assert.equal(m.layers[0].flops, null);
    assert.deepEqual(m.unknownFlops, ["Lin"]);
  });
  it("int(torch.prod(torch.tensor(shape))) and .sum().item() of a constant integer tensor are Python ints", () => {
    const r = report(`
img_shape = (1, 4, 4)
n = int(torch.prod(torch.tensor(img_shape)))
m = torch.tensor([2, 3]).sum().item()
model = nn.Sequential(nn.Linear(n, m))
`);
    assert.equal(r.models.find((x) => x.name === "model")?.params, 16 * 5 + 5);
  });
});
