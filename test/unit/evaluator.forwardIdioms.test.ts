// The static evaluator on forward idioms: named tuples, `a; b` statement lines, autocast blocks, layer.forward(x) called directly.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\nfrom collections import namedtuple\nfrom typing import NamedTuple\n\n";

function report(src: string): Report {
  return analyzeSource(HEADER + src).report;
}

describe("evaluator: forward idioms", () => {
  it("builds named tuples from collections.namedtuple and typing.NamedTuple, read by field or unpacked", () => {
    const r = report(`
Pair = namedtuple("Pair", "logits feat", defaults=(None,))

class Out(NamedTuple):
    logits: torch.Tensor
    aux: torch.Tensor = None

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        p = Pair(**{"logits": self.fc(x)})
        p = p._replace(feat=x)
        o = Out(p.logits)
        a, b = o
        return Out(aux=p.feat, logits=a + 1), o._asdict()["logits"], Pair._fields

net = Net()
y = net(torch.randn(2, 3))
`);
    const net = r.models.find((m) => m.name === "Net");
    assert.deepEqual(net?.output, [[[2, 4], [2, 3]], [2, 4], [null, null]]);
    assert.deepEqual(r.diagnostics, []);
  });

  it("runs every statement of a `a = f(); b = g(a)` line", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(3, 5); self.b = nn.Linear(5, 2)

    def forward(self, x):
        x = self.a(x); x = self.b(x)
        return x

net = Net(); y = net(torch.randn(4, 3))
`);
    assert.deepEqual(r.models[0].output, [4, 2]);
    assert.equal(r.models[0].params, 3 * 5 + 5 + 5 * 2 + 2);
  });

  it("treats autocast as a context manager and counts layer.forward(x) in the caller's ops", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(10, 20)
        self.b = nn.Linear(20, 5)

    def forward(self, x):
        with torch.cuda.amp.autocast(enabled=False):
            h = self.a.forward(x.float())
        with torch.autocast("cpu"):
            return self.b(h)

net = Net()
y = net(torch.randn(7, 10))
`);
    const m = r.models[0];
    assert.deepEqual(m.output, [7, 5]);
    assert.deepEqual(m.layers.map((l) => l.path), ["b"]);
    assert.equal(m.macs, 7 * 10 * 20 + 7 * 20 * 5);
  });

  it("indexes with slice objects built by slice()", () => {
    const r = report(`
class Net(nn.Module):
    def forward(self, x):
        rows = slice(1, -1)
        cols = slice(None, None, 2)
        return x[:, rows, cols], x[slice(2)]

net = Net()
y = net(torch.randn(3, 6, 8))
`);
    assert.deepEqual(r.models[0].output, [[3, 4, 4], [2, 6, 8]]);
  });

  it("runs a torch.autograd.Function's static forward through apply, and Variable(t) is t", () => {
    const r = report(`
from torch.autograd import Function, Variable

class Scale(Function):
    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        ctx.save_for_backward(x)
        return x.view_as(x) * alpha

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.alpha, None

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(Scale.apply(x, 0.5) + Variable(torch.zeros(x.size(0), 4)))

net = Net()
y = net(Variable(torch.randn(5, 4)))
`);
    assert.deepEqual(r.models[0].output, [5, 3]);
    assert.deepEqual(r.diagnostics, []);
  });

  it("runs generator functions and methods (yield, yield from) and binds := names", () => {
    const r = report(`
def halves(x, n):
    for _ in range(n):
        yield x
        x = x[..., ::2]

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8), nn.Linear(8, 8)])

    def stages(self):
        yield from self.layers
        yield nn.Identity()

    def forward(self, x):
        for stage in self.stages():
            x = stage(x)
        sizes = [h.shape[-1] for h in halves(x, 3)]
        if (n := len(sizes)) > 2:
            x = x * n
        return x, sizes

net = Net()
y = net(torch.randn(2, 8))
`);
    assert.deepEqual(r.models[0].output, [[2, 8], [null, null, null]]);
    assert.deepEqual(r.models[0].layers.map((l) => l.type), ["Linear", "Linear", "Identity"]);
    assert.deepEqual(r.diagnostics, []);
  });

  it("creators PyTorch records without a FLOPs rule (eye, linspace, randperm, ...) make a forward's total unknown", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x) + torch.eye(4)[torch.randperm(4)][:2] + torch.logspace(0, 1, 4)

class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x) + torch.zeros(2, 4) + torch.arange(4)

a = Net()
ya = a(torch.randn(2, 4))
b = Plain()
yb = b(torch.randn(2, 4))
`);
    assert.deepEqual(r.models[0].output, [2, 4]);
    assert.equal(r.models[0].macs, null);
    assert.deepEqual(r.models[0].unknownFlops, ["eye", "logspace", "randperm"]);
    assert.equal(r.models[1].macs, 2 * 4 * 4);
  });

  it("tracks dtypes as PyTorch promotes them (a Python float, sigmoid of integers) and compares dtypes", () => {
    const r = report(`
class Net(nn.Module):
    def forward(self, x):
        i = torch.arange(6)
        b = i > 2
        outs = [b, b * 1.0, torch.where(b, i, 0.0), i * 2, i.sigmoid(), i.clamp(min=0.0), b.sum()]
        return [torch.zeros(2 if t.is_floating_point() else (3 if t.dtype == torch.bool else 4)) for t in outs], x.dtype is torch.float

net = Net()
y = net(torch.randn(3, 8))
`);
    assert.deepEqual(r.models[0].output, [[[3], [2], [2], [4], [2], [2], [4]], null]);
  });
  it("reads torch.arange bounds given by keyword (start=, end=, step=) and counts the ops on its result", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, t):
        freqs = -9.2 * torch.arange(start=0, end=4, dtype=torch.float32) / 4
        args = t[:, None].float() * freqs[None]
        return self.fc(torch.cat([args, torch.arange(1, end=9, step=2)[None].expand(2, 4)], dim=-1))

net = Net()
y = net(torch.randint(0, 1000, (2,)))
`);
    assert.deepEqual(r.models[0].output, [2, 4]);
    assert.equal(r.models[0].flops, 2 * 8 * 4 * 2 + 4 + 4 + 8);
  });
  it("models numpy arrays built in __init__ (np.array/cumsum/zeros, np dtypes, from_numpy) as CPU tensors", () => {
    const r = report(`
import numpy as np

class FM(nn.Module):
    def __init__(self, field_dims=(3, 4, 5)):
        super().__init__()
        self.offsets = np.array((0, *np.cumsum(field_dims)[:-1]), dtype=np.int64)
        self.register_buffer("table", torch.from_numpy(np.zeros((sum(field_dims), 2), dtype=np.float32)))
        self.emb = nn.Embedding(sum(field_dims), 6)

    def forward(self, x):
        idx = x + x.new_tensor(self.offsets).unsqueeze(0)
        return torch.cat([self.emb(idx).flatten(1), self.table[idx].sum(1)], 1)

net = FM()
y = net(torch.randint(0, 3, (8, 3)))
`);
    assert.equal(r.models[0].error, undefined);
    assert.deepEqual(r.models[0].output, [8, 20]);
  });

  it("an unpacking mismatch is reported at the target list, as Python does (a, = x too; non-iterables too)", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        b, c, h = x.shape
        for i, (m, s) in enumerate([self.fc]):
            pass
        y, = self.fc(x).split(2, -1)
        return y

net = Net()
y = net(torch.randn(2, 4, 1, 1))
`);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.column, d.message.replace(/ \(in .*/, "")]), [
      [13, 9, "too many values to unpack (expected 3)"],
    ]);
    const r2 = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        for i, (m, s) in enumerate([self.fc]):
            pass
        return x

net = Net()
y = net(torch.randn(2, 4))
`);
    assert.deepEqual(r2.diagnostics.map((d) => [d.line, d.column, d.message.replace(/ \(in .*/, "")]), [
      [13, 16, "cannot unpack non-iterable Linear object"],
    ]);
  });

  it("torch.nn.utils.stateless.functional_call runs the module; the modules whose weights are swapped report PyTorch 1.13's StatelessReplacer class", () => {
    const r = report(`
from torch.nn.utils.stateless import functional_call

class Meta(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2))

    def forward(self, x):
        fast = {"0.weight": self.net[0].weight * 2}
        return functional_call(self.net, fast, (x,)) + self.net(x)

m = Meta()
y = m(torch.randn(3, 4))
`);
    const meta = r.models.find((m) => m.name === "Meta");
    assert.deepEqual(meta?.output, [3, 2]);
    assert.deepEqual(meta?.layers.map((l) => l.type), ["StatelessReplacerLinear", "ReLU", "Linear", "Linear", "ReLU", "Linear"]);
  });

  it("a method call whose name is on a later line than the call starts is placed at the name (Python 3.11), unless it has *args", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = (nn
                   .Linear(4, 6))

    def forward(self, x):
        y = (self.fc(x)
             .view(2, -1, 4))
        return (y
                .view(*y.shape))

net = Net()
y = net(torch.randn(2, 4))
`);
    assert.equal(r.models[0].layers[0].line, 11);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.column]), [[15, 15]]);
  });
});
