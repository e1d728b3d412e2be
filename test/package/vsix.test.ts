// The packaged extension: `npm run package` builds a .vsix holding only the allow-listed files (.vscodeignore), with small bundles.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";

const root = path.resolve(__dirname, "..", "..");

/**
 * The 300 KB budget, checked twice: (1) the minified file each extension host loads at activation:
 * the editor features (dist/extension.js in Node, dist/web/extension.js in the browser); the
 * analyser beside each (dist/engine.js, dist/web/engine.js: the layer and op tables, the
 * interpreter, lezer) is loaded by the first analysis in Node and by activate() in the browser
 * (src/extension/webEngine.ts); and (2) every bundle as stored in the .vsix, i.e. what users
 * download. Every run prints the sizes.
 */
const BUNDLE_BUDGET = 300 * 1024;

interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly size: number;
  readonly data: () => Buffer;
}

/** The entries of a zip file, from its central directory. */
function readZip(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const data = (): Buffer => {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + compressedSize);
      return method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    };
    entries.push({ name, compressedSize, size, data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The `!pattern` lines of .vscodeignore as regular expressions (`**` any path, `*` within one folder). */
function allowList(): RegExp[] {
  return fs
    .readFileSync(path.join(root, ".vscodeignore"), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.startsWith("!"))
    .map((l) => {
      const glob = l.slice(1).trim();
      const re = glob
        .split("**")
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"))
        .join(".*");
      return new RegExp(`^${re}$`);
    });
}

/** vsce stores README.md, CHANGELOG.md and LICENSE as readme.md, changelog.md and LICENSE.txt: the repository's names. */
function sourceName(name: string): string {
  return ({ "readme.md": "README.md", "changelog.md": "CHANGELOG.md", "LICENSE.txt": "LICENSE" } as Record<string, string>)[name] ?? name;
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

describe("the .vsix", function () {
  this.timeout(10 * 60_000);
  let temp: string;
  let vsix: Buffer;
  let files: Map<string, ZipEntry>;

  before(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-vsix-"));
    const out = path.join(temp, "shape-lens.vsix");
    const result = spawnSync("npm", ["run", "--silent", "package", "--", "--out", out], { cwd: root, encoding: "utf8" });
    assert.equal(result.status, 0, `npm run package failed:\n${result.stdout}\n${result.stderr}`);
    vsix = fs.readFileSync(out);
    files = new Map(
      readZip(vsix)
        .filter((e) => e.name.startsWith("extension/"))
        .map((e) => [sourceName(e.name.slice("extension/".length)), e]),
    );
  });

  after(() => {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  it("holds only allow-listed files", () => {
    const allowed = allowList();
    const extra = [...files.keys()].filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(extra, [], `not in .vscodeignore's allow-list: ${extra.join(", ")}`);
    for (const f of files.keys()) assert.ok(!/\.(map|ts)$|^(src|test|node_modules|out)\//.test(f), `${f} has no place in the .vsix`);
  });

  it("holds everything the manifest points at: both bundles, the icon, translations, grammars, changelog", () => {
    const manifest = JSON.parse(files.get("package.json")!.data().toString("utf8")) as {
      main: string;
      browser: string;
      icon: string;
      l10n: string;
      contributes: { grammars: { path: string }[] };
    };
    const rel = (p: string): string => path.posix.normalize(p).replace(/^\.\//, "");
    const needed = [
      rel(manifest.main),
      rel(manifest.browser),
      rel(manifest.icon),
      `${rel(manifest.l10n)}/bundle.l10n.zh-cn.json`,
      "package.nls.json",
      "package.nls.zh-cn.json",
      "dist/webview/network.js",
      "README.md",
      "CHANGELOG.md",
      "LICENSE",
      ...manifest.contributes.grammars.map((g) => rel(g.path)),
    ];
    for (const f of needed) assert.ok(files.has(f), `${f} is missing from the .vsix (it has ${[...files.keys()].join(", ")})`);
    assert.equal(manifest.browser, "./dist/web/extension.js");
  });

  it(`keeps the bundle each host loads at activation under ${kb(BUNDLE_BUDGET)} minified`, () => {
    for (const dir of ["dist", "dist/web"]) {
      const main = files.get(`${dir}/extension.js`)!;
      const engine = files.get(`${dir}/engine.js`)!;
      assert.ok(engine, `${dir}/engine.js is missing`);
      console.log(`      ${dir}/extension.js: ${kb(main.size)} minified (activation), ${dir}/engine.js: ${kb(engine.size)} (the analyser)`);
      assert.ok(main.size < BUNDLE_BUDGET, `${dir}/extension.js is ${kb(main.size)}`);
      // @lezer/lr's deserializer says "Parser version ... doesn't match": the parser is in the engine, not here
      assert.ok(!main.data().toString("utf8").includes("Parser version"), `${dir}/extension.js holds the parser`);
      assert.ok(engine.data().toString("utf8").includes("Parser version"), `${dir}/engine.js lacks the parser`);
    }
  });

  it(`keeps each bundle under ${kb(BUNDLE_BUDGET)} in the download`, () => {
    for (const bundle of ["dist/extension.js", "dist/engine.js", "dist/web/extension.js", "dist/web/engine.js"]) {
      const e = files.get(bundle)!;
      console.log(`      ${bundle}: ${kb(e.size)} minified, ${kb(e.compressedSize)} in the .vsix`);
      assert.ok(e.compressedSize < BUNDLE_BUDGET, `${bundle} takes ${kb(e.compressedSize)} in the .vsix`);
    }
    console.log(`      shape-lens.vsix: ${kb(vsix.length)}, ${files.size} files`);
  });

  it("ships a production build: minified, no source maps, no Node built-ins in the web bundle", () => {
    const text = (name: string): string => files.get(name)!.data().toString("utf8");
    const web = [text("dist/web/extension.js"), text("dist/web/engine.js")];
    for (const bundle of [text("dist/extension.js"), text("dist/engine.js"), ...web]) {
      assert.ok(!bundle.includes("sourceMappingURL"), "a source map reference");
      // minified: no line comments, and functions renamed (template literals keep their line breaks, so line lengths say little:
      // the torchvision models are Python source in one)
      assert.doesNotMatch(bundle, /^\s*\/\/ /m, "the bundle keeps comments: not minified");
      assert.doesNotMatch(bundle, /\bfunction (hintsFor|activate|tensorInput|bindForward)\(/, "the bundle keeps function names: not minified");
    }
    // the web extension requires only vscode (its host has no other require), and its analyser nothing
    for (const bundle of web) assert.doesNotMatch(bundle, /require\("(?!vscode")[^"]*"\)/);
    assert.doesNotMatch(web[1], /require\(/);
  });
});
