// The static evaluator on how models are put together: unbound nn.Module methods, __setattr__, _modules writes, user decorators.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\n\n";

function report(src: string): Report {
  return analyzeSource(HEADER + src).report;
}

describe("evaluator: structure idioms", () => {
  it("nn.Module.__init__(self) and nn.Sequential.__init__(self, ...) called unbound take self from the first argument", () => {
    const r = report(`
class Old(nn.Module):
    def __init__(self):
        nn.Module.__init__(self)
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        return self.fc(x)

class Block(nn.Sequential):
    def __init__(self):
        nn.Sequential.__init__(self, nn.Linear(4, 5), nn.ReLU())

a = Old()
y = a(torch.randn(2, 3))
b = Block()
z = b(torch.randn(2, 4))
`);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models.find((m) => m.name === "Old")?.output, [2, 4]);
    const blk = r.models.find((m) => m.name === "Block");
    assert.deepEqual(blk?.output, [2, 5]);
    assert.deepEqual(blk?.layers.map((l) => l.path), ["0", "1"]);
  });

  it("self.__setattr__(name, layer) and self._modules[name] = layer register children", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.__setattr__("a", nn.Linear(3, 4))
        self._modules["b"] = nn.Linear(4, 2)

    def forward(self, x):
        return self.b(self.a(x))

net = Net()
y = net(torch.randn(1, 3))
`);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.models[0].params, 16 + 10);
    assert.deepEqual(r.models[0].layers.map((l) => l.path), ["a", "b"]);
  });

  it("applies decorators written in the file to classes and functions (registries)", () => {
    const r = report(`
MODELS = {}

def register(name):
    def deco(obj):
        MODELS[name] = obj
        return obj
    return deco

@register("mlp")
class MLP(nn.Module):
    def __init__(self, d=6):
        super().__init__()
        self.fc = nn.Linear(d, 2)

    def forward(self, x):
        return self.fc(x)

@register("small")
def small():
    return MLP(d=3)

@torch.no_grad()
def unused():
    return 1

m = MODELS["small"]()
y = m(torch.randn(5, 3))
`);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models[0].input, [[5, 3]]);
    assert.deepEqual(r.models[0].output, [5, 2]);
  });
  it("layer.bias = None removes the parameter and the bias FLOPs; object.__setattr__ keeps a module out of the tree", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.conv.bias = None
        object.__setattr__(self, "aux", nn.Linear(3, 3))

    def forward(self, x):
        return self.conv(x)

net = Net()
y = net(torch.randn(1, 3, 8, 8))
`);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.models[0].params, 4 * 3 * 9);
    assert.equal(r.models[0].flops, 4 * 36 * (2 * 27 - 1));
  });
  it("reports the models the file leaves: a Sequential name rebound later is no model, an annotated one is, a redefined class reports its last definition", () => {
    const r = report(`
head = nn.Sequential(nn.Linear(4, 2))
head = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
alias = head
seq: nn.Sequential = nn.Sequential(nn.Linear(3, 3))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 5)
`);
    assert.deepEqual(r.models.map((m) => [m.name, m.line]), [["head", 6], ["seq", 8], ["Net", 10], ["Net", 15]]);
    assert.deepEqual(r.models.map((m) => m.params), [40, 12, 15, 15]);
  });
  it("a class's own __getattr__ answers names nn.Module does not know (delegating wrappers), and a runaway one stops", () => {
    const r = report(`
class Wrap(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.inner, name)

    def forward(self, x):
        return self.inner(x)

class Loop(nn.Module):
    def __getattr__(self, name):
        return getattr(self.missing, name)

w = Wrap(nn.Linear(3, 7))
n = w.in_features
y = w(torch.randn(2, n))
ok = hasattr(Loop(), "anything")
`);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models[0].input, [[2, 3]]);
    assert.deepEqual(r.models[0].output, [2, 7]);
  });
  it("self.__dict__.update(kwargs) sets plain attributes (modules and instances)", () => {
    const r = report(`
class Cfg:
    def __init__(self, **kw):
        self.__dict__.update(kw)

class Net(nn.Module):
    def __init__(self, **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        self.fc = nn.Linear(self.d_in, Cfg(d=self.d_out).d)

    def forward(self, x):
        return self.fc(x)

net = Net(d_in=5, d_out=2)
y = net(torch.randn(3, 5))
`);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models[0].output, [3, 2]);
  });
  it("assert raises AssertionError when its test is known false; a class whose first instance failed after Module.__init__ reports construction failed", () => {
    const r = report(`
class Heads(nn.Module):
    def __init__(self, dim=24, heads=4):
        super().__init__()
        assert dim % heads == 0, "dim must be divisible by heads"
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x):
        assert x.dim() == 2, "expected vectors"
        return self.qkv(x)

class Fine(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        assert x.shape[-1] == 2
        return self.fc(x)

broken = Heads(dim=30)
f = Fine()
y = f(torch.randn(3, 2))
`);
    assert.equal(r.models[0].error, "construction failed");
    assert.deepEqual(r.models[1].output, [3, 2]);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.column, d.code, d.message]), [[8, 16, "groups-mismatch", "dim must be divisible by heads"]]);
  });

  it("a model that is itself a layer subclass counts its layer's cost in the totals", () => {
    const r = report(`
class MyLinear(nn.Linear):
    pass

m = MyLinear(3, 4)
y = m(torch.randn(2, 3))
`);
    assert.equal(r.models[0].macs, 24);
    assert.equal(r.models[0].flops, 48);
  });
  it("remove_weight_norm makes weight one parameter again; a bias registered on a bias=False layer is added by its forward", () => {
    const r = report(`
from torch.nn.utils import weight_norm, remove_weight_norm

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = weight_norm(nn.Linear(4, 4))
        remove_weight_norm(self.a)
        self.b = nn.Linear(4, 4, bias=False)
        self.b.register_parameter("bias", nn.Parameter(torch.zeros(4)))

    def forward(self, x):
        return self.b(self.a(x))

net = Net()
y = net(torch.randn(1, 4))
`);
    assert.equal(r.models[0].params, 40);
    assert.deepEqual(r.models[0].layers.map((l) => l.flops), [32, 32]);
  });
  it("str.rsplit/split with maxsplit, rpartition, startswith a tuple; get_submodule walks dotted names", () => {
    const r = report(`
a = "layer1.0.conv".rsplit(".", 1)
b = "layer1.0.conv".split(".", 1)
c = "x".rpartition(".")
e = "conv1".startswith(("bn", "conv"))
net = nn.Sequential(nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
inner = net.get_submodule("0.1")
model = nn.Sequential(nn.Linear(len(a[0]) * 100 + len(b[1]) * 10 + len(c[2]) + int(e) * 1000 + int(isinstance(inner, nn.ReLU)) * 10000, 1))
`);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.models.find((m) => m.name === "model")?.params, 11861 + 1);
  });
});
