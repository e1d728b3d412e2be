// The static evaluator on undecidable branches (both ways run, agreement kept), functools, and Python's TypeError wording.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import { missingArguments, tooManyPositional } from "../../src/core/signature";
import type { ModelReport } from "../../src/python/report";

const HEADER = "import os\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";

function analyze(src: string): ReturnType<typeof analyzeSource>["report"] {
  return analyzeSource(HEADER + src).report;
}

function model(src: string): ModelReport {
  const ms = analyze(src).models;
  return ms[ms.length - 1];
}

describe("evaluator: undecidable branches", () => {
  it("keeps a value both ways of an undecidable if agree on, and forgets one they disagree on", () => {
    const m = model(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        wide = os.environ.get("WIDE")
        if wide:
            width, k = 16, 3
            depth = 2
        else:
            width, k = 16, 3
            depth = 3
        self.conv = nn.Conv2d(3, width, k)
        self.fc = nn.Linear(width, depth)

    def forward(self, x):
        return self.conv(x)

net = Net()
net(torch.randn(1, 3, 8, 8))
`);
    assert.deepEqual(m.layers[0].output, [1, 16, 6, 6]);
    assert.equal(m.layers[0].params, 16 * 27 + 16);
    assert.equal(m.params, null, "fc's out_features differs between the ways");
  });

  it("joins tensors of the same shape after data-dependent branches; the FLOPs stay unknown", () => {
    const m = model(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        if x.min() < -5:
            x = x.clamp(min=-5)
        y = self.conv(x)
        y = y / y.abs().max() if y.abs().max() > 1e3 else y
        return y

net = Net()
net(torch.randn(1, 3, 8, 8))
`);
    assert.deepEqual(m.output, [1, 8, 8, 8]);
    assert.equal(m.layers.length, 1);
    assert.equal(m.layers[0].rf, 3);
    assert.equal(m.flops, null);
  });

  it("does not run module calls of an undecidable branch twice: their names become unknown", () => {
    const m = model(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 4)
        self.b = nn.Linear(4, 4)

    def forward(self, x):
        if x.sum() > 0:
            y = self.a(x)
        else:
            y = self.b(x)
        return y

net = Net()
net(torch.randn(2, 4))
`);
    assert.deepEqual(m.layers.map((l) => l.path), []);
    assert.equal(m.output, null);
  });

  it("stops nesting undecidable branches early instead of running 2^n ways", () => {
    let body = "        y = 0\n";
    let ind = "        ";
    for (let i = 0; i < 30; i++) {
      body += `${ind}if x.sum() > ${i}:\n`;
      ind += "    ";
      body += `${ind}y = y + 1\n`;
    }
    const t0 = Date.now();
    const m = model(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
${body}        return self.fc(x)

net = Net()
net(torch.randn(2, 4))
`);
    assert.deepEqual(m.output, [2, 4]);
    assert.ok(Date.now() - t0 < 1000);
  });

  it("functools.partial as a norm layer, and the CPU/autograd facts of a tensor", () => {
    const m = model(`
from functools import partial

class Net(nn.Module):
    def __init__(self, norm_layer=None):
        super().__init__()
        norm = norm_layer or partial(nn.BatchNorm2d, eps=1e-3)
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = norm(8)

    def forward(self, x):
        y = self.bn(self.conv(x))
        if x.device.type == "cuda" or not x.is_floating_point() or not torch.is_grad_enabled():
            return y[:, :1]
        return y

net = Net()
net(torch.randn(1, 3, 8, 8))
`);
    assert.deepEqual(m.layers.map((l) => [l.type, l.params]), [["Conv2d", 224], ["BatchNorm2d", 16]]);
    assert.deepEqual(m.output, [1, 8, 6, 6]);
  });

  it("a partial's func / args / keywords, type(p) == functools.partial and isinstance(p, partial)", () => {
    const m = model(`
import functools
norm = functools.partial(nn.InstanceNorm2d, affine=False)
a = type(norm) == functools.partial and isinstance(norm, functools.partial)
b = norm.func == nn.InstanceNorm2d and norm.keywords["affine"] is False and norm.args == ()
c = isinstance(nn.BatchNorm2d, functools.partial)
seq = nn.Sequential(nn.Conv2d(3, 4, 3, bias=a and b and not c), norm(4))
seq(torch.randn(1, 3, 5, 5))
`);
    assert.deepEqual(m.layers.map((l) => [l.type, l.params]), [["Conv2d", 112], ["InstanceNorm2d", 0]]);
  });

  it("a starred target in a comprehension's for (which lezer marks as an error) unpacks, with no syntax error", () => {
    const r = analyze(`
SPEC = [("Conv2d", 3, 8, 3), ("ReLU",), ("Flatten",)]
d = {n: a for n, *a in SPEC}
seq = nn.Sequential(*[getattr(nn, name)(*args) for name, *args in SPEC], nn.Linear(len(d["Conv2d"]) * 24, 2))
seq(torch.randn(1, 3, 5, 5))
`);
    assert.deepEqual(r.diagnostics, []);
    const m = r.models[r.models.length - 1];
    assert.deepEqual(m.layers.map((l) => l.type), ["Conv2d", "ReLU", "Flatten", "Linear"]);
    assert.deepEqual(m.output, [1, 2]);
    assert.equal(analyze("x = [n for n, * in S]\n").diagnostics[0]?.code, "syntax-error");
  });

  it("types.SimpleNamespace options drive a loop-built MLP", () => {
    const m = model(`
import types
from types import SimpleNamespace
opts = SimpleNamespace(hidden=64, p=0.1)
other = types.SimpleNamespace(out=3)
layers, d, h = [], 10, opts.hidden
while h >= 16:
    layers += [nn.Linear(d, h), nn.Dropout(opts.p)]
    d, h = h, h // 2
mlp = nn.Sequential(*layers, nn.Linear(d, other.out))
mlp(torch.randn(2, 10))
`);
    assert.deepEqual(m.layers.filter((l) => l.type === "Linear").map((l) => l.output), [[2, 64], [2, 32], [2, 16], [2, 3]]);
  });

  it("itertools.chain.from_iterable flattens lists of layers into a Sequential", () => {
    const m = model(`
import itertools
stages = [[nn.Conv2d(3, 8, 3), nn.ReLU()], [nn.Conv2d(8, 4, 3)]]
seq = nn.Sequential(*itertools.chain.from_iterable(stages))
seq(torch.randn(1, 3, 9, 9))
`);
    assert.deepEqual(m.layers.map((l) => l.type), ["Conv2d", "ReLU", "Conv2d"]);
    assert.deepEqual(m.output, [1, 4, 5, 5]);
  });
});

describe("evaluator: Python's wording of wrong calls", () => {
  it("words arity errors as CPython does", () => {
    assert.equal(tooManyPositional("f()", 7, 2, 8), "f() takes from 2 to 7 positional arguments but 8 were given");
    assert.equal(tooManyPositional("g()", 1, 1, 2), "g() takes 1 positional argument but 2 were given");
    assert.equal(tooManyPositional("h()", 0, 0, 1), "h() takes 0 positional arguments but 1 was given");
    assert.equal(
      tooManyPositional("f()", 2, 1, 3, 1),
      "f() takes from 1 to 2 positional arguments but 3 positional arguments (and 1 keyword-only argument) were given",
    );
    assert.equal(missingArguments("f()", ["a", "b", "c"], "positional"), "f() missing 3 required positional arguments: 'a', 'b', and 'c'");
    assert.equal(missingArguments("f()", ["c", "d"], "keyword-only"), "f() missing 2 required keyword-only arguments: 'c' and 'd'");
  });

  it("names the __init__ PyTorch runs (inherited ones too) and the user's method by its qualified name", () => {
    const r = analyze(`
class Block(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride)

a = Block(3)
b = nn.MaxPool2d(2, 2, 0, 1, False, False, 7)
c = nn.LSTM(8, 16, batchfirst=True)
d = nn.Tanh(1)
`);
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      [
        "TypeError: Block.__init__() missing 1 required positional argument: 'cout'",
        "TypeError: _MaxPoolNd.__init__() takes from 2 to 7 positional arguments but 8 were given",
        "TypeError: RNNBase.__init__() got an unexpected keyword argument 'batchfirst'",
        "TypeError: Module.__init__() takes 1 positional argument but 2 were given",
      ],
    );
  });

  it("reports errors inside forward with the exception's text, at the failing expression (where the oracle puts them), once located", () => {
    const r = analyze(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 6)
        self.norm = nn.LayerNorm(8)

    def forward(self, x):
        y = F.rellu(x)
        return self.norm(self.proj(y))

class Net2(Net):
    def forward(self, x):
        return self.nrom(self.proj(x))

class Net3(Net):
    def forward(self, x):
        return self.norm(self.proj(x))

n = Net()
n(torch.randn(2, 8))
n2 = Net2()
n2(torch.randn(2, 8))
n3 = Net3()
n3(torch.randn(2, 8))
`);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.line, d.column, d.code, d.message]),
      [
        [11, 21, "shape-mismatch", "Given normalized_shape=[8], expected input with shape [*, 8], but got input of size[2, 6] (in LayerNorm.forward, input (2, 6))"],
        [14, 13, "shape-mismatch", "module 'torch.nn.functional' has no attribute 'rellu' (in Net.forward, input (2, 8))"],
        [19, 16, "shape-mismatch", "'Net2' object has no attribute 'nrom' (in Net2.forward, input (2, 8))"],
      ],
    );
  });

  it("words a matrix product's clash inside a forward as the oracle does (in-features-mismatch, no module suffix)", () => {
    const r = analyze(`
class Proj(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(10, 5))

    def forward(self, x):
        return F.linear(x, self.w.t()) + x @ self.w

p = Proj()
p(torch.randn(2, 8))
`);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.message]),
      [["in-features-mismatch", "matrix shapes cannot be multiplied (2x8 and 10x5)"]],
    );
  });
});
