// Notebooks: code cells analysed as one program in cell order, magics skipped, positions mapped to cells.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeNotebook, notebookProgram, parseIpynb } from "../../src/python/notebook";

const nb = fs.readFileSync(path.resolve(__dirname, "../fixtures/notebook/seed_notebook.ipynb"), "utf8");

describe("notebooks", () => {
  it("reads the code cells of an .ipynb in order", () => {
    const cells = parseIpynb(nb);
    assert.deepEqual(cells.map((c) => c.index), [0, 2, 3, 4]);
  });

  it("skips magics and shell lines without shifting lines", () => {
    const p = notebookProgram([{ index: 0, source: "%matplotlib inline\n!pip install torch\nimport torch" }, { index: 3, source: "%%bash\nls" }]);
    assert.equal(p.text, "\n\nimport torch\n\n");
    assert.deepEqual(p.lines[3], { cell: 0, line: 3 });
    assert.deepEqual(p.lines[5], { cell: 3, line: 2 });
  });

  it("analyses a model defined in one cell and called in a later cell", () => {
    const { program, analysis } = analyzeNotebook(parseIpynb(nb));
    const m = analysis.report.models[0];
    assert.equal(m.name, "Network");
    assert.deepEqual(m.input, [[1, 3, 32, 32]]);
    assert.deepEqual(m.output, [1, 3, 16, 16]);
    assert.equal(m.params, 87219);
    assert.equal(m.flops, 81470912);
    // the first conv is on line 5 of cell 2
    assert.deepEqual(program.lines[m.layers[0].line!], { cell: 2, line: 5 });
    assert.deepEqual(program.lines[m.line], { cell: 2, line: 1 });
  });
});
