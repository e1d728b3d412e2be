// Builds an extension as two files: the editor features (dist/extension.js) and the analyser
// (dist/engine.js: src/python, src/core and lezer). In Node the first analysis require()s the
// analyser, so activation compiles and runs only the features (nothing is parsed until a PyTorch
// file is analysed). In the browser's extension host, which runs one script per extension,
// src/extension/webEngine.ts reads and evaluates the analyser before the features start
// (`web: true`; dist/web/extension.js and dist/web/engine.js).
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ENGINE = /[\\/]src[\\/](python|core)[\\/]/;
/** The web features' loader of the analyser. */
const WEB_ENGINE = fileURLToPath(new URL("./src/extension/webEngine.ts", import.meta.url));

/** The .ts file an import of `spec` from `dir` names. */
function resolveTs(dir, spec) {
  const base = path.resolve(dir, spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Imports from outside the engine into it (relative specifiers only). */
function engineImport(args) {
  if (!args.path.startsWith(".") || ENGINE.test(args.importer)) return null;
  const file = resolveTs(args.resolveDir, args.path);
  return file && ENGINE.test(file) ? file : null;
}

/**
 * @param common esbuild options shared with the other builds (minify, sourcemap, target...)
 * @param options { entry, outfile, engineOutfile, banner, web }
 */
export async function buildSplitExtension(common, { entry, outfile, engineOutfile, banner, web = false }) {
  // 1. which engine modules the features import
  const modules = new Set();
  await esbuild.build({
    ...common,
    entryPoints: [entry],
    outfile,
    write: false,
    logLevel: "silent",
    external: ["vscode"],
    plugins: [
      {
        name: "find-engine-imports",
        setup(build) {
          build.onResolve({ filter: /^\./ }, (args) => {
            const file = engineImport(args);
            if (!file) return undefined;
            modules.add(file);
            return { path: file, external: true };
          });
        },
      },
    ],
  });
  const keys = [...modules].sort();
  const keyOf = new Map(keys.map((file, i) => [file, `m${i}`]));

  // 2. the engine: each of those modules' exports, under one key per module
  await esbuild.build({
    ...common,
    stdin: { contents: keys.map((file) => `export * as ${keyOf.get(file)} from ${JSON.stringify(file)};`).join("\n"), resolveDir: path.dirname(entry), loader: "ts", sourcefile: "engine.ts" },
    outfile: engineOutfile,
    external: ["vscode"],
  });

  // 3. what each module exports (the features may only import functions and classes from it)
  const require = createRequire(import.meta.url);
  const enginePath = path.resolve(engineOutfile);
  delete require.cache[enginePath];
  const engine = require(enginePath);
  const engineSpec = `./${path.relative(path.dirname(outfile), engineOutfile).split(path.sep).join("/")}`;

  // 4. the features, with each engine module replaced by functions that load the engine when first called
  const features = await esbuild.build({
    ...common,
    entryPoints: [entry],
    outfile,
    banner: banner ? { js: banner } : undefined,
    external: ["vscode", engineSpec],
    define: web ? { ...common.define, __SHAPE_LENS_SPLIT_ENGINE__: "true" } : common.define,
    metafile: true,
    plugins: [
      {
        name: "lazy-engine",
        setup(build) {
          build.onResolve({ filter: /^\./ }, (args) => {
            const file = engineImport(args);
            return file ? { path: file, namespace: "lazy-engine" } : undefined;
          });
          build.onLoad({ filter: /.*/, namespace: "lazy-engine" }, (args) => {
            const key = keyOf.get(args.path);
            const exports = key && engine[key];
            if (!exports) return { errors: [{ text: `${args.path} is not in the engine bundle` }] };
            const lines = web
              ? [`import { engineExports } from ${JSON.stringify(WEB_ENGINE)};`, `let m;`, `const load = () => (m ??= engineExports().${key});`]
              : [`let m;`, `const load = () => (m ??= require(${JSON.stringify(engineSpec)}).${key});`];
            for (const [name, value] of Object.entries(exports)) {
              // a value cannot be forwarded lazily (reading it would load the engine at activation):
              // not exported, so importing one fails the build
              if (typeof value !== "function") continue;
              // called or constructed (`new AnalysisSession()` returns the engine's instance)
              lines.push(`export function ${name}(...a) { const f = load().${name}; return new.target ? Reflect.construct(f, a) : f.apply(this, a); }`);
            }
            return { contents: lines.join("\n"), loader: "js", resolveDir: path.dirname(args.path) };
          });
        },
      },
    ],
  });
  return { engineModules: keys.length, metafile: features.metafile };
}
