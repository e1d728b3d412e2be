// Top-level driver code around a model: DataLoader batches, argparse configs, training loops (repeated calls, runaway loops).
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { ModelReport } from "../../src/python/report";

const HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n";

const NET = `
class Net(nn.Module):
    def __init__(self, n_in=8, n_out=3):
        super().__init__()
        self.fc = nn.Linear(n_in, n_out)

    def forward(self, x):
        return self.fc(x)

`;

function analyse(src: string, options?: Parameters<typeof analyzeSource>[1]): { ms: ModelReport[]; diags: string[] } {
  const r = analyzeSource(HEADER + NET + src, options).report;
  return { ms: r.models, diags: r.diagnostics.map((d) => `${d.line}: ${d.message}`) };
}

describe("evaluator: driver code", () => {
  it("gives the model the first batch of a DataLoader over a TensorDataset", () => {
    const { ms, diags } = analyse(`
from torch.utils.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(torch.randn(10, 8), torch.randint(0, 3, (10,))), batch_size=4, shuffle=True)
n = len(loader)
sizes = [x.shape[0] for x, y in loader]
model = Net(n_in=8, n_out=n)
for xb, yb in loader:
    out = model(xb)
last = Net(n_in=8, n_out=sizes[-1])
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].input, [[4, 8]]);
    assert.deepEqual(ms[0].output, [4, 3]); // len(loader) = ceil(10 / 4); the last batch holds 2
  });

  it("collates a Dataset subclass's items (tensors stacked, numbers made a tensor), with drop_last and random_split", () => {
    const { ms, diags } = analyse(`
import torch.utils.data as data

class Pairs(data.Dataset):
    def __len__(self):
        return 11

    def __getitem__(self, i):
        return {"x": torch.randn(8), "label": i % 2}

train, val = data.random_split(Pairs(), [0.8, 0.2])
loader = data.DataLoader(train, batch_size=3, drop_last=True)
batch = next(iter(loader))
model = Net(n_out=len(loader) * 10 + len(val))
model(batch["x"] + batch["label"].unsqueeze(1))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].input, [[3, 8]]);
    assert.deepEqual(ms[0].output, [3, 32]); // 9 of 11 samples for training: 3 full batches; 2 for validation
  });

  it("reads argparse defaults, parses an explicit argument list, and keeps torchvision transforms' shapes", () => {
    const { ms, diags } = analyse(`
import argparse
from torchvision import transforms
parser = argparse.ArgumentParser()
parser.add_argument("--in-dim", type=int, default="8")
parser.add_argument("--out", type=int, default=5)
parser.add_argument("--sizes", type=int, nargs="+", default=[1])
parser.add_argument("--fast", action="store_true")
args, _ = parser.parse_known_args()
other = parser.parse_args(["--out=7", "--sizes", "2", "3", "--fast"])
t = transforms.Compose([transforms.Resize(16), transforms.CenterCrop(12), transforms.Normalize([0.5], [0.5])])
img = t(torch.randn(3, 20, 30))
model = Net(args.in_dim * img.shape[1] // 12, other.out + sum(other.sizes) + other.fast + args.fast)
model(torch.randn(2, 8))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].output, [2, 13]);
  });

  it("batches torchvision datasets' PIL images through ToTensor (FakeData, MNIST's and CIFAR-10's real sizes)", () => {
    const { ms, diags } = analyse(`
import torchvision
from torchvision import datasets, transforms
tf = transforms.Compose([transforms.Resize(8), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
fake = datasets.FakeData(size=10, image_size=(1, 16, 12), transform=tf)
img, target = fake[0]
mnist = datasets.MNIST("../data", train=False, download=True, transform=transforms.ToTensor())
cifar = torchvision.datasets.CIFAR10("../data", train=True, transform=transforms.ToTensor())
loader = torch.utils.data.DataLoader(fake, batch_size=4)
xb, yb = next(iter(loader))
model = Net(n_in=xb.shape[1] * xb.shape[2] * xb.shape[3], n_out=len(mnist) // 1000 + len(cifar) // 10000 + cifar[0][0].shape[0])
model(xb.flatten(1))
classes = ("a", "b", "c")
name = classes[yb[0]]
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].input, [[4, 80]]); // Resize(8): 1 x 16 x 12 -> 1 x 10 x 8 (the short side becomes 8)
    assert.deepEqual(ms[0].output, [4, 18]);
  });

  it("refuses what PyTorch refuses: ToTensor of a tensor, a float tensor as a tuple index", () => {
    const { diags } = analyse(`
from torchvision import transforms
x = transforms.ToTensor()(torch.rand(3, 8, 8))
`);
    assert.match(diags[0], /TypeError: pic should be PIL Image or ndarray/);
    const { diags: d2 } = analyse(`
names = ("a", "b")
n = names[torch.tensor(1.0)]
`);
    assert.match(d2[0], /TypeError: only integer tensors of a single element can be converted to an index/);
  });

  it("runs an optimizer's step(closure) (LBFGS training), keeps param groups' lr, and draws from random", () => {
    const { ms, diags } = analyse(`
import random
import torch.optim as optim
model = Net()
opt = optim.LBFGS(model.parameters(), lr=0.8)
sgd = optim.SGD([{"params": model.parameters()}, {"params": [], "lr": 0.1}], lr=0.01, momentum=0.9)
lrs = [g["lr"] for g in sgd.param_groups]
if lrs != [0.01, 0.1] or opt.param_groups[0]["lr"] != 0.8 or optim.Adam(model.parameters()).defaults["lr"] != 0.001:
    raise ValueError(str(lrs))
data = torch.randn(10, 8)
def closure():
    opt.zero_grad()
    loss = model(data[random.randint(2, 5):]).sum()
    loss.backward()
    return loss
opt.step(closure)
model(torch.randn(1, 8))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].input, [[8, 8]]); // the closure made the first call; random.randint(2, 5) draws the low end
  });

  it("an SGD without lr fails as in PyTorch (lr has no default there)", () => {
    const { diags } = analyse(`
import torch.optim as optim
model = Net()
opt = optim.SGD(model.parameters(), momentum=0.9)
`);
    assert.equal(diags.length, 1);
    assert.match(diags[0], /^\d+: .*ValueError: parameter group didn't specify a value of required optimization parameter lr/);
  });

  it("changes a tensor itself with an in-place squeeze_/unsqueeze_, each batch a fresh tensor", () => {
    const { ms, diags } = analyse(`
from torch.utils.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(torch.randn(12, 1, 1, 8), torch.zeros(12)), batch_size=4)
model = Net()
for xb, yb in loader:
    xb.squeeze_(1)
x = torch.randn(8)
y = x
y.unsqueeze_(0).unsqueeze_(0).squeeze_(0)
model(torch.cat([xb.squeeze(1), x]))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].input, [[5, 8]]); // xb is (4, 1, 8): squeezed once, like every batch; x became (1, 8)
  });

  it("lists torchvision's builders from models.__dict__ (the ImageNet example's --arch choices) and builds one by name", () => {
    const { ms, diags } = analyse(`
import torchvision.models as models
model_names = sorted(name for name in models.__dict__
    if name.islower() and not name.startswith("__")
    and callable(models.__dict__[name]))
backbone = models.__dict__["resnet18"]()
model = Net(n_in=backbone.fc.in_features, n_out=len(model_names) + "ResNet".isupper() + "resnet".isalpha())
model(torch.randn(2, 512))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].output, [2, 86]); // torchvision 0.14 lists 85 lowercase callables
  });

  it("gives a trainable parameter a gradient of its shape (a hand-written SGD step), a frozen one None", () => {
    const { ms, diags } = analyse(`
model = Net(n_in=8, n_out=5)
model.fc.bias.requires_grad = False
loss = model(torch.randn(2, 8)).sum()
loss.backward()
torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
for p in model.parameters():
    if p.grad is not None:
        p.data.add_(p.grad, alpha=-0.1)
head = nn.Sequential(nn.Linear(8, model.fc.weight.grad.shape[0] + (model.fc.bias.grad is None)))
head(torch.randn(3, 8))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[1].output, [3, 6]);
  });

  it("runs a long training loop within a million steps, and sees a model attribute change between calls", () => {
    // 40,000 model calls (the driver memo spares most of them); steps, not the clock,
    // bound this run so that a loaded machine cannot change the outcome
    const { ms, diags } = analyse(`
class Grow(nn.Module):
    def __init__(self):
        super().__init__()
        self.k = 1
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return torch.cat([self.fc(x)] * self.k, dim=1)

model = Net()
grow = Grow()
x = torch.randn(4, 8)
for epoch in range(200):
    for step in range(200):
        out = model(x)
        g = grow(x)
    if epoch == 150:
        grow.k = 2
head = nn.Sequential(nn.Linear(16, 2))
head(g)
`, { limits: { maxSteps: 1_000_000, maxMillis: 600_000 } });
    assert.deepEqual(diags, []);
    assert.deepEqual(ms.map((m) => m.input), [[[4, 8]], [[4, 8]], [[4, 16]]]);
  });

  it("stops a runaway top-level loop and still analyses the models", () => {
    const { ms, diags } = analyse(`
model = Net()
step = 0
while True:
    model(torch.randn(2, 8))
    step += 1
`, { limits: { maxMillis: 1000 } });
    assert.equal(diags.length, 1);
    assert.match(diags[0], /^\d+: not analysed/);
    assert.deepEqual(ms[0].input, [[2, 8]]);
    assert.deepEqual(ms[0].output, [2, 3]);
  });

  it("calls __len__ for len() of an object, and has str.lstrip/rstrip/partition", () => {
    const { ms, diags } = analyse(`
class Bag:
    def __len__(self):
        return 6

    def __iter__(self):
        return iter([1, 2])

name, sep, rest = "--a=b".lstrip("-").partition("=")
m = Net(len(Bag()) + len(name + sep + rest) + len("xxyy".rstrip("y")))
m(torch.randn(1, 11))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].output, [1, 3]);
  });

  it("runs forward hooks and pre-hooks around forward, and takes them off with handle.remove()", () => {
    const { ms, diags } = analyse(`
shapes = []
def record(module, inputs, output):
    shapes.append(tuple(output.shape))

def widen(module, inputs):
    return torch.cat([inputs[0], inputs[0]], dim=1)

m = Net(16, 3)
h = m.fc.register_forward_hook(record)
m.register_forward_pre_hook(widen)
m(torch.randn(2, 8))
h.remove()
m(torch.randn(5, 8))
seq = nn.Sequential(nn.Linear(shapes[0][1], 2))
seq(torch.randn(len(shapes), 3))
`);
    assert.deepEqual(diags, []);
    assert.deepEqual(ms[0].output, [2, 3], "the pre-hook widened the input to 16 features");
    assert.deepEqual(ms[1].input, [[1, 3]], "one call recorded: the hook was removed before the second");
  });
});
