// The match statement: each pattern kind as CPython 3.11 matches it, guards, and an undecidable subject run both ways.
import * as assert from "node:assert/strict";
import { analyzeSource } from "../../src/python/analyze";
import type { Report } from "../../src/python/report";

function report(src: string): Report {
  return analyzeSource("import os\nimport torch\nimport torch.nn as nn\n" + src).report;
}

describe("evaluator: match statements", () => {
  it("matches literal, or/as, sequence, mapping, class and wildcard patterns as CPython does", () => {
    const r = report(`
def pick(v):
    match v:
        case 0 | -1:
            return 1
        case "relu" | "gelu" as name if name == "gelu":
            return 2
        case "relu":
            return 3
        case [a, b]:
            return a + b
        case [first, *rest] if len(rest) > 1:
            return first + len(rest) * 10
        case {"width": int(w), **extra}:
            return w + len(extra)
        case nn.Linear(out_features=o):
            return o
        case nn.Conv2d(in_channels=ci, kernel_size=(k, _)):
            return ci * 100 + k
        case None:
            return 7
        case float(x) | str(x):
            return 8
        case _:
            return 9

vals = [0, -1, "gelu", "relu", (5, 6), [1, 2, 3, 4], {"width": 11, "a": 1, "b": 2}, nn.Linear(2, 13),
        nn.Conv2d(3, 4, 5), None, 2.5, "x", True, [1]]
net = nn.Sequential(*[nn.Linear(1, pick(v)) for v in vals])
`);
    assert.deepEqual(r.diagnostics, []);
    // CPython: [1, 1, 2, 3, 11, 31, 13, 13, 305, 7, 8, 8, 9, 9]; a Linear(1, w) has 2w parameters
    assert.deepEqual(r.models[0].layers.map((l) => (l.params ?? 0) / 2), [1, 1, 2, 3, 11, 31, 13, 13, 305, 7, 8, 8, 9, 9]);
  });

  it("runs both ways on an undecidable subject and keeps what the cases agree on", () => {
    const r = report(`
match os.environ.get("NORM"):
    case "bn" | "ln" as kind:
        width, norm = 8, kind
    case other:
        width, norm = 8, other
seq = nn.Sequential(nn.Linear(4, width), nn.ReLU())
seq(torch.randn(2, 4))
`);
    assert.deepEqual(r.models[0].output, [2, 8]);
  });
});
