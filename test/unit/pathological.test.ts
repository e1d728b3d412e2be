// Pathological inputs, one by one: huge and deep files, runaway loops and recursion, self-containing modules, gigantic sizes, odd bytes.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeSource, type Analysis } from "../../src/python/analyze";
import { DEFAULT_LIMITS, type BudgetLimits } from "../../src/python/errors";
import { reportViolations } from "../fuzz/properties";

const HEAD = "import torch\nimport torch.nn as nn\n";

/**
 * The step, depth and size budgets only: on a busy CI machine the wall-clock budget could stop an
 * analysis anywhere, and what follows the pathological statement would not be analysed.
 */
const STEPS_ONLY: Partial<BudgetLimits> = { maxMillis: 60_000 };

/** Analyse, and check what holds for any input: no exception, bounded time, sane report. */
function survive(text: string, limits: Partial<BudgetLimits> = STEPS_ONLY): Analysis {
  const t0 = Date.now();
  const a = analyzeSource(text, { limits });
  const ms = Date.now() - t0;
  // generous: CI machines are shared; the long fuzz run checks the budget strictly
  assert.ok(ms < (limits.maxMillis ?? DEFAULT_LIMITS.maxMillis) + 4 * DEFAULT_LIMITS.maxMillis, `took ${ms} ms`);
  assert.deepEqual(reportViolations(text, a), []);
  JSON.stringify(a.report);
  return a;
}

const codes = (a: Analysis): string[] => a.report.diagnostics.map((d) => d.code);
const budgetMessages = (a: Analysis): string => a.report.diagnostics.filter((d) => d.code === "budget").map((d) => d.message).join("; ");

const SMALL_MODEL = "m = nn.Sequential(nn.Linear(3, 4))\ny = m(torch.randn(1, 3))\n";
const CLASS_MODEL = `${HEAD}class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(3, 4)

    def forward(self, x):
        return self.l(x)


m = M()
y = m(torch.randn(1, 3))
`;

describe("pathological inputs", function () {
  this.timeout(120_000);

  it("an empty file, blank lines, a lone comment", () => {
    for (const t of ["", "\n", "\n\n\n", "   ", "# nothing\n", "\r\n"]) assert.deepEqual(survive(t).report, { version: 1, models: [], diagnostics: [] });
  });

  it("a 100,000-line file", () => {
    // with the default wall-clock budget: the file is cut off, not analysed for minutes
    const a = survive(HEAD + "x = 1\n".repeat(100_000) + SMALL_MODEL, {});
    assert.ok(a.report.diagnostics.every((d) => d.code === "budget"), JSON.stringify(a.report.diagnostics));
    const seed = fs.readFileSync(path.resolve(__dirname, "../../examples/seed_networks.py"), "utf8");
    survive(seed.repeat(Math.ceil(100_000 / seed.split("\n").length)), {});
  });

  it("10,000-deep nested parentheses, closed and unclosed", () => {
    survive(`${HEAD}x = ${"(".repeat(10_000)}1${")".repeat(10_000)}\n${SMALL_MODEL}`);
    survive(`${HEAD}x = ${"(".repeat(10_000)}\n${SMALL_MODEL}`);
    survive(`${HEAD}x = ${"-".repeat(20_000)}1\nx = f${"()".repeat(10_000)}\nx = ${"[".repeat(10_000)}\n`);
  });

  it("1,000-level nested lists, printed and compared; lists nested 100,000 deep by a loop", () => {
    const a = survive(`${HEAD}x = ${"[".repeat(1000)}1${"]".repeat(1000)}\ns = str(x)\nt = f"{x}"\nb = x == x\n${SMALL_MODEL}`);
    assert.deepEqual(a.report.models[0].output, [1, 4]);
    survive(`${HEAD}x = 1\nfor i in range(100000):\n    x = [x]\ns = str(x)\nb = x == [x]\n${SMALL_MODEL}`);
  });

  it("range(10**12) loops and lists stop on the step budget", () => {
    const a = survive(`${HEAD}s = 0\nfor i in range(10**12):\n    s += i\nxs = list(range(10**12))\nys = [0] * 10**12\nzs = [] * 10**12\n${SMALL_MODEL}`);
    assert.match(budgetMessages(a), /steps/);
    assert.deepEqual(a.report.models[0].output, [1, 4]);
  });

  it("while True, with and without a body that allocates", () => {
    assert.match(budgetMessages(survive(`${HEAD}while True:\n    pass\n`)), /steps|ms/);
    survive(`${HEAD}xs = []\nwhile True:\n    xs.append([0] * 999999)\n`);
    survive(`${HEAD}s = 'ab'\nwhile True:\n    s = s + s\n`);
    survive(`${HEAD}xs = [0] * 1000000\nwhile True:\n    xs = xs + xs\n`);
  });

  it("mutual recursion between helper methods, and a recursive helper function", () => {
    const a = survive(`${HEAD}class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(3, 4)

    def a(self, x):
        return self.b(x)

    def b(self, x):
        return self.a(x)

    def forward(self, x):
        return self.a(x)


def f(n):
    return g(n + 1)


def g(n):
    return f(n)


f(0)
m = M()
y = m(torch.randn(1, 3))
`);
    assert.match(a.report.models[0].error ?? "", /recursion/);
    assert.equal(a.report.models[0].params, 16);
  });

  it("a module that contains itself, directly or through a container", () => {
    const a = survive(`${HEAD}class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(3, 4)
        self.me = self
        self.seq = nn.Sequential(self.l)
        self.seq.add_module("loop", self)
        self.mods = nn.ModuleList([self])

    def forward(self, x):
        return self.me.l(x)


m = M()
y = m(torch.randn(1, 3))
s = nn.Sequential(nn.Linear(3, 3))
s.append(s)
z = s(torch.randn(1, 3))
`);
    assert.equal(a.report.models[0].params, 16);
    assert.deepEqual(a.report.models[0].output, [1, 4]);
  });

  it("a class whose constructor builds itself", () => {
    const a = survive(`${HEAD}class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.m = M()\n\n    def forward(self, x):\n        return x\n\n\nm = M()\n`);
    // as PyTorch: the file's M() failed after nn.Module.__init__ ran, so the model is that failed instance
    assert.equal(a.report.models[0].error, "construction failed");
    assert.ok(a.report.diagnostics.some((d) => /recursion/.test(d.message)));
  });

  it("gigantic sizes: past 2^53 a count is unknown, never a rounded number", () => {
    const a = survive(`${HEAD}class Big(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2**26, 2**26)
        self.b = nn.Linear(2**26, 2**26)
        self.c = nn.Linear(2**26, 2**26)

    def forward(self, x):
        return self.c(self.b(self.a(x)))


big = Big()
y = big(torch.randn(2**20, 2**26))
up = nn.Sequential(nn.ConvTranspose2d(1e308, 1e308, 1e308, stride=1e308), nn.Upsample(scale_factor=1e308))
z = up(torch.randn(1, 3, 8, 8))
# shape-lens: input=(99999999999999999999, 3)
seq = nn.Sequential(nn.Linear(3, 4))
`);
    const [big, up, seq] = a.report.models;
    assert.equal(big.layers[0].params, 2 ** 52 + 2 ** 26); // exact below 2^53
    assert.equal(big.params, null); // the sum is past 2^53
    assert.equal(big.macs, null);
    assert.ok(up.layers.every((l) => l.output === null || l.output.every((d) => d === null || (typeof d === "number" && Number.isSafeInteger(d)))));
    assert.equal(seq.input, null); // the pragma's size past 2^53 is not taken (it would be rounded)
  });

  it("zero channels: an empty reduction has unknown FLOPs, never a negative count", () => {
    const a = survive(`${HEAD}import torch.nn.functional as F\nm = nn.Sequential(nn.Conv2d(0, 8, 4, 2, 1, bias=False))\ny = m(torch.randn(4, 0, 8, 8))\nz = F.linear(torch.randn(2, 0), torch.randn(3, 0))\n`);
    assert.deepEqual(a.report.models[0].output, [4, 8, 4, 4]);
    assert.equal(a.report.models[0].layers[0].flops, null);
  });

  it("negative sizes: a weight of negative size raises as PyTorch does, never a negative count", () => {
    const a = survive(`${HEAD}m = nn.Sequential(nn.Linear(3, 4), nn.PReLU(-3))\ny = m(torch.randn(1, 3))\n`);
    assert.match(a.report.diagnostics.map((d) => d.message).join("\n"), /negative dimension -3/);
  });

  it("huge strings and reprs stop on the budget instead of filling memory", () => {
    const a = survive(`${HEAD}x = [0] * 10**6\ny = [x] * 10**6\ns = f"{y}"\nr = repr(y)\nz = []\nz.append(z)\nt = str(z)\nu = 'a' * 10**6\nv = u.join([u] * 1000)\n${SMALL_MODEL}`);
    assert.match(budgetMessages(a), /too large/);
    assert.deepEqual(a.report.models[0].output, [1, 4]);
  });

  it("a forward returning a deeply nested or self-containing value", () => {
    const a = survive(`${HEAD}class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(3, 4)

    def forward(self, x):
        y = self.l(x)
        for i in range(5000):
            y = [y]
        z = []
        z.append(z)
        return y, z


m = M()
o = m(torch.randn(1, 3))
`);
    assert.equal(a.report.models[0].params, 16);
  });

  it("a tensor of a million dimensions, and unsqueeze in a long loop (ranks past 64 are not tracked)", () => {
    survive(`${HEAD}x = torch.randn(*[1] * 1000000)\nfor i in range(1000):\n    x = x + 1\nz = torch.randn(2, 3)\nfor i in range(100000):\n    z = z.unsqueeze(0)\nw = z.sum()\n`);
  });

  it("float slice bounds and dims raise Python's TypeError (they indexed between items)", () => {
    const a = survive(`${HEAD}a = (6, 4)[0.5:]\nb = [1, 2, 3][::0.5]\nc = nn.Conv3d(*(6, 4, 3)[0.5:])\nx = torch.randn(2, 3)\nd = x[:, : x.size(0.5)]\n${SMALL_MODEL}`);
    assert.match(a.report.diagnostics.map((d) => d.message).join("\n"), /slice indices must be integers/);
    assert.deepEqual(a.report.models[0].output, [1, 4]);
  });

  it("starred targets unpack as Python does, too few values raise ValueError", () => {
    const a = survive(`${HEAD}a, *b = [1, 2, 3]\n*c, d = (4, 5)\ne, *f, g = "xyz"\nh, *i = ()\nfor j, *k in [(1, 2, 3)]:\n    pass\nx, y = {5: 1}\nm = nn.Sequential(nn.Linear(len(b) + d + len(f) + len(k), 4))\nz = m(torch.randn(1, 10))\n`);
    assert.match(a.report.diagnostics.map((d) => d.message).join("\n"), /not enough values to unpack \(expected at least 1, got 0\)/);
    assert.deepEqual(a.report.models[0].output, [1, 4]); // len([2, 3]) + 5 + len(["y"]) + len([2, 3]) = 10
  });

  it("built-ins and module methods called with missing arguments raise Python's TypeError", () => {
    survive(`${HEAD}s = nn.Sequential()\ns.append()\nl = nn.ModuleList()\nl.insert(0)\nl.extend()\nd = nn.ModuleDict()\nd.update()\ns.add_module()\ns.add_module("x")\ns.register_buffer("b")\n`);
    const a = survive(`${HEAD}a = sorted()\nb = isinstance(1)\nc = [].append()\nd = ''.join()\ne = enumerate()\nf = getattr()\n${SMALL_MODEL}`);
    assert.ok(codes(a).includes("shape-mismatch"));
    assert.deepEqual(a.report.models[0].output, [1, 4]);
  });

  it("non-UTF-8 text and binary bytes", () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    survive(bytes.toString("utf8"));
    survive(bytes.toString("latin1"));
    survive(Buffer.from(`${CLASS_MODEL}# caf\xe9 \xff\xfe\n`, "latin1").toString("utf8"));
    survive("\u0000\u0001class \u0000 M(nn.Module):\n\ufffd\ufffd = 1\n\ud800\n");
  });

  it("CRLF, CR-only and tab-indented files give the LF report", () => {
    const lf = survive(CLASS_MODEL).report;
    assert.deepEqual(lf.models[0].output, [1, 4]);
    assert.deepEqual(survive(CLASS_MODEL.replace(/\n/g, "\r\n")).report, lf);
    assert.deepEqual(survive(CLASS_MODEL.replace(/\n/g, "\r")).report, lf);
    assert.deepEqual(survive(CLASS_MODEL.replace(/^( {4})+/gm, (m) => "\t".repeat(m.length / 4))).report.models, lf.models);
    survive("\ufeff" + CLASS_MODEL);
  });
});
