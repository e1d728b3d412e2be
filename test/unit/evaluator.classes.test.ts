// The static evaluator on class-level Python found in model zoos: classmethods, del, typing ABCs, raised messages.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\nfrom typing import Sequence, List\nimport collections.abc\n\n";

function report(src: string): Report {
  return analyzeSource(HEADER + src).report;
}

describe("evaluator: classmethods, del, typing ABCs, raise", () => {
  it("binds a classmethod to the class it is read from, and to an instance's class", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self, width=4):
        super().__init__()
        self.fc = nn.Linear(2, width)

    @classmethod
    def from_config(cls, cfg):
        return cls(**cfg)

    def forward(self, x):
        return self.fc(x)

class Wide(Net):
    pass

a = Net.from_config({"width": 7})
b = a.from_config({"width": 5})
w = Wide.from_config({"width": 3})
y = w(torch.randn(1, 2))
`);
    const wide = r.models.find((m) => m.name === "Wide");
    assert.deepEqual(wide?.output, [1, 3]);
    assert.equal(r.models.find((m) => m.name === "Net")?.params, 2 * 7 + 7);
    assert.deepEqual(r.diagnostics, []);
  });

  it("del of a submodule drops it from named_modules(), so the alias names the layer", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4, 2)
        self.tmp = [1, 2, 3]
        del self.tmp[0]
        self.n = len(self.tmp)

    def forward(self, x):
        return self.last(self.conv(x).mean((2, 3)))

net = Net()
net.last = net.fc
del net.fc
y = net(torch.randn(1, 3, 8, 8))
`);
    const m = r.models[0];
    assert.deepEqual(m.layers.map((l) => l.path), ["conv", "last"]);
    assert.equal(m.params, 3 * 4 * 9 + 4 + 4 * 2 + 2);
  });

  it("del of a missing attribute raises AttributeError", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        del self.head

    def forward(self, x):
        return self.fc(x)

net = Net()
`);
    assert.equal(r.diagnostics.length, 1);
    assert.match(r.diagnostics[0].message, /^AttributeError: 'Net' object has no attribute 'head'/);
  });

  it("a submodule or parameter set before super().__init__() raises AttributeError; plain values do not", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        self.k = 3
        self.fc = nn.Linear(4, 2)
        super().__init__()

    def forward(self, x):
        return self.fc(x)

class Ok(nn.Module):
    def __init__(self):
        super(Ok, self).__init__()
        self.w = nn.Parameter(torch.zeros(2))

    def forward(self, x):
        return x * self.w

net = Net()
ok = Ok()
ok(torch.randn(3, 2))
`);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0].message, "AttributeError: cannot assign module before Module.__init__() call");
    assert.equal(r.diagnostics[0].line, 10);
    assert.equal(r.diagnostics[0].column, 9);
    assert.deepEqual(r.models[1].output, [3, 2]);
  });

  it("a misspelt tensor method raises AttributeError where PyTorch does", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x).flaten(1)

net = Net()
net(torch.randn(3, 4))
`);
    assert.equal(r.diagnostics.length, 1);
    assert.match(r.diagnostics[0].message, /^'Tensor' object has no attribute 'flaten'/);
  });

  it("isinstance against typing and collections.abc types", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self, setting=(4, 8)):
        super().__init__()
        if not isinstance(setting, Sequence) or not isinstance(setting, collections.abc.Sequence):
            raise TypeError("setting should be a sequence")
        assert not isinstance(setting, List) and not isinstance({}, collections.abc.Sequence)
        self.fc = nn.Linear(setting[0], setting[1])

    def forward(self, x):
        return self.fc(x)

net = Net()
y = net(torch.randn(1, 4))
`);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models[0].output, [1, 8]);
  });

  it("copy.copy of a config object is a new object; copy.deepcopy copies nested lists too", () => {
    const r = report(`
import copy

class Cfg:
    def __init__(self, c, sizes):
        self.c = c
        self.sizes = sizes

class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        a = copy.copy(cfg)
        a.c = 5
        a.sizes.append(7)
        b = copy.deepcopy(cfg)
        b.sizes.append(9)
        self.fc1 = nn.Linear(2, cfg.c)
        self.fc2 = nn.Linear(2, a.c)
        self.fc3 = nn.Linear(2, len(cfg.sizes) + len(b.sizes))

    def forward(self, x):
        return self.fc1(x), self.fc2(x), self.fc3(x)

net = Net(Cfg(3, [1]))
y = net(torch.randn(1, 2))
`);
    // cfg.sizes is [1, 7] (shared with the shallow copy), b.sizes [1, 7, 9]
    assert.deepEqual(r.models[0].output, [[1, 3], [1, 5], [1, 5]]);
  });

  it("@dataclass makes __init__ from annotated fields: defaults, field(default_factory), bases, __post_init__", () => {
    const r = report(`
from dataclasses import dataclass, field
import dataclasses

@dataclass
class Base:
    width: int
    depth: int = 2

@dataclasses.dataclass(frozen=False)
class Cfg(Base):
    kernels: List[int] = field(default_factory=lambda: [3, 5])
    scale: float = field(default=0.5)
    total: int = field(init=False, default=0)

    def __post_init__(self):
        self.total = self.width * self.depth

class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fc = nn.Linear(cfg.total + len(cfg.kernels), int(cfg.width * cfg.scale))

    def forward(self, x):
        return self.fc(x)

a = Cfg(8)
a.kernels.append(7)
net = Net(Cfg(4, depth=3))
y = net(torch.randn(1, 14))
`);
    // Cfg(4, depth=3): total 12, kernels [3, 5] (a fresh list per instance), out int(4 * 0.5) = 2
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models[0].output, [1, 2]);
  });

  it("a dataclass called without a required field raises CPython's TypeError", () => {
    const r = report(`
from dataclasses import dataclass

@dataclass
class Cfg:
    width: int
    depth: int

class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fc = nn.Linear(cfg.width, cfg.depth)

    def forward(self, x):
        return self.fc(x)

net = Net(Cfg(4))
`);
    assert.equal(r.diagnostics[0]?.message, "TypeError: Cfg.__init__() missing 1 required positional argument: 'depth'");
  });

  it("a raised exception reports its message (one argument, several as a tuple, none empty)", () => {
    const src = (raise: string): string => `
class Net(nn.Module):
    def __init__(self, mode="x"):
        super().__init__()
        ${raise}

    def forward(self, x):
        return x

net = Net("y")
`;
    const message = (raise: string): string => report(src(raise)).diagnostics[0]?.message;
    assert.equal(message(`raise ValueError("unsupported mode {}".format(mode))`), "ValueError: unsupported mode y");
    assert.equal(message(`raise ValueError("bad", 3)`), "ValueError: ('bad', 3)");
    assert.equal(message("raise NotImplementedError"), "NotImplementedError: ");
  });

  it("ParameterList / ParameterDict hold parameters; x[i] = v calls __setitem__ and replaces container items", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.ws = nn.ParameterList([nn.Parameter(torch.randn(4, 3))])
        self.ws.append(nn.Parameter(torch.randn(2, 4)))
        self.ws.extend([torch.zeros(2)])
        self.d = nn.ParameterDict({"b": nn.Parameter(torch.zeros(5)), "a": nn.Parameter(torch.zeros(3), requires_grad=False)})
        self.seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
        self.seq[0] = nn.Linear(2, 6)
        self.seq[-1] = nn.Tanh()

    def forward(self, x):
        for w in self.ws[:2]:
            x = x @ w.t()
        assert len(self.ws) == 3 and "a" in self.d and list(self.d.keys()) == ["a", "b"]
        return self.seq(x + self.ws[-1]) + self.d["b"].sum()

y = Net()(torch.randn(7, 3))
`);
    const m = r.models[0];
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(m.output, [7, 6]);
    assert.equal(m.params, 12 + 8 + 2 + 5 + 3 + 18);
    assert.equal(m.trainableParams, (m.params ?? 0) - 3);
    assert.deepEqual(m.layers.map((l) => `${l.path}:${l.type}`), ["seq.0:Linear", "seq.1:Tanh"]);
  });
  it("costs a layer subclass that pads its input or crops its output for the output it really gives", () => {
    const r = report(`
import torch.nn.functional as F

class SameConv(nn.Conv2d):
    def forward(self, x):
        return F.conv2d(F.pad(x, [1, 1, 1, 1]), self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

class CropConv(nn.Conv2d):
    def forward(self, x):
        return super().forward(x)[:, :, 1:-1, 1:-1]

class CropUp(nn.ConvTranspose2d):
    def forward(self, x):
        return super().forward(x)[..., :-1, :-1]

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = SameConv(3, 4, 3)
        self.a = CropConv(4, 8, 3, padding=1)
        self.b = CropUp(8, 4, 3, stride=2, padding=1, output_padding=1)

    def forward(self, x):
        return self.b(self.a(self.s(x)))

net = Net()
y = net(torch.randn(1, 3, 10, 10))
`);
    const [s, a, b] = r.models[r.models.length - 1].layers;
    assert.deepEqual([s.output, s.macs, s.flops], [[1, 4, 10, 10], 400 * 27, 400 * 54]);
    assert.deepEqual([a.output, a.macs, a.flops], [[1, 8, 8, 8], 512 * 36, 512 * 72]);
    assert.deepEqual([b.output, b.macs, b.flops], [[1, 4, 15, 15], 18432, 2 * 18432 + 900]);
  });

  it("an abstract base (abc.ABC or metaclass=ABCMeta) with abstract methods left is not instantiable", () => {
    const r = report(`
import abc
from abc import ABC, abstractmethod

class Backbone(nn.Module, ABC):
    def __init__(self):
        super().__init__()
        self.body = self.build()

    @abstractmethod
    def build(self):
        ...

    def forward(self, x):
        return self.body(x)

class Small(Backbone):
    def build(self):
        return nn.Sequential(nn.Linear(4, 2))

class Meta(nn.Module, metaclass=abc.ABCMeta):
    @abc.abstractmethod
    def b(self):
        pass

    @abc.abstractmethod
    def a(self):
        pass

s = Small()
s(torch.randn(1, 4))
m = Meta()
`);
    assert.deepEqual(r.models.map((m) => [m.name, m.error ?? null]), [
      ["Backbone", "not constructible without arguments (TypeError)"],
      ["Small", null],
      ["Meta", "not constructible without arguments (TypeError)"],
    ]);
    assert.deepEqual(r.models[1].output, [1, 2]);
    assert.deepEqual(r.diagnostics.map((d) => d.message), ["TypeError: Can't instantiate abstract class Meta with abstract methods a, b"]);
  });
});
