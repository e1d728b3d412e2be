// The static evaluator, construct by construct: Python semantics, nn.Module structure, budgets, half-typed code.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { ModelReport } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";

function models(src: string, limits?: Parameters<typeof analyzeSource>[1]): ModelReport[] {
  return analyzeSource(HEADER + src, limits).report.models;
}

function model(src: string, name?: string): ModelReport {
  const ms = models(src);
  const m = name ? ms.find((x) => x.name === name) : ms[ms.length - 1];
  assert.ok(m, `model ${name ?? "(last)"} not found among ${ms.map((x) => x.name).join(", ")}`);
  return m;
}

describe("evaluator: Python constructs", () => {
  it("evaluates arithmetic, comprehensions, unpacking and builtins into layer arguments", () => {
    const m = model(`
class Net(nn.Module):
    def __init__(self, widths=(8, 16), k=3):
        super().__init__()
        a, (b, c) = 1, (2, 3)
        assert a == 1
        sizes = [w * 2 for w in widths if w > 0]
        total = sum(sizes) + max(a, b, c) - min([c, b]) + len(sizes) // 2 + 7 % 4
        self.conv = nn.Conv2d(3, total, k, padding=k // 2)
        self.fc = nn.Linear(int(total * 1.0), abs(-10))

    def forward(self, x):
        x = self.conv(x).mean(dim=(2, 3))
        return self.fc(x)

net = Net()
y = net(torch.randn(2, 3, 8, 8))
`);
    // sizes = [16, 32], total = 48 + 3 - 2 + 1 + 3 = 53
    assert.deepEqual(m.layers.map((l) => l.output), [[2, 53, 8, 8], [2, 10]]);
    assert.equal(m.params, 53 * 3 * 9 + 53 + 53 * 10 + 10);
  });

  it("follows if/elif/else, while with break, for-else, dict iteration and enumerate", () => {
    const m = model(`
class Net(nn.Module):
    def __init__(self, mode="b"):
        super().__init__()
        layers = []
        if mode == "a":
            c = 4
        elif mode == "b":
            c = 6
        else:
            c = 8
        n = 0
        while True:
            n += 1
            if n >= 3:
                break
        spec = {"x": 1, "y": 2}
        for i, key in enumerate(spec):
            layers.append(nn.Conv2d(3 if i == 0 else c, c, spec[key] * 2 + 1, padding=spec[key]))
        else:
            layers.append(nn.ReLU())
        self.body = nn.Sequential(*layers)
        self.n = n

    def forward(self, x):
        return self.body(x)

m = Net()
out = m(torch.zeros(1, 3, 10, 10))
`);
    assert.deepEqual(m.layers.map((l) => `${l.path}:${l.type}:${JSON.stringify(l.output)}`), [
      "body.0:Conv2d:[1,6,10,10]",
      "body.1:Conv2d:[1,6,10,10]",
      "body.2:ReLU:[1,6,10,10]",
    ]);
  });

  it("resolves helper methods, class attributes, inheritance and super()", () => {
    const m = model(`
class Base(nn.Module):
    expansion = 2

    def __init__(self, c):
        super(Base, self).__init__()
        self.c = c * self.expansion

class Block(Base):
    def __init__(self, c):
        super().__init__(c)
        self.conv = self._make(c, self.c)

    def _make(self, cin, cout, *, k=1):
        return nn.Conv2d(cin, cout, kernel_size=k)

    def forward(self, x):
        return F.relu(self.conv(x))

b = Block(4)
y = b(torch.randn(1, 4, 5, 5))
`, "Block");
    assert.deepEqual(m.layers[0].output, [1, 8, 5, 5]);
    assert.equal(m.params, 4 * 8 + 8);
    assert.equal(m.flops, 1 * 8 * 5 * 5 * (2 * 4 - 1 + 1) + 8 * 25);
  });

  it("reads float literals with a trailing dot, math.log with a base, and reports a layer subclass by its own name", () => {
    const src = `import math

class Shift(nn.Conv2d):
    def __init__(self):
        super(Shift, self).__init__(3, 3, kernel_size=1)

class Net(nn.Module):
    def __init__(self, scale=8):
        super().__init__()
        self.shift = Shift()
        n = int(math.log(scale, 2))  # 3; math.log(8) alone is 2.07
        eps = 1. / 2.
        self.body = nn.Sequential(*[nn.Conv2d(3, 3, 3, padding=1) for _ in range(n)])
        self.drop = nn.Dropout(p=eps if 2. > 1 else 0.)

    def forward(self, x):
        return self.drop(self.body(self.shift(x)))

net = Net()
y = net(torch.randn(1, 3, 8, 8))
`;
    const { report } = analyzeSource(HEADER + src);
    assert.deepEqual(report.diagnostics, []);
    const m = report.models.find((x) => x.name === "Net");
    assert.ok(m);
    assert.deepEqual(m.layers.map((l) => `${l.path}:${l.type}`), ["shift:Shift", "body.0:Conv2d", "body.1:Conv2d", "body.2:Conv2d", "drop:Dropout"]);
  });

  it("a layer subclass with its own forward: self.weight has its shape, the cost is the layer's rule", () => {
    const m = model(`
class StdConv2d(nn.Conv2d):
    def forward(self, x):
        w = self.weight
        v, mu = torch.var_mean(w, dim=[1, 2, 3], keepdim=True, unbiased=False)
        w = (w - mu) / torch.sqrt(v + 1e-5)
        return F.conv2d(x, w, self.bias, self.stride, self.padding, self.dilation, self.groups)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = StdConv2d(3, 8, 3, padding=1, bias=False)
        self.norm = nn.GroupNorm(2, 8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        x = self.norm(self.conv(x)).repeat_interleave(2, dim=3)
        return F.linear(x.mean((2, 3)), self.fc.weight * 2, self.fc.bias)

net = Net()
y = net(torch.randn(2, 3, 6, 5))
`);
    assert.deepEqual(m.output, [2, 4]);
    const conv = m.layers[0];
    assert.equal(conv.type, "StdConv2d");
    assert.deepEqual(conv.output, [2, 8, 6, 5]);
    assert.equal(conv.flops, 2 * 8 * 6 * 5 * (2 * 27 - 1));
    assert.equal(m.flops, null); // repeat_interleave has no FLOPs rule
  });

  it("counts a module called twice twice in FLOPs and once in params", () => {
    const m = model(`
class Twice(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(self.fc(x))

t = Twice()
t(torch.randn(1, 4))
`);
    assert.equal(m.layers.length, 2);
    assert.equal(m.params, 20);
    assert.equal(m.flops, 2 * 4 * (2 * 4 - 1 + 1));
  });

  it("names ModuleList, ModuleDict, add_module and OrderedDict children as named_modules() does", () => {
    const m = model(`
from collections import OrderedDict

class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(OrderedDict([("conv", nn.Conv2d(1, 2, 1)), ("act", nn.ReLU())]))
        self.blocks = nn.ModuleList()
        for i in range(2):
            self.blocks.append(nn.Conv2d(2, 2, 1))
        self.add_module("extra", nn.Identity())
        self.heads = nn.ModuleDict({"a": nn.Linear(2, 1)})

    def forward(self, x):
        x = self.stem(x)
        for blk in self.blocks:
            x = blk(x)
        x = self.extra(x).mean((2, 3))
        return self.heads["a"](x)

h = Heads()
h(torch.randn(1, 1, 3, 3))
`);
    assert.deepEqual(m.layers.map((l) => l.path), ["stem.conv", "stem.act", "blocks.0", "blocks.1", "extra", "heads.a"]);
  });

  it("counts frozen parameters out of trainableParams", () => {
    const m = model(`
class Frozen(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(10, 10)
        self.head = nn.Linear(10, 2)
        for p in self.backbone.parameters():
            p.requires_grad = False

    def forward(self, x):
        return self.head(self.backbone(x))

f = Frozen()
f(torch.randn(1, 10))
`);
    assert.equal(m.params, 110 + 22);
    assert.equal(m.trainableParams, 22);
  });

  it("takes the input shape from the pragma before a call in the file", () => {
    const m = model(`
# shape-lens: input=(2, 3, 16, 16)
class P(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(x)

p = P()
p(torch.randn(1, 3, 8, 8))
`);
    assert.deepEqual(m.input, [[2, 3, 16, 16]]);
    assert.deepEqual(m.output, [2, 4, 14, 14]);
  });

  it("uses the configured default input when the file has neither", () => {
    const ms = analyzeSource(HEADER + `
class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(x)
`, { defaultInput: [[1, 3, 5, 5]] }).report.models;
    assert.deepEqual(ms[0].output, [1, 4, 3, 3]);
  });
});

describe("evaluator: half-typed code and budgets", () => {
  const good = `
class Good(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(x)

g = Good()
g(torch.randn(1, 3))
`;
  for (const [label, broken] of [
    ["an unclosed parenthesis", "class Bad(nn.Module):\n    def __init__(self):\n        self.conv = nn.Conv2d(3, 4,\n"],
    ["a dangling def", "def helper(\n"],
    ["wrong indentation", "class Bad(nn.Module):\n  def __init__(self):\n        super().__init__()\n      self.x = 1\n"],
    ["a file cut mid-line", "class Bad(nn.Module):\n    def forward(self, x):\n        return x.vi"],
  ]) {
    it(`still analyses the other classes next to ${label}`, () => {
      const ms = analyzeSource(HEADER + broken + "\n\n" + good).report.models;
      const g = ms.find((m) => m.name === "Good");
      assert.ok(g, `Good missing: ${ms.map((m) => m.name)}`);
      assert.deepEqual(g.output, [1, 2]);
      assert.equal(g.flops, 2 * (2 * 3 - 1 + 1));
    });
  }

  it("reports a statement indented past its block as CPython does (lezer accepts it), and goes on", () => {
    const r = analyzeSource(HEADER + "net = nn.Sequential(nn.Linear(2, 3))\n    y = net(torch.randn(1, 2))\nz = net(torch.randn(4, 2))\n" +
      "def f(x):\n    a = x; b = 2\n    if a: c = 1\n    return a\n        d = 1\n").report;
    const lines = HEADER.split("\n").length - 1;
    assert.deepEqual(r.diagnostics.map((d) => [(d.line ?? 0) - lines, d.column, d.code, d.message]), [
      [2, 4, "syntax-error", "syntax error: unexpected indent"],
      [8, 8, "syntax-error", "syntax error: unexpected indent"],
    ]);
    assert.deepEqual(r.models.map((m) => [m.name, m.input]), [["net", [[1, 2]]]], "the analysis goes on past the error");
  });

  it("stops a loop over range(10**9) quickly with an unknown result", () => {
    const t0 = Date.now();
    const ms = models(`
class Slow(nn.Module):
    def __init__(self):
        super().__init__()
        n = 0
        for i in range(10 ** 9):
            n += 1
        self.fc = nn.Linear(n, 2)

    def forward(self, x):
        return self.fc(x)
` + good, { limits: { maxSteps: 200_000, maxMillis: 2000 } });
    assert.ok(Date.now() - t0 < 3000, "took too long");
    const slow = ms.find((m) => m.name === "Slow")!;
    assert.equal(slow.output, null);
    assert.deepEqual(ms.find((m) => m.name === "Good")!.output, [1, 2]);
  });

  it("treats infinite recursion as unknown, not a crash", () => {
    const ms = models(`
def f(n):
    return f(n + 1)

class Rec(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(f(1), 2)

    def forward(self, x):
        return self.fc(x)

r = Rec()
`);
    const rec = ms.find((m) => m.name === "Rec")!;
    assert.equal(rec.params, null);
    assert.ok(rec.error, "an error is reported for the model");
  });

  it("never runs a while True loop forever", () => {
    const t0 = Date.now();
    models("x = 0\nwhile True:\n    x += 1\n", { limits: { maxSteps: 100_000, maxMillis: 1000 } });
    assert.ok(Date.now() - t0 < 2000);
  });
});

describe("evaluator: symbolic input (spec §5.4)", () => {
  it("traces a model without any input with (N, C_in, H, W) and symbolic sizes", () => {
    const ms = analyzeSource(HEADER + `
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 20, 5)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(self.c1(x))
`, { symbolic: true }).report.models;
    assert.deepEqual(ms[0].input, [["N", 3, "H", "W"]]);
    assert.deepEqual(ms[0].layers.map((l) => l.output), [["N", 20, "H-4", "W-4"], ["N", 20, "floor(H/2)-2", "floor(W/2)-2"]]);
    assert.deepEqual(ms[0].layers.map((l) => l.params), [1520, 0]);
    assert.equal(ms[0].flops, null);
    assert.deepEqual(ms[0].layers.map((l) => l.rf), [5, 6]);
  });

  it("lists the layers statically (as named_modules) when not asked to trace symbolically", () => {
    const ms = analyzeSource(HEADER + `
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 20, 5)

    def forward(self, x):
        return self.c1(x)
`).report.models;
    assert.equal(ms[0].input, null);
    assert.deepEqual(ms[0].layers.map((l) => [l.path, l.output, l.params]), [["c1", null, 1520]]);
  });
});
