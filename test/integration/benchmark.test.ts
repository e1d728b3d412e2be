// Timings for `npm run bench` in a real VS Code: the extension's activation, and inlay hints for a 60-line range of a 2,000-line model file.
// Prints one `PERF {...}` line (no timed assertions: the figures are judged by the benchmark).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { generateModelFile } from "../../bench/generate";
import type { ShapeLensApi } from "../../src/extension/extension";
import { extensionId, openPython } from "./helpers";

const quantile = (xs: readonly number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];

describe("benchmark", () => {
  it("measures activation and the inlay-hint provider", async function () {
    this.timeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-bench-"));
    const file = path.join(dir, "model2000.py");
    fs.writeFileSync(file, generateModelFile(2000, 1));
    try {
      const document = await openPython(vscode.Uri.file(file));
      const api = vscode.extensions.getExtension<ShapeLensApi>(extensionId)?.exports;
      assert.ok(api?.activation, "the extension reports its activation time");
      const hints = async (start: number): Promise<number> => {
        const t = performance.now();
        const h = await vscode.commands.executeCommand<vscode.InlayHint[]>("vscode.executeInlayHintProvider", document.uri, new vscode.Range(start, 0, start + 60, 0));
        assert.ok(Array.isArray(h));
        return performance.now() - t;
      };
      const first = await hints(1000); // analyses the file
      const times: number[] = [];
      for (let i = 0; i < 30; i++) times.push(await hints(40 + ((i * 197) % 1900)));
      const figures = {
        version: vscode.version,
        loadMs: api.activation.loadMs,
        activateMs: api.activation.activateMs,
        hintsFirstMs: first,
        hintsP50Ms: quantile(times, 0.5),
        hintsP95Ms: quantile(times, 0.95),
      };
      console.log(`PERF ${JSON.stringify(figures)}`);
    } finally {
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
