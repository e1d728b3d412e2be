// Integer value bounds (torch.randint draws, arange, literal ids) and the embedding lookups they make fail.
import * as assert from "node:assert/strict";
import { indexOutOfRange } from "../../src/core/valueRange";
import { analyzeSource } from "../../src/python/analyze";
import type { TensorMeta } from "../../src/core/types";

const ids = (shape: number[], lo: number, hi: number, random: boolean): TensorMeta => ({ kind: "tensor", shape, dtype: "long", range: { lo, hi, random } });

describe("value ranges of integer tensors", () => {
  it("fails a lookup for known values out of range, and for draws all but sure to leave the table", () => {
    assert.equal(indexOutOfRange(ids([24], 0, 23, false), 16), true);
    assert.equal(indexOutOfRange(ids([24], 0, 15, false), 16), false);
    assert.equal(indexOutOfRange(ids([8, 50], 0, 29999, true), 1000), true);
    assert.equal(indexOutOfRange(ids([2, 16], 1, 1000, true), 1000), false, "1 draw in 1000 out of range, 32 draws: unlikely");
    assert.equal(indexOutOfRange(ids([3, 5], -1, 8, true), 10), false, "1 draw in 10 out of range, 15 draws: 79%, not sure");
    assert.equal(indexOutOfRange(ids([8, 16], -1, 8, true), 10), true, "the same over 128 draws: 99.9999%");
    assert.equal(indexOutOfRange({ kind: "tensor", shape: [3], dtype: "long", values: [1, 12, 3] }, 10), true);
  });

  it("carries the bounds through shifts and reshapes to nn.Embedding and F.embedding", () => {
    const src = `import torch
import torch.nn as nn
import torch.nn.functional as F


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 4)
        self.w = nn.Parameter(torch.randn(10, 4))

    def forward(self, ids):
        a = self.emb((ids + 0).view(-1))
        pos = torch.arange(12).unsqueeze(0)
        return a, F.embedding(pos, self.w)


M()(torch.randint(0, 10, (2, 3)))
`;
    const d = analyzeSource(src).report.diagnostics.map((x) => `${x.line}: ${x.message}`);
    assert.deepEqual(d, ["15: index out of range in self (in M.forward, input (2, 3))"]);
  });
});
