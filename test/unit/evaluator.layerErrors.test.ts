// A layer built with a float size (nn.Linear(h, h / 2)) or called on a non-tensor (an LSTM's tuple, a forgotten return): PyTorch 1.13's messages.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

function report(src: string): Report {
  return analyzeSource("import torch\nimport torch.nn as nn\n" + src).report;
}

describe("evaluator: layer construction and input-type errors", () => {
  it("a float among a layer's sizes fails making its first parameter", () => {
    const r = report(`
class A(nn.Module):
    def __init__(self, h=64):
        super().__init__()
        self.fc = nn.Linear(h, h / 2)

class B(nn.Module):
    def __init__(self, c=3.0):
        super().__init__()
        self.conv = nn.Conv2d(c, 8, 3)

class C(nn.Module):
    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm2d(16 / 2)
        self.pool = nn.MaxPool2d(2.0)

a = A()
b = B()
c = C()
`);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.message]), [
      [7, "TypeError: empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType), but expected one of:"],
      [12, "TypeError: empty(): argument 'size' must be tuple of SymInts, but found element of type float at pos 2"],
      [17, "TypeError: empty() received an invalid combination of arguments - got (float, dtype=NoneType, device=NoneType), but expected one of:"],
    ]);
  });

  it("a layer called on a tuple or None raises what its forward raises first", () => {
    const r = report(`
class Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.LSTM(8, 16, batch_first=True), nn.Linear(16, 4))

    def forward(self, x):
        return self.net(x)

class Norm(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(8, 16)
        self.bn = nn.BatchNorm1d(16)

    def forward(self, x):
        return self.bn(self.rnn(x))

class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, bias=False, padding="same")

    def forward(self, x):
        return self.conv(None)

s = Seq()
s(torch.randn(2, 5, 8))
n = Norm()
n(torch.randn(5, 2, 8))
c = Conv()
c(torch.randn(1, 3, 8, 8))
`);
    assert.deepEqual(r.diagnostics.map((d) => d.message), [
      "linear(): argument 'input' (position 1) must be Tensor, not tuple (in Linear.forward, input (2, 5, 16))",
      "'tuple' object has no attribute 'dim' (in BatchNorm1d.forward, input (5, 2, 16))",
      "conv2d() received an invalid combination of arguments - got (NoneType, Parameter, NoneType, tuple, str, tuple, int), but expected one of: (in Conv2d.forward, input ?)",
    ]);
  });

  it("a class, function or value given to a container is named as torch.typename does", () => {
    const r = report(`
import torch.nn.functional as F

class Block(nn.Module):
    pass

def act(x):
    return x

a = nn.Sequential(nn.Linear(4, 8), nn.ReLU)
b = nn.Sequential(F.relu)
c = nn.Sequential(Block, lambda x: x)
d = nn.Sequential(act)
e = nn.Sequential(F.max_pool2d)
f = nn.Sequential(torch.tanh, F.gelu)
g = nn.Sequential(nn.Linear(2, 2), "relu")
h = nn.Sequential()
h.add_module("flat", nn.Flatten)
`);
    assert.deepEqual(r.diagnostics.map((d) => d.message.replace(/^TypeError: | is not a Module subclass$/g, "")), [
      "torch.nn.modules.activation.ReLU",
      "torch.nn.functional.relu",
      "__main__.Block",
      "__main__.act",
      "torch.nn.functional.boolean_dispatch.<locals>.fn",
      "torch._VariableFunctionsClass.tanh",
      "str",
      "torch.nn.modules.flatten.Flatten",
    ]);
  });
});
