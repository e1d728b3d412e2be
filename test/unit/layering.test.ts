// Dependencies point one way: src/core imports nothing outside itself; src/python never imports vscode.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|require\(["']([^"']+)["']\)/g)].map(
    (m) => m[1] ?? m[2],
  );
}

const root = path.resolve(__dirname, "../../src");

describe("layering", () => {
  it("src/core imports only files inside src/core", () => {
    for (const file of sourceFiles(path.join(root, "core"))) {
      for (const spec of importsOf(file)) {
        assert.ok(spec.startsWith("."), `${file} imports package ${spec}`);
        const target = path.resolve(path.dirname(file), spec);
        assert.ok(target.startsWith(path.join(root, "core")), `${file} imports ${spec} outside src/core`);
      }
    }
  });

  it("src/python and src/cli never import vscode or the extension", () => {
    for (const dir of ["python", "cli"]) {
      for (const file of sourceFiles(path.join(root, dir))) {
        for (const spec of importsOf(file)) {
          assert.notEqual(spec, "vscode", `${file} imports vscode`);
          assert.ok(!spec.includes("extension/"), `${file} imports the extension`);
        }
      }
    }
  });
});
