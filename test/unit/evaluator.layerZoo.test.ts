// The evaluator on layer-zoo idioms: Embedding.from_pretrained, and indexing that PyTorch 1.13 does not trace.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

function report(src: string): Report {
  return analyzeSource("import torch\nimport torch.nn as nn\n\n" + src).report;
}

describe("evaluator: layer-zoo idioms", () => {
  it("Embedding.from_pretrained sizes the layer from the weight and freezes it by default", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.frozen = nn.Embedding.from_pretrained(torch.randn(20, 8), padding_idx=0)
        self.tuned = nn.Embedding.from_pretrained(torch.randn(5, 8), False)
        self.bag = nn.EmbeddingBag.from_pretrained(torch.randn(7, 8), mode='sum')

    def forward(self, ids):
        return self.frozen(ids) + self.tuned(ids % 5), self.bag(ids)

net = Net()
net(torch.randint(0, 5, (2, 3)))
`);
    const m = r.models[0];
    assert.equal(m.params, 20 * 8 + 5 * 8 + 7 * 8);
    assert.equal(m.trainableParams, 5 * 8);
    assert.deepEqual(m.output, [[2, 3, 8], [2, 8]]);
    assert.deepEqual(r.diagnostics, []);
  });

  it("from_pretrained of a weight that is not 2-D fails as PyTorch's assertion", () => {
    const r = report("e = nn.Embedding.from_pretrained(torch.randn(4))\n");
    assert.match(r.diagnostics[0]?.message ?? "", /AssertionError: Embeddings parameter is expected to be 2-dimensional/);
  });

  it("x[0] and x[1:] leave no receptive field (PyTorch 1.13 does not dispatch them); x[:, 1:] crops", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.a = nn.Conv2d(4, 4, 3)
        self.b = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        y = self.conv(x)
        return self.a(y[1:]), self.b(y[:, 1:])

net = Net()
net(torch.randn(2, 3, 16, 16))
`);
    const rf = Object.fromEntries(r.models[0].layers.map((l) => [l.path, l.rf]));
    assert.deepEqual(rf, { conv: 3, a: null, b: 5 });
  });

  it("a function read twice is the same object: F.relu is F.relu, not torch.relu", () => {
    const r = report(`
import torch.nn.functional as F
act = F.relu
if act is F.relu and act is not torch.relu:
    raise ValueError("identity")
`);
    assert.match(r.diagnostics[0]?.message ?? "", /ValueError: identity/);
  });

  it("TransformerEncoder in eval mode checks a key padding mask with an op that has no FLOPs rule", () => {
    const r = report(`
class Enc(nn.Module):
    def __init__(self, first):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, norm_first=not first), 1)

    def forward(self, x, pad):
        return self.enc(x, src_key_padding_mask=pad)

a = Enc(True)
a(torch.randn(2, 3, 8), torch.zeros(2, 3, dtype=torch.bool))
`);
    assert.equal(r.models[0].flops, null);
    assert.deepEqual(r.models[0].unknownFlops, ["_nested_tensor_from_mask_left_aligned"]);
  });

  it("rows of a tensor iterated over, and x.data, leave the spans behind as PyTorch 1.13 traces them", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.row = nn.Conv2d(4, 4, 3)
        self.det = nn.Conv2d(4, 4, 3)

    def forward(self, x):
        y = self.conv(x)
        rows = [self.row(r) for r in y]
        return rows[0], self.det(y.data)

net = Net()
net(torch.randn(2, 3, 12, 12))
`);
    const rf = r.models[0].layers.map((l) => [l.path, l.rf]);
    assert.deepEqual(rf, [["conv", 3], ["row", null], ["row", null], ["det", null]]);
  });

  it("torch.*_like of a spatial tensor is an op without an RF rule: merging it makes rf unknown", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.a = nn.Conv2d(4, 4, 3)

    def forward(self, x):
        y = self.conv(x)
        return self.a(y + torch.randn_like(y)), torch.zeros_like(y, dtype=torch.long)

net = Net()
net(torch.randn(2, 3, 12, 12))
`);
    assert.deepEqual(r.models[0].layers.map((l) => l.rf), [3, null]);
    assert.deepEqual(r.models[0].output, [[2, 4, 8, 8], [2, 4, 10, 10]]);
  });

  it("rot90 swaps its dims for odd k; lerp/addcmul broadcast; F.logsigmoid is traced as log_sigmoid (no RF rule)", () => {
    const r = report(`
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.a = nn.Conv2d(4, 4, 3)

    def forward(self, x):
        y = self.conv(x)
        return torch.rot90(y, 3, [2, 3]), torch.lerp(y, y[:1], 0.5), torch.addcmul(y, y, y[:, :1], value=2), self.a(F.logsigmoid(y))

net = Net()
net(torch.randn(2, 3, 9, 12))
`);
    assert.deepEqual(r.models[0].output, [[2, 4, 10, 7], [2, 4, 7, 10], [2, 4, 7, 10], [2, 4, 5, 8]]);
    assert.deepEqual(r.models[0].layers.map((l) => l.rf), [3, null]);
  });
});

describe("evaluator: packed sequences", () => {
  it("pack_padded_sequence counts tokens from constant lengths; the RNN costs per token; pad_packed_sequence pads back", () => {
    const r = report(`
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 6, batch_first=True)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, h = self.gru(packed)
        padded, lens = pad_packed_sequence(out, batch_first=True)
        return padded, h, out.data

net = Net()
net(torch.randn(3, 7, 4), torch.tensor([5, 7, 2]))
`);
    const m = r.models[0];
    assert.deepEqual(m.output, [[3, 7, 6], [1, 3, 6], [14, 6]]);
    // 14 tokens, one GRU step each: 3·H·(I + H) MACs per step
    assert.equal(m.layers[0].macs, 14 * 3 * 6 * (4 + 6));
    assert.equal(m.macs, null); // packing has no FLOPs rule in spec v1
    assert.deepEqual(r.diagnostics, []);
  });

  it("lengths not sorted with enforce_sorted=True fail as PyTorch does; symbolic lengths leave the token count unknown", () => {
    const bad = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 4)

    def forward(self, x):
        return self.rnn(nn.utils.rnn.pack_padded_sequence(x, [2, 3]))

net = Net()
net(torch.randn(3, 2, 4))
`);
    assert.match(bad.diagnostics[0]?.message ?? "", /must be sorted in decreasing order when `enforce_sorted` is True/);
    const open = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 4)

    def forward(self, x, lengths):
        out, h = self.rnn(nn.utils.rnn.pack_padded_sequence(x, lengths + 0, enforce_sorted=False))
        return h

net = Net()
net(torch.randn(3, 2, 4), torch.tensor([3, 1]))
`);
    assert.deepEqual(open.models[0].output, [1, 2, 4]);
    assert.equal(open.models[0].layers[0].macs, null);
  });
});

describe("evaluator: a layer's own tensors and _conv_forward", () => {
  it("bias=False and affine=False read as None, running statistics are [C] buffers, a recurrent layer's bias stays a bool", () => {
    const r = report(`
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(4, affine=False)
        self.inorm = nn.InstanceNorm2d(4)
        self.gru = nn.GRU(3, 3, bias=False)

    def forward(self, x):
        y = F.conv2d(x, self.conv.weight, self.conv.bias, padding=2, dilation=2)
        y = F.batch_norm(y, self.bn.running_mean, self.bn.running_var, self.bn.weight, self.bn.bias)
        assert self.inorm.running_mean is None and self.gru.bias is False
        return y

net = Net()
net(torch.randn(1, 4, 6, 6))
`);
    const m = r.models[0];
    assert.deepEqual(m.output, [1, 4, 6, 6]);
    // no bias: 2n - 1 FLOPs per output element of the conv, n = 4·3·3
    assert.equal(m.macs, 144 * 36);
    assert.deepEqual(r.diagnostics, []);
  });

  it("ConvNd._conv_forward runs the layer's padding (with its padding_mode), stride, dilation and groups", () => {
    const r = report(`
class WSConv(nn.Conv2d):
    def forward(self, x):
        return self._conv_forward(x, self.weight * 2, self.bias)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = WSConv(3, 6, 3, stride=2, padding=1)
        self.b = WSConv(6, 6, (3, 5), padding='same', padding_mode='reflect', groups=3)

    def forward(self, x):
        return self.b(self.a(x))

net = Net()
net(torch.randn(1, 3, 15, 16))
`);
    const net = r.models.find((m) => m.name === "Net")!;
    assert.deepEqual(net.layers.map((l) => l.output), [[1, 6, 8, 8], [1, 6, 8, 8]]);
    assert.deepEqual(r.diagnostics, []);
  });
});

describe("evaluator: recurrent and attention parameters read directly", () => {
  it("weight_ih_l1_reverse / weight_hr_l0 shapes, head_dim, kdim defaulting to embed_dim, out_proj's weight", () => {
    const r = report(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 10, num_layers=2, bidirectional=True, proj_size=4)
        self.attn = nn.MultiheadAttention(12, 3)
        a = self.lstm.weight_ih_l1_reverse.shape[1] + self.lstm.weight_hr_l0.size(0)
        b = self.attn.head_dim * self.attn.kdim + self.attn.out_proj.weight.shape[0]
        self.fc = nn.Linear(a, b)
        self.pool = nn.MaxPool2d(3)
        self.ln = nn.LayerNorm(5)
        self.emb = nn.Embedding(30, 4, padding_idx=-2)
        self.fc2 = nn.Linear(self.pool.stride * self.ln.normalized_shape[0] + self.emb.padding_idx, 2)

net = Net()
`);
    const fc = r.models[0].layers.find((l) => l.path === "fc");
    // (2·4 + 4) -> (4·12 + 12)
    assert.equal(fc?.params, 12 * 60 + 60);
    // a pool's stride defaults to its kernel_size; LayerNorm keeps normalized_shape as a tuple; padding_idx -2 is 28
    assert.equal(r.models[0].layers.find((l) => l.path === "fc2")?.params, (15 + 28) * 2 + 2);
    assert.deepEqual(r.diagnostics, []);
  });
});
