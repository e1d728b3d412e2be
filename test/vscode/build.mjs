// Bundles the real-VS-Code tests into out/test/: the integration suites (index.js + every
// *.test.ts, loaded by the extension host), the runTests() entry point, the launcher that
// stands in for the VS Code executable, and the e2e screenshot script.
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const at = (...parts) => path.join(root, ...parts);

const integration = fs
  .readdirSync(at("test", "integration"))
  .filter((name) => name === "index.ts" || name.endsWith(".test.ts"))
  .map((name) => at("test", "integration", name));

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "inline",
  packages: "external", // vscode, mocha, playwright-core, @vscode/* load from node_modules
  logLevel: "warning",
};

fs.rmSync(at("out", "test"), { recursive: true, force: true });
await Promise.all([
  esbuild.build({ ...common, entryPoints: integration, outdir: at("out", "test", "integration") }),
  esbuild.build({
    ...common,
    entryPoints: [at("test", "vscode", "launcher.ts"), at("test", "vscode", "runIntegration.ts")],
    outdir: at("out", "test", "vscode"),
    banner: { js: "#!/usr/bin/env node" },
  }),
  esbuild.build({ ...common, entryPoints: [at("test", "e2e", "screenshots.ts"), at("test", "e2e", "networkPictures.ts")], outdir: at("out", "test", "e2e") }),
]);
// runTests() spawns the launcher directly, so it must be executable.
fs.chmodSync(at("out", "test", "vscode", "launcher.js"), 0o755);
console.log(`built out/test/ (${integration.length - 1} integration suite file(s))`);
