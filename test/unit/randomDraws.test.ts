// Python's random module in driver code, and containers indexed by a value not known statically.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";

const HEAD = "import random\nimport torch\nimport torch.nn as nn\n\n";

describe("random draws and unknown indices", () => {
  it("a condition on random.random() runs both ways: a shape error on either branch is not hidden", () => {
    const r = analyzeSource(`${HEAD}class Dec(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Linear(4, 8)
        self.out = nn.Linear(8, 3)

    def forward(self, x, ratio=0.5):
        if random.random() < ratio:
            x = self.emb(x)
        return self.out(x)


Dec()(torch.randn(2, 4))
`).report;
    // taken, the branch gives (2, 8) and out works; not taken, out gets (2, 4): the two ways disagree
    assert.equal(r.models[0].output, null);
  });

  it("an item picked by an unknown index is what all items share: same-shape tensors, tuples item by item", () => {
    const r = analyzeSource(`${HEAD}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        return self.fc(x)


k = int(random.random() * 3)
pairs = {0: (torch.randn(5, 6), 1), 1: (torch.randn(5, 6), 2)}
x, label = pairs[k]
Net()(x)
`).report;
    assert.deepEqual(r.models[0].input, [[5, 6]]);
    assert.deepEqual(r.models[0].output, [5, 2]);
  });
});
