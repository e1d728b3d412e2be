// PyTorch's argument parser on the sizes of shape methods: floats, None and methods among them, and return_types names.
import * as assert from "node:assert/strict";
import { argParserError } from "../../src/python/argParser";
import { analyzeSource } from "../../src/python/analyze";
import type { Value } from "../../src/python/values";

const T: Value = { k: "tensor", t: { kind: "tensor", shape: [2, 3, 4], dtype: "float" } };
const i = (v: number): Value => ({ k: "int", v });
const f = (v: number): Value => ({ k: "float", v });
const method: Value = { k: "builtin", name: "Tensor.size", call: () => i(0) };

describe("argParser: PyTorch's TypeErrors for shape arguments", () => {
  it("words an item of the size list, a first argument that is not an int, and several candidate overloads as PyTorch 1.13", () => {
    assert.equal(argParserError("Tensor.view", [T, i(2), f(12)], []), "view(): argument 'size' must be tuple of SymInts, but found element of type float at pos 2");
    assert.equal(argParserError("Tensor.view", [T, method, i(-1)], []), "view() received an invalid combination of arguments - got (builtin_function_or_method, int), but expected one of:");
    assert.equal(argParserError("Tensor.reshape", [T, f(2), i(-1)], []), "reshape(): argument 'shape' (position 1) must be tuple of SymInts, not float");
    assert.equal(argParserError("Tensor.permute", [T, i(0), f(2), i(1)], []), "permute(): argument 'dims' must be tuple of ints, but found element of type float at pos 2");
    assert.equal(argParserError("Tensor.unsqueeze", [T], [["dim", f(1)]]), "unsqueeze(): argument 'dim' must be int, not float");
    assert.equal(argParserError("torch.flatten", [T, f(1)], []), "flatten(): argument 'start_dim' (position 2) must be int, not float");
    assert.equal(argParserError("Tensor.flatten", [T, i(1), f(2)], []), "flatten() received an invalid combination of arguments - got (int, float), but expected one of:");
    assert.equal(argParserError("Tensor.transpose", [T, i(1), { k: "bool", v: true }], []), "transpose() received an invalid combination of arguments - got (int, bool), but expected one of:");
  });

  it("accepts ints, symbolic or unknown values, tensors and a dtype", () => {
    assert.equal(argParserError("Tensor.view", [T, i(2), i(-1)], []), null);
    assert.equal(argParserError("Tensor.view", [T, { k: "tuple", items: [i(2), i(12)], isSize: true }], []), null);
    assert.equal(argParserError("Tensor.view", [T, { k: "opaque", typeName: "dtype", v: "float16" } as Value], []), null);
    assert.equal(argParserError("Tensor.reshape", [T, i(2), { k: "unknown", reason: "x" }], []), null);
    assert.equal(argParserError("torch.flatten", [T], [["start_dim", i(1)]]), null);
    assert.equal(argParserError("Tensor.squeeze", [T], []), null);
  });

  it("names torch.Size and torch.return_types in messages", () => {
    const src = `import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(torch.max(x, dim=1))


class S(nn.Module):
    def forward(self, x):
        return x.view(x.shape(0), -1)


M()(torch.randn(2, 3, 4))
S()(torch.randn(2, 3))
`;
    const msgs = analyzeSource(src).report.diagnostics.map((d) => d.message);
    assert.ok(msgs.some((m) => m.startsWith("linear(): argument 'input' (position 1) must be Tensor, not torch.return_types.max")), msgs.join("\n"));
    assert.ok(msgs.some((m) => m.startsWith("'torch.Size' object is not callable")), msgs.join("\n"));
  });
});
