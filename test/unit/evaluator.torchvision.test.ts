// torchvision.models run from their Python source, and parameter counts that stay unknown when a module is not understood.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { ModelReport, Report } from "../../src/python/report";
import { modelTable } from "../../src/cli/table";
import { tvStats } from "../../src/python/torchvision";

const HEADER = "import math\nimport torch\nimport torch.nn as nn\n\n";

function report(src: string): Report {
  return analyzeSource(HEADER + src).report;
}

function model(src: string, name = "Net"): ModelReport {
  const m = report(src).models.find((x) => x.name === name);
  assert.ok(m, `model ${name}`);
  return m;
}

/** A model holding `expr` as `self.backbone` (the head reads 10 features). */
function holding(expr: string, imports = ""): string {
  return `${imports}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = ${expr}
        self.head = nn.Linear(10, 2)

    def forward(self, x):
        return self.head(x)

net = Net()
y = net(torch.randn(1, 10))
`;
}

describe("evaluator: parameter counts with modules that are not understood", () => {
  it("an attribute holding what an unknown library's call gave makes the counts unknown, with the reason", () => {
    const m = model(holding(`timm.create_model("resnet18")`, "import timm\n"));
    assert.equal(m.params, null);
    assert.equal(m.trainableParams, null);
    assert.deepEqual(m.unknownParams, ["backbone: timm.create_model is not modelled"]);
    assert.deepEqual(m.output, [1, 2]); // the forward is unaffected
  });

  it("so do torch.load, an unknown class's instance and an unknown entry of a container", () => {
    assert.equal(model(holding(`torch.load("model.pt")`)).params, null);
    assert.equal(model(holding("Backbone(3)", "from mylib import Backbone\n")).params, null);
    const seq = model(holding("nn.Sequential(nn.Linear(4, 4), mylib.Block(4))", "import mylib\n"));
    assert.equal(seq.params, null);
    assert.deepEqual(seq.unknownParams, ["backbone.1: mylib.Block is not modelled"]);
    const ml = model(holding("nn.ModuleList([mylib.Block(4)])", "import mylib\n"));
    assert.deepEqual(ml.unknownParams, ["backbone.0: mylib.Block is not modelled"]);
  });

  it("parameterless known values keep the count: losses, CosineSimilarity, numbers, strings, tensors, None, an unknown constant", () => {
    for (const expr of ["nn.CrossEntropyLoss()", "nn.CosineSimilarity(dim=1)", "0.5", '"relu"', "torch.zeros(3)", "None", "mylib.EPS", "math.sqrt(2)"]) {
      const m = model(holding(expr, "import mylib\n"));
      assert.equal(m.params, 22, expr);
      assert.equal(m.trainableParams, 22, expr);
      assert.equal(m.unknownParams, undefined, expr);
    }
  });

  it("a layer row holding such a module has unknown params; the CLI total names the reason", () => {
    const r = report(`import timm
class Wrap(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = timm.create_model("x")

    def forward(self, x):
        return self.inner(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = Wrap()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        return self.fc(self.w(x))

net = Net()
y = net(torch.randn(1, 3))
`);
    const m = r.models.find((x) => x.name === "Net")!;
    assert.equal(m.layers.find((l) => l.path === "w")?.params, null);
    assert.equal(m.layers.find((l) => l.path === "fc")?.params, 12);
    assert.match(modelTable(m, "f.py", { macs: false }), /Total params: unknown \(w\.inner: timm\.create_model is not modelled\)/);
  });
});

describe("evaluator: torchvision.models", () => {
  const count = (expr: string, imports: string): number | null => {
    const src = `${imports}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.m = ${expr}

    def forward(self, x):
        return self.m(x)
`;
    return model(src).params;
  };

  it("resolves every import form to the same builder", () => {
    assert.equal(count("torchvision.models.resnet18()", "import torchvision\n"), 11689512);
    assert.equal(count("models.resnet18(weights=None)", "import torchvision.models as models\n"), 11689512);
    assert.equal(count("models.resnet18()", "from torchvision import models\n"), 11689512);
    assert.equal(count("resnet18(weights=ResNet18_Weights.DEFAULT)", "from torchvision.models import resnet18, ResNet18_Weights\n"), 11689512);
    assert.equal(count("ResNet(BasicBlock, [2, 2, 2, 2])", "from torchvision.models.resnet import ResNet, BasicBlock\n"), 11689512);
    assert.equal(count("get_model('mobilenet_v2', weights=None)", "from torchvision.models import get_model\n"), 3504872);
  });

  it("takes weights, pretrained and progress without changing the counts; pretrained weights fix num_classes", () => {
    const imp = "import torchvision.models as models\n";
    for (const expr of ["models.resnet50(pretrained=True)", "models.resnet50(weights='DEFAULT')", "models.resnet50(weights='IMAGENET1K_V2', progress=False)",
      "models.resnet50(weights=models.ResNet50_Weights.IMAGENET1K_V1)", "models.resnet50(True)", "models.resnet50(num_classes=1000, pretrained=True)"]) {
      assert.equal(count(expr, imp), 25557032, expr);
    }
    assert.equal(count("models.resnet50(pretrained=False, num_classes=10)", imp), 25557032 - 2049 * 990);
    const r = report(`import torchvision.models as models
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.m = models.resnet18(weights=models.ResNet18_Weights.DEFAULT, num_classes=10)

net = Net()
`);
    assert.ok(r.models[0].error);
    assert.match(r.diagnostics[0].message, /ValueError: The parameter 'num_classes' expected value 1000 but got 10 instead\./);
    const wrong = report(`import torchvision.models as models
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.m = models.resnet18(weights=models.ResNet50_Weights.DEFAULT)

net = Net()
`);
    assert.match(wrong.diagnostics[0].message, /TypeError: Invalid Weight class provided; expected ResNet18_Weights but received ResNet50_Weights\./);
  });

  it("gives a weights enum's transforms() the crop size, and its meta the 1000 categories", () => {
    const r = report(`from torchvision.models import efficientnet_b3, EfficientNet_B3_Weights
weights = EfficientNet_B3_Weights.DEFAULT
preprocess = weights.transforms()
n = len(weights.meta["categories"])

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(300 * n, 2)

    def forward(self, x):
        return self.fc(x.flatten(2))

net = Net()
y = net(preprocess(torch.randn(3, 500, 400)).unsqueeze(0))
`);
    assert.deepEqual(r.models[0].input, [[1, 3, 300, 300]]);
    assert.equal(r.models[0].params, (300 * 1000 + 1) * 2);
  });

  it("leaves a torchvision model it does not model unknown, with the reason", () => {
    const m = model(`import torchvision
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.vit = torchvision.models.vit_b_16(weights=None)

    def forward(self, x):
        return self.vit(x)
`);
    assert.equal(m.params, null);
    assert.deepEqual(m.unknownParams, ["vit: torchvision.models.vit_b_16 is not modelled"]);
  });

  it("offers torchvision.ops' blocks to user models", () => {
    const m = model(`from torchvision.ops import Conv2dNormActivation, SqueezeExcitation
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Conv2dNormActivation(3, 16, stride=2)
        self.se = SqueezeExcitation(16, 4)

    def forward(self, x):
        return self.se(self.stem(x))

net = Net()
y = net(torch.randn(1, 3, 32, 32))
`);
    assert.deepEqual(m.output, [1, 16, 16, 16]);
    assert.equal(m.params, 3 * 16 * 9 + 32 + (16 * 4 + 4) + (4 * 16 + 16));
    assert.deepEqual(m.layers.map((l) => l.path).slice(0, 4), ["stem.0", "stem.1", "stem.2", "se.avgpool"]);
  });

  it("offers torchvision.ops' detection ops: roi_align over a list of boxes, box ops, nms of unknown length", () => {
    const m = model(`import torchvision
from torchvision.ops import roi_align, box_iou
class Net(nn.Module):
    def forward(self, x, boxes, scores):
        r = roi_align(x, [boxes, boxes[:2]], output_size=(7, 5), spatial_scale=0.5)
        keep = torchvision.ops.nms(boxes, scores, 0.5)
        return r, box_iou(boxes, boxes[:2]), keep

net = Net()
y = net(torch.randn(2, 8, 16, 16), torch.rand(4, 4), torch.rand(4))
`);
    assert.deepEqual(m.output, [[6, 8, 7, 5], [4, 2], [null]]); // nms keeps a data-dependent number of boxes
    assert.equal(m.flops, null);
    const bad = report(`from torchvision.ops import roi_align
class Net(nn.Module):
    def forward(self, x, boxes):
        return roi_align(x, boxes, 7)

net = Net()
y = net(torch.randn(1, 8, 16, 16), torch.rand(3, 4))
`);
    assert.match(bad.diagnostics[0].message, /not correct as Tensor\[K, 5\]/);
  });

  it("parses the source once, runs it only in analyses that ask for torchvision", () => {
    const before = { ...tvStats };
    report("class Net(nn.Module):\n    def forward(self, x):\n        return x\n");
    assert.equal(tvStats.runs, before.runs);
    report("import torchvision\na = torchvision.models.resnet18()\nb = torchvision.models.vgg11()\n");
    report("from torchvision.models import alexnet\n");
    assert.equal(tvStats.runs, before.runs + 2);
    assert.ok(tvStats.parses <= 1);
  });
});
