// Builds the extension (dist/extension.js + dist/engine.js, and dist/web/extension.js + dist/web/engine.js for the browser extension host: vscode.dev, github.dev),
// the CLI (dist/cli.js) and the network picture's webview script (dist/webview/); --watch, --production.
import * as esbuild from "esbuild";
import { buildSplitExtension } from "./esbuild.engine.mjs";

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

const common = {
  bundle: true,
  platform: "node",
  target: "node18",
  format: "cjs",
  sourcemap: !production,
  minify: production,
  logLevel: "info",
};

/** First line of the extension bundle: when its code began to run (activate() reports the load time to `npm run bench`). */
const LOAD_START = 'var __shapeLensLoadStart = typeof performance === "object" ? performance.now() : undefined;';

// the web worker extension host: no Node built-ins (the build fails if shared code imports one)
const web = { ...common, platform: "browser", target: "es2022", mainFields: ["browser", "module", "main"] };

const builds = [
  { ...common, entryPoints: ["src/extension/extension.ts"], outfile: "dist/extension.js", external: ["vscode"], banner: { js: LOAD_START } },
  // the same extension for the web worker extension host
  { ...web, entryPoints: ["src/extension/web.ts"], outfile: "dist/web/extension.js", external: ["vscode"], banner: { js: LOAD_START } },
  { ...common, entryPoints: ["src/cli/main.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } },
  // the network picture's webview script (with its layout library), apart so activation stays light
  { ...common, entryPoints: ["src/webview/network.ts"], outfile: "dist/webview/network.js", platform: "browser", format: "iife", target: "es2022" },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  // each extension as two files, the features and the analyser (esbuild.engine.mjs); --watch keeps one file each
  const [node, browser, ...rest] = builds;
  await Promise.all([
    buildSplitExtension(common, { entry: node.entryPoints[0], outfile: node.outfile, engineOutfile: "dist/engine.js", banner: LOAD_START }),
    buildSplitExtension(web, { entry: browser.entryPoints[0], outfile: browser.outfile, engineOutfile: "dist/web/engine.js", banner: LOAD_START, web: true }),
    ...rest.map((options) => esbuild.build(options)),
  ]);
}
