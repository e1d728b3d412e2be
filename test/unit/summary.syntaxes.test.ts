// The TextMate grammars in syntaxes/, tokenized with VS Code's own engine (vscode-textmate from the code-server install; skipped without it).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { summaryTable } from "../../src/extension/summaryFormat";
import type { Report } from "../../src/python/report";

const root = path.resolve(__dirname, "../..");
const vscodeModules = path.join(root, ".vscode-test/code-server-4.96.4/node_modules/code-server/lib/vscode");
const pythonGrammar = path.join(vscodeModules, "extensions/python/syntaxes/MagicPython.tmLanguage.json");
const textmatePath = path.join(vscodeModules, "node_modules/vscode-textmate/release/main.js");
const onigPath = path.join(vscodeModules, "node_modules/vscode-oniguruma/release/main.js");
const onigWasm = path.join(vscodeModules, "node_modules/vscode-oniguruma/release/onig.wasm");

const grammarFile = (name: string): string => path.join(root, "syntaxes", name);

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
async function makeTokenizer(): Promise<((scope: string, text: string) => Promise<Token[][]>) | undefined> {
  if (![pythonGrammar, textmatePath, onigPath, onigWasm].every((f) => fs.existsSync(f))) return undefined;
  const tm = require(textmatePath) as any;
  const onig = require(onigPath) as any;
  await onig.loadWASM(fs.readFileSync(onigWasm).buffer);
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new onig.OnigScanner(s), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) => {
      const file =
        scope === "source.python"
          ? pythonGrammar
          : scope === "shape-lens.pragma.injection"
            ? grammarFile("shape-lens-pragma.tmLanguage.json")
            : scope === "source.shape-lens-summary"
              ? grammarFile("shape-lens-summary.tmLanguage.json")
              : undefined;
      return file ? tm.parseRawGrammar(fs.readFileSync(file, "utf8"), file) : null;
    },
    getInjections: (scope: string) => (scope === "source.python" ? ["shape-lens.pragma.injection"] : undefined),
  });
  return async (scope, text) => {
    const grammar = await registry.loadGrammar(scope);
    let state = tm.INITIAL;
    return text.split("\n").map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t: any) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */

function scopeOf(tokens: Token[], text: string): string[] {
  const t = tokens.find((x) => x.text === text);
  assert.ok(t, `token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((x) => x.text))}`);
  return [...t.scopes];
}

describe("syntaxes", () => {
  let tokenize: Awaited<ReturnType<typeof makeTokenizer>>;
  before(async function () {
    tokenize = await makeTokenizer();
    // needs `npm run setup:vscode` (code-server ships VS Code's grammar engine); `npm run test:vscode` requires it
    if (!tokenize && process.env.SHAPE_LENS_REQUIRE_GRAMMARS) throw new Error("VS Code's grammar engine is not installed: run npm run setup:vscode");
    if (!tokenize) this.skip();
  });

  it("the grammar files are valid JSON with the scope names package.json uses", () => {
    const pragma = JSON.parse(fs.readFileSync(grammarFile("shape-lens-pragma.tmLanguage.json"), "utf8"));
    const summary = JSON.parse(fs.readFileSync(grammarFile("shape-lens-summary.tmLanguage.json"), "utf8"));
    assert.equal(pragma.scopeName, "shape-lens.pragma.injection");
    assert.equal(summary.scopeName, "source.shape-lens-summary");
  });

  it("highlights the pragma keyword, key and shape dims inside a Python comment", async () => {
    const [line] = await tokenize!("source.python", "# shape-lens: input=(1, 3, 32, 32), (N, 10)");
    assert.ok(scopeOf(line, "shape-lens").includes("keyword.control.directive.shape-lens"));
    assert.ok(scopeOf(line, "shape-lens").includes("comment.line.number-sign.python"));
    assert.ok(scopeOf(line, "input").includes("variable.parameter.pragma.shape-lens"));
    assert.ok(scopeOf(line, "32").includes("constant.numeric.integer.decimal.shape-lens"));
    assert.ok(scopeOf(line, "N").includes("variable.other.constant.dim.shape-lens"));
    assert.ok(scopeOf(line, "(").includes("punctuation.section.shape.begin.shape-lens"));
  });

  it("works on a trailing comment and leaves other comments and code alone", async () => {
    const lines = await tokenize!("source.python", "class Net(nn.Module):  # shape-lens: input=(2, 8)\n# an ordinary comment (1, 2)\nx = (1, 3)");
    assert.ok(scopeOf(lines[0], "8").includes("constant.numeric.integer.decimal.shape-lens"));
    assert.ok(scopeOf(lines[0], "Net").includes("entity.name.type.class.python"));
    assert.ok(lines[1].every((t) => !t.scopes.some((s) => s.endsWith(".shape-lens"))), "plain comment untouched");
    assert.ok(lines[2].every((t) => !t.scopes.some((s) => s.endsWith(".shape-lens"))), "code untouched");
  });

  it("tokenizes a summary document: title, rules, layer names, types, shapes and numbers", async () => {
    const report = JSON.parse(fs.readFileSync(path.join(root, "test/fixtures/seed/head_tail.expected.json"), "utf8")) as Report;
    const text = summaryTable(report.models[0], { file: "head_tail.py", macs: false });
    const lines = await tokenize!("source.shape-lens-summary", text);
    const at = (prefix: string): Token[] => lines[text.split("\n").findIndex((l) => l.startsWith(prefix))];
    assert.ok(scopeOf(lines[0], "Network").includes("entity.name.class.shape-lens-summary"));
    assert.ok(scopeOf(at("====="), "=".repeat(text.split("\n")[2].length)).includes("punctuation.definition.rule.shape-lens-summary"));
    const conv = at("│  ├─0 (Conv2d)");
    assert.ok(scopeOf(conv, "0").includes("variable.other.member.layer.shape-lens-summary"));
    assert.ok(scopeOf(conv, "Conv2d").includes("entity.name.type.layer.shape-lens-summary"));
    assert.ok(scopeOf(conv, "28").includes("constant.numeric.integer.shape-lens-summary"));
    assert.ok(scopeOf(conv, "2,352,000").includes("constant.numeric.shape-lens-summary"));
    assert.ok(scopeOf(at("Total params"), "Total params").includes("keyword.other.total.shape-lens-summary"));
    const lastGroupChild = at("   └─3 (ReLU)");
    assert.ok(scopeOf(lastGroupChild, "ReLU").includes("entity.name.type.layer.shape-lens-summary"), "rows indented under the last container");
  });

  it("symbolic shapes with nested parentheses stay inside one shape", async () => {
    const [line] = await tokenize!("source.shape-lens-summary", "├─0 (Conv2d)   (N, 8, floor((H+1)/2), W-4)   1,520");
    assert.ok(scopeOf(line, "floor").includes("meta.shape.shape-lens-summary"));
    assert.ok(scopeOf(line, "W").includes("variable.other.constant.dim.shape-lens-summary"));
    assert.ok(scopeOf(line, "1,520").includes("constant.numeric.shape-lens-summary"));
    assert.ok(!scopeOf(line, "1,520").includes("meta.shape.shape-lens-summary"));
  });
});
