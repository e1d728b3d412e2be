// Notebooks: code cells analysed as one program in cell order, magics skipped, positions mapped to cells.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cellToProgram, cellWindows, ProgramLines, programToCell } from "../../src/extension/programLines";
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

describe("notebook positions (programLines)", () => {
  const cells = parseIpynb(nb);
  const program = notebookProgram(cells);
  const lines = new ProgramLines(program.text);
  const windows = cellWindows(program);

  it("gives each code cell its lines in the program, in cell order", () => {
    assert.deepEqual([...windows], [
      [0, { firstLine: 0, lineCount: 4 }],
      [2, { firstLine: 4, lineCount: 18 }],
      [3, { firstLine: 22, lineCount: 1 }],
      [4, { firstLine: 23, lineCount: 3 }],
    ]);
  });

  it("maps every character of a cell's Python lines 1:1 to the program and back", () => {
    for (const cell of cells) {
      const w = windows.get(cell.index)!;
      cell.source.split("\n").forEach((text, line) => {
        if (/^\s*%|^\s*!/.test(text)) return; // magics are blanked
        if (line === 0 && text.startsWith("%%")) return;
        for (let character = 0; character <= text.length; character++) {
          const offset = lines.offsetAt(cellToProgram(w, { line, character }));
          if (character < text.length) assert.equal(program.text[offset], text[character], `cell ${cell.index} ${line}:${character}`);
          assert.deepEqual(programToCell(w, lines.positionAt(offset)), { line, character });
        }
      });
    }
  });

  it("puts an offset in another cell outside this cell, and clamps positions past a cell's end to its end", () => {
    const classCell = windows.get(2)!;
    const callCell = windows.get(4)!;
    const callOffset = program.text.indexOf("model(torch.randn");
    assert.equal(programToCell(classCell, lines.positionAt(callOffset)), undefined);
    assert.deepEqual(programToCell(callCell, lines.positionAt(callOffset)), { line: 1, character: 4 });
    const end = lines.offsetAt(cellToProgram(classCell, { line: 99, character: 0 }));
    assert.equal(program.text.slice(end - "self.head(x))".length, end), "self.head(x))");
  });

  it("keeps CRLF cells' columns (the \\r stays out of the line)", () => {
    const p = notebookProgram([{ index: 0, source: "import torch\r\nx = 1\r\n" }]);
    const l = new ProgramLines(p.text);
    assert.equal(l.lineText(1), "x = 1");
    assert.equal(p.text.slice(l.offsetAt({ line: 1, character: 0 }), l.offsetAt({ line: 1, character: 5 })), "x = 1");
  });
});
