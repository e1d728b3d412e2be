// The built CLI (dist/cli.js), spawned: exit codes, the table and the JSON report.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "../..");
const cli = path.join(repo, "dist/cli.js");

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("cli", function () {
  before(function () {
    if (!fs.existsSync(cli)) this.skip(); // `npm test` builds first; a bare `mocha` run may not have
  });

  it("prints the seed examples' tables", () => {
    const r = run("examples/seed_networks.py");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Network \(examples\/seed_networks\.py:11\)\s+input \(1, 3, 32, 32\) -> output \(1, 3, 16, 16\)/m);
    assert.match(r.stdout, /head\.0 \(Conv2d\)\s+\(1, 20, 28, 28\)\s+1,520\s+2,352,000\s+5/);
    assert.match(r.stdout, /Total params: 87,219/);
    assert.match(r.stdout, /shuffle \(PixelShuffle\)\s+\(1, 1, 192, 192\)\s+0\s+0\s+9 \(jump 1\/3\)/);
  });

  it("names a layer built inside forward by its type; its JSON path is null", () => {
    const file = "test/fixtures/extra3_structure/inline_modules.py";
    const r = run(file, "--model", "InlineActivations");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\(ReLU, built in forward\)\s+\(2, 16, 16, 16\)\s+0\s+8,192\s+3$/m);
    const report = JSON.parse(run(file, "--json").stdout);
    assert.equal(report.models[0].layers[1].path, null);
  });

  it("prints the JSON report with --json", () => {
    const r = run("test/fixtures/seed/head_tail.py", "--json");
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.version, 1);
    assert.equal(report.models[0].flops, 81470912);
  });

  it("analyses a notebook's code cells as one program, lines mapped to cells", () => {
    const r = run("test/fixtures/notebook/seed_notebook.ipynb", "--json");
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout).models[0];
    assert.equal(m.flops, 81470912);
    assert.deepEqual([m.cell, m.cellLine], [2, 1]);
    assert.deepEqual([m.layers[0].cell, m.layers[0].cellLine], [2, 5]);
  });

  it("exits 0 with diagnostics, 1 with --strict", () => {
    const plain = run("test/fixtures/seed/head_tail_broken.py");
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /head_tail_broken\.py:12:13: error: Conv2d expects 1 input channel but receives 3 .* \[channel-mismatch\]/);
    assert.equal(run("test/fixtures/seed/head_tail_broken.py", "--strict").code, 1);
  });

  it("uses --input for models without an input, and --model to pick one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-"));
    const file = path.join(dir, "m.py");
    fs.writeFileSync(file, "import torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 8, 3)\n\n    def forward(self, x):\n        return self.c(x)\n");
    const r = run(file, "--json", "--input", "(1, 3, 10, 10)", "--model", "M");
    fs.rmSync(dir, { recursive: true });
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.models[0].output, [1, 8, 8, 8]);
  });

  it("exits 2 with a clear message on bad input, writing nothing on stdout", () => {
    for (const [args, msg] of [
      [["no/such/file.py"], /no such file/],
      [["test/fixtures"], /not a Python file|is a directory/],
      [["README.md"], /not a Python file/],
      [[], /no file given/],
      [["examples/seed_networks.py", "--input", "(a, b)"], /--input takes shapes/],
      [["examples/seed_networks.py", "--bogus"], /unknown option/],
    ] as [string[], RegExp][]) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, "");
    }
  });

  it("exits 2 on unreadable paths, directories, binary and non-Python files, writing nothing anywhere", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-bad-"));
    try {
      const model = path.join(dir, "good.py");
      fs.writeFileSync(model, "import torch.nn as nn\nm = nn.Sequential(nn.Linear(3, 4))\n");
      fs.mkdirSync(path.join(dir, "pkg.py"));
      fs.writeFileSync(path.join(dir, "blob.py"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0x00, 0x10]));
      fs.writeFileSync(path.join(dir, "notes.txt"), "class M(nn.Module): pass\n");
      fs.symlinkSync(path.join(dir, "gone.py"), path.join(dir, "dangling.py"));
      const listing = (): string[] => fs.readdirSync(dir).sort();
      const before = listing();
      for (const [args, msg] of [
        [["good.py/inner.py"], /cannot read/],
        [["dangling.py"], /cannot read/],
        [["pkg.py"], /is a directory/],
        [["blob.py"], /binary file/],
        [["notes.txt"], /not a Python file/],
        [["good.py", "blob.py", "--json"], /binary file/], // one bad file among good ones: nothing printed
      ] as [string[], RegExp][]) {
        const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8" });
        assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, msg);
        assert.doesNotMatch(r.stderr, /^\s+at /m); // a message, not a stack trace
        assert.equal(r.stdout, "");
        assert.deepEqual(listing(), before);
      }
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it("analyses non-UTF-8 text, CRLF and CR line endings like the plain file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-enc-"));
    try {
      const text = "import torch\nimport torch.nn as nn\n# caf\xe9\nm = nn.Sequential(nn.Linear(3, 4))\ny = m(torch.randn(2, 3))\n";
      const outputs = [Buffer.from(text, "latin1"), Buffer.from(text.replace(/\n/g, "\r\n"), "latin1"), Buffer.from(text.replace(/\n/g, "\r"), "latin1")].map((bytes, i) => {
        const file = path.join(dir, `m${i}.py`);
        fs.writeFileSync(file, bytes);
        const r = run(file, "--json");
        assert.equal(r.code, 0, r.stderr);
        return JSON.parse(r.stdout).models;
      });
      assert.deepEqual(outputs[0][0].output, [2, 4]);
      assert.deepEqual(outputs[1], outputs[0]);
      assert.deepEqual(outputs[2], outputs[0]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
