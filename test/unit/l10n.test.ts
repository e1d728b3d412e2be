// Translations: every runtime message (l10n.t / t) and every %key% of package.json has its Simplified Chinese text, and no bundle has stray keys.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { flopsConvention, modelHover } from "../../src/extension/hoverText";
import { modelLabel, DEFAULT_DISPLAY } from "../../src/extension/hintText";
import { english, setTranslator } from "../../src/extension/l10n";
import { webviewStrings } from "../../src/extension/networkStrings";
import { analyzeSource } from "../../src/python/analyze";

const root = path.resolve(__dirname, "..", "..");
const read = (rel: string): string => fs.readFileSync(path.join(root, rel), "utf8");
const readJson = (rel: string): Record<string, string> => JSON.parse(read(rel)) as Record<string, string>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Source lines without comments (doc comments show `t("…")` as an example). */
function codeLines(file: string): { line: number; text: string }[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => !/^\s*(\/\/|\/\*|\*)/.test(text));
}

/** A call of vscode.l10n.t or of the vscode-free t: its first argument must be a string literal. */
const CALL = /(?:\bl10n\.t|(?<![\w.])t)\(/g;
const LITERAL = /^\s*"((?:[^"\\]|\\.)*)"/;

/** Every message key the extension passes to l10n.t / t, with where it is used. */
function runtimeKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of sourceFiles(path.join(root, "src", "extension"))) {
    for (const { line, text } of codeLines(file)) {
      for (const m of text.matchAll(CALL)) {
        const literal = LITERAL.exec(text.slice(m.index + m[0].length));
        if (literal) keys.set(JSON.parse(`"${literal[1]}"`) as string, `${path.relative(root, file)}:${line}`);
      }
    }
  }
  return keys;
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort();
/** Chinese characters, or at least Chinese (full-width) punctuation: "Shape Lens：{0}". */
const hasChinese = (s: string): boolean => /[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/.test(s);

describe("translations (zh-cn)", () => {
  const bundle = readJson("l10n/bundle.l10n.zh-cn.json");

  it("passes a string literal to every l10n.t / t call (the literal is the bundle key)", () => {
    const bad: string[] = [];
    for (const file of sourceFiles(path.join(root, "src", "extension"))) {
      const rel = path.relative(root, file);
      for (const { line, text } of codeLines(file)) {
        for (const m of text.matchAll(CALL)) {
          if (/function t\($/.test(text.slice(0, m.index + m[0].length))) continue; // the definition
          const rest = text.slice(m.index + m[0].length);
          if (LITERAL.test(rest)) continue;
          // the translator the extension installs forwards its arguments
          if (rel === path.join("src", "extension", "extension.ts") && rest.startsWith("message, ...args)")) continue;
          bad.push(`${rel}:${line}: ${text.trim()}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it("has a translation for every runtime message", () => {
    const keys = runtimeKeys();
    assert.ok(keys.size > 100, `found only ${keys.size} messages`);
    const missing = [...keys].filter(([k]) => !(k in bundle)).map(([k, where]) => `${where}: ${JSON.stringify(k)}`);
    assert.deepEqual(missing, []);
  });

  it("has no stray keys in l10n/bundle.l10n.zh-cn.json", () => {
    const keys = runtimeKeys();
    assert.deepEqual(
      Object.keys(bundle).filter((k) => !keys.has(k)),
      [],
    );
  });

  it("keeps each message's placeholders and writes it in Chinese", () => {
    for (const [k, v] of Object.entries(bundle)) {
      assert.deepEqual(placeholders(v), placeholders(k), `placeholders of ${JSON.stringify(k)}`);
      if (!/^\{0\}$/.test(v)) assert.ok(hasChinese(v), `${JSON.stringify(k)} → ${JSON.stringify(v)} is not translated`);
    }
  });

  it("has every %key% of package.json in package.nls.json and package.nls.zh-cn.json, and nothing else", () => {
    const manifest = read("package.json");
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    const nls = readJson("package.nls.json");
    const zh = readJson("package.nls.zh-cn.json");
    for (const [name, table] of [["package.nls.json", nls], ["package.nls.zh-cn.json", zh]] as const) {
      assert.deepEqual([...used].filter((k) => !(k in table)), [], `missing from ${name}`);
      assert.deepEqual(Object.keys(table).filter((k) => !used.has(k)), [], `stray keys in ${name}`);
    }
    const sameAsEnglish = Object.keys(zh).filter((k) => zh[k] === nls[k]);
    assert.deepEqual(sameAsEnglish.sort(), ["command.ping.title", "config.numberFormat.enumDescriptions.compact", "config.numberFormat.enumDescriptions.full", "displayName"]);
    for (const [k, v] of Object.entries(zh)) assert.deepEqual(placeholders(v), placeholders(nls[k]), k);
  });

  it("contributes no untranslated titles or descriptions (each is a %key%)", () => {
    const p = JSON.parse(read("package.json")) as {
      displayName: string;
      description: string;
      contributes: {
        commands: { title: string }[];
        views: Record<string, { name: string }[]>;
        viewsWelcome: { contents: string }[];
        configuration: { properties: Record<string, { description?: string; markdownDescription?: string; enumDescriptions?: string[]; items?: { enumDescriptions?: string[] } }> };
      };
    };
    const c = p.contributes;
    const texts = [
      p.displayName,
      p.description,
      ...c.commands.map((x) => x.title),
      ...Object.values(c.views).flatMap((vs) => vs.map((v) => v.name)),
      ...c.viewsWelcome.map((w) => w.contents),
      ...Object.values(c.configuration.properties).flatMap((s) => [s.description, s.markdownDescription, ...(s.enumDescriptions ?? []), ...(s.items?.enumDescriptions ?? [])]),
    ].filter((s): s is string => s !== undefined);
    assert.deepEqual(texts.filter((s) => !/^%[^%]+%$/.test(s)), []);
    assert.equal((JSON.parse(read("package.json")) as { l10n: string }).l10n, "./l10n");
  });

  it("hands the network picture's webview a text for each of its messages, and no other", () => {
    const used = new Set<string>();
    for (const file of sourceFiles(path.join(root, "src", "webview"))) {
      for (const { text } of codeLines(file)) {
        for (const m of text.matchAll(/(?<![\w.])t\(/g)) {
          if (/function t\($/.test(text.slice(0, m.index + m[0].length))) continue; // the definition
          const literal = LITERAL.exec(text.slice(m.index + m[0].length));
          assert.ok(literal, `${path.relative(root, file)}: t() without a string literal: ${text.trim()}`);
          used.add(JSON.parse(`"${literal[1]}"`) as string);
        }
      }
    }
    assert.ok(used.size > 30, `found only ${used.size} webview messages`);
    const table = webviewStrings();
    assert.deepEqual([...used].filter((k) => !(k in table)).sort(), [], "used by src/webview, missing from networkStrings.ts");
    assert.deepEqual(Object.keys(table).filter((k) => !used.has(k)).sort(), [], "in networkStrings.ts, not used by src/webview");
    for (const [k, v] of Object.entries(table)) assert.equal(v, k, "English without a translator");
  });

  describe("with the Chinese bundle installed", () => {
    before(() => setTranslator((message, ...args) => english(bundle[message] ?? message, ...args)));
    after(() => setTranslator(undefined));

    it("explains the FLOPs convention in hovers in Chinese", () => {
      assert.equal(flopsConvention(), "FLOPs = 乘法 + 加法；长度为 n 的点积计 2n−1 次，偏置 +1。MACs = 乘加次数（每个点积 n 次）。");
    });

    it("writes a model's hover and hint in Chinese", () => {
      const source = read("test/fixtures/seed/head_tail.py");
      const analysis = analyzeSource(source);
      const model = analysis.models[0];
      const hover = modelHover(model, source.split("\n"), null);
      assert.match(hover, /\*\*Network\*\* — 模型（第 \d+ 行）/);
      assert.match(hover, /\| 输入 \| \(1, 3, 32, 32\) \(来自本文件中的调用\) \|/);
      assert.match(hover, /\| 参数量 \| 87,219 \(87\.2K\) \|/);
      assert.match(hover, /\*FLOPs = 乘法 \+ 加法/);
      assert.equal(modelLabel(model.report, DEFAULT_DISPLAY), "输入 (1, 3, 32, 32) → (1, 3, 16, 16) · 87.2K 参数 · 81.5M FLOPs");
    });

    it("gives the network picture's webview its Chinese texts", () => {
      const table = webviewStrings();
      assert.equal(table["Zoom in"], "放大");
      assert.equal(table["Heaviest layers by {0}"], "按 {0} 排序的最重的层");
      for (const [k, v] of Object.entries(table)) assert.ok(hasChinese(v), `${k} → ${v}`);
    });
  });

  it("falls back to English without a translator (the CLI, the unit tests)", () => {
    assert.match(flopsConvention(), /^FLOPs = multiplies \+ adds/);
  });
});
