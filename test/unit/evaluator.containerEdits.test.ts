// The evaluator on edits of nn containers after construction: Sequential.insert/extend/pop, del seq[i], ModuleList/ModuleDict pop, slices of subclasses.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { ModelReport } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\n\n";

function analyze(src: string): ReturnType<typeof analyzeSource>["report"] {
  return analyzeSource(HEADER + src).report;
}

function model(src: string, name: string): ModelReport {
  const m = analyze(src).models.find((x) => x.name === name);
  assert.ok(m, `model ${name} not found`);
  return m;
}

describe("evaluator: container edits", () => {
  it("runs Sequential.extend and Sequential.insert (renumbered) like PyTorch", () => {
    const src = `
seq = nn.Sequential(nn.Linear(4, 8))
seq.extend([nn.ReLU(), nn.Linear(8, 2)])
seq.insert(1, nn.Dropout())
seq(torch.randn(3, 4))
`;
    const r = analyze(src);
    assert.deepEqual(r.diagnostics, []);
    const m = r.models.find((x) => x.name === "seq")!;
    assert.deepEqual(m.layers.map((l) => `${l.path}:${l.type}`), ["0:Linear", "1:Dropout", "2:ReLU", "3:Linear"]);
    assert.deepEqual(m.output, [3, 2]);
  });

  it("deletes Sequential entries by index and slice and renumbers them; pop returns the removed module", () => {
    const m = model(`
seq = nn.Sequential(nn.Identity(), nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 6), nn.Sigmoid())
del seq[0]
del seq[-2:]
last = seq.pop(-1)
seq.append(nn.Linear(8, 5))
seq(torch.randn(2, 4))
`, "seq");
    assert.deepEqual(m.layers.map((l) => `${l.path}:${l.type}`), ["0:Linear", "1:Linear"]);
    assert.deepEqual(m.output, [2, 5]);
  });

  it("pops ModuleList and ModuleDict entries", () => {
    const m = model(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 9), nn.Linear(4, 3)])
        self.blocks.pop(1)
        self.heads = nn.ModuleDict({"a": nn.Linear(3, 2), "b": nn.Linear(3, 7)})
        self.heads.pop("b")

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.heads["a"](x)

Net()(torch.randn(1, 4))
`, "Net");
    assert.deepEqual(m.output, [1, 2]);
    assert.equal(m.layers.length, 3);
  });
  it("deletes a slice of a plain list (del layers[1:3], del xs[::2]) before it builds a Sequential", () => {
    const m = model(`
layers = [nn.Linear(12, 12) for _ in range(4)]
del layers[1:3]
layers.append(nn.Linear(12, 1))
odd = [1, 2, 3, 4, 5]
del odd[::2]
mlp = nn.Sequential(*layers, nn.Linear(1, len(odd)))
mlp(torch.rand(9, 12))
`, "mlp");
    assert.equal(m.layers.length, 4);
    assert.deepEqual(m.output, [9, 2]);
  });

  it("slices a Sequential subclass through its own __init__, as PyTorch's self.__class__(OrderedDict(...)) does", () => {
    const r = analyze(`
class Net(nn.Sequential):
    def __init__(self, in_ch=3):
        super().__init__(nn.Conv2d(in_ch, 8, 3), nn.ReLU(), nn.Flatten())

class Chain(nn.Sequential):
    def __init__(self, *layers):
        super().__init__(*layers)

net = Net()
net(torch.randn(1, 3, 8, 8))
head = net[:2]
c = Chain(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
y = c[1:](torch.randn(2, 4))

class Blocks(nn.ModuleList):
    def __init__(self, n):
        super().__init__([nn.Linear(4, 4) for _ in range(n)])

half = Blocks(3)[:2]
`);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.column, d.message]), [
      [7, 26, "TypeError: unsupported operand type(s) for %: 'collections.OrderedDict' and 'int'"],
      [21, 52, "TypeError: 'list' object cannot be interpreted as an integer"],
    ]);
    assert.deepEqual(r.models.map((m) => m.name), ["Net", "Chain", "Blocks"]);
    assert.deepEqual(r.models[1].layers.map((l) => l.path), ["0", "1", "2"], "the slice is not Chain's model instance");
  });
  it("reports a bad subscript (dict key, ModuleDict key, Sequential / tuple index) at the subscript, with Python's messages", () => {
    const r = analyze(`CFG = {"a": 1}


class A(nn.Module):
    def __init__(self):
        super().__init__()
        w = CFG["b"]


class B0(nn.Module):
    def __init__(self):
        super().__init__()
        self.d = nn.ModuleDict({"x": nn.Identity()})

    def forward(self, x):
        return self.d["y"](x)


class B1(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = nn.Sequential(nn.Identity())

    def forward(self, x):
        return self.s[2](x)


class B2(nn.Module):
    def __init__(self):
        super().__init__()
        self.sizes = (4, 8)

    def forward(self, x):
        return x * self.sizes[2]


a = A()
B0()(torch.randn(2, 4))
B1()(torch.randn(2, 4))
B2()(torch.randn(2, 4))
`);
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`),
      [
        "10:13 KeyError: 'b'",
        "19:16 'y' (in B0.forward, input (2, 4))",
        "28:16 index 2 is out of range (in B1.forward, input (2, 4))",
        "37:20 tuple index out of range (in B2.forward, input (2, 4))",
      ],
    );
  });
});
