// The static evaluator on torch.distributions: sample shapes, log_prob / entropy batch shapes and kl_divergence.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";

describe("evaluator: torch.distributions", () => {
  it("Categorical/Normal/Bernoulli samples and log_probs have PyTorch's shapes", () => {
    const r = analyzeSource(`import torch
import torch.nn as nn
from torch.distributions import Categorical, Normal, Bernoulli, kl_divergence

class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.mu = nn.Linear(4, 2)

    def forward(self, x):
        d = Categorical(logits=self.fc(x))
        a = d.sample()
        n = Normal(self.mu(x), 1.0)
        s = n.sample((5,))
        b = Bernoulli(logits=self.mu(x)).sample()
        kl = kl_divergence(n, Normal(torch.zeros(2), torch.ones(2)))
        return a, d.log_prob(a), d.entropy(), s, n.log_prob(s), b, n.rsample(), kl

p = Policy()
out = p(torch.randn(6, 4))
`).report;
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.models[0].output, [[6], [6], [6], [5, 6, 2], [5, 6, 2], [6, 2], [6, 2], [6, 2]]);
  });
});
