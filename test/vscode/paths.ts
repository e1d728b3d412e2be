// Where the real-VS-Code test tooling lives: repo root, cache, code-server install, Chromium.
import * as path from "node:path";

/** The built scripts run from out/test/vscode/ or out/test/e2e/; both are three levels down. */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** Cache filled by test/vscode/setup.sh (ignored by git). */
export const cacheDir = process.env.SHAPE_LENS_VSCODE_CACHE ?? path.join(repoRoot, ".vscode-test");

export const codeServerVersion = "4.96.4";

export const codeServerEntry = path.join(
  cacheDir,
  `code-server-${codeServerVersion}`,
  "node_modules",
  "code-server",
  "out",
  "node",
  "entry.js",
);

/** Debian's chromium; CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The fake VS Code executable handed to runTests() (bundled by test/vscode/build.mjs). */
export const launcherPath = path.join(repoRoot, "out", "test", "vscode", "launcher.js");

export const integrationTestsPath = path.join(repoRoot, "out", "test", "integration", "index.js");

/** The folder the integration suites open as their workspace. */
export const integrationWorkspace = path.join(repoRoot, "test", "integration", "workspace");
