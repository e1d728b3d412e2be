// The static evaluator on nn loss modules (forward through the functional loss), len() of modules, nn.init inside forward.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\n\n";

function report(src: string): Report {
  return analyzeSource(HEADER + src).report;
}

describe("evaluator: loss modules, len(module), nn.init in forward", () => {
  it("forwards a criterion module through its op with the constructor's reduction", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.crit = nn.CrossEntropyLoss(label_smoothing=0.1)
        self.per = nn.NLLLoss(reduction='none')
        self.old = nn.MSELoss(reduce=False)

    def forward(self, x, t):
        z = self.fc(x)
        return self.crit(z, t), self.per(z, t), self.old(z, z), nn.L1Loss(reduction='sum')(z, z)

Net()(torch.randn(5, 4), torch.randint(0, 3, (5,)))
`);
    const m = r.models[0];
    assert.deepEqual(m.output, [[], [5], [5, 3], []]);
    assert.equal(m.flops, null);
    const crit = m.layers.find((l) => l.path === "crit");
    assert.equal(crit?.params, 0);
    assert.equal(crit?.flops, null);
    assert.deepEqual(m.unknownFlops, ["CrossEntropyLoss", "L1Loss", "MSELoss", "NLLLoss"]);
    assert.deepEqual(r.diagnostics, []);
  });

  it("keeps the loss arguments as attributes and raises PyTorch's TypeErrors", () => {
    const ok = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.crit = nn.SmoothL1Loss(size_average=False, beta=0.5)
        self.k = 1 if self.crit.reduction == 'sum' and self.crit.beta == 0.5 else 2

    def forward(self, x):
        return x.repeat(self.k, 1)

Net()(torch.randn(2, 3))
`);
    assert.deepEqual(ok.models[0].output, [2, 3]);
    const bad = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.crit = nn.MSELoss(reduktion='sum')

    def forward(self, x):
        return self.crit(x, x)

Net()(torch.randn(2, 3))
`);
    assert.match(bad.diagnostics[0]?.message ?? "", /MSELoss\.__init__\(\) got an unexpected keyword argument 'reduktion'/);
  });

  it("len() calls a module's own __len__, counts a container's entries and fails on other modules", () => {
    const r = report(`
class Body(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 3))
        self.heads = nn.ModuleDict({"a": nn.Linear(3, 1)})

    def __len__(self):
        return len(self.blocks) + len(self.heads)

    def forward(self, x):
        return x

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = Body()

    def forward(self, x):
        return self.body(x).repeat(1, len(self.body))

Net()(torch.randn(2, 3))
`);
    assert.deepEqual(r.models.find((m) => m.name === "Net")?.output, [2, 12]);
    const bad = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        return self.fc(x) * len(self.fc)

Net()(torch.randn(2, 3))
`);
    assert.match(bad.diagnostics[0]?.message ?? "", /object of type 'Linear' has no len\(\)/);
  });

  it("lists the ops nn.init functions run inside forward (no FLOPs rule); fill_ and zero_ cost nothing", () => {
    const src = (fn: string): Report => report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.empty(4, 4))

    def forward(self, x):
        nn.init.${fn}(self.w)
        return x @ self.w

Net()(torch.randn(2, 4))
`);
    assert.deepEqual(src("xavier_uniform_").models[0].unknownFlops, ["uniform_"]);
    assert.deepEqual(src("kaiming_normal_").models[0].unknownFlops, ["normal_"]);
    const zeros = src("zeros_").models[0];
    assert.equal(zeros.unknownFlops, undefined);
    assert.notEqual(zeros.flops, null);
  });
});
