// Entry point of the integration suites: @vscode/test-electron's runTests() on code-server
// (through launcher.js), or on a downloaded desktop VS Code with SHAPE_LENS_VSCODE=download.
// With --web: the web extension (package.json "browser") in the browser's web worker extension host, as on vscode.dev.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runTests } from "@vscode/test-electron";
import { integrationTestsPath, integrationWorkspace, launcherPath, repoRoot } from "./paths";

/**
 * The web extension's files (as the .vsix has them) in a folder of their own: the tests must lie
 * outside the extension's folder to run in the Node extension host. Its manifest loses "main", as
 * vscode.dev sees it: code-server 4.96's workbench places a development extension by the kinds its
 * manifest implies (main + browser: the Node host) and ignores extensionDevelopmentKind=web.
 */
function webExtensionCopy(into: string): string {
  const dir = path.join(into, "shape-lens-web");
  for (const rel of ["package.nls.json", "package.nls.zh-cn.json", "l10n", "dist/web", "dist/webview", "syntaxes", "media", "images", "README.md", "LICENSE"]) {
    const from = path.join(repoRoot, rel);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, rel), { recursive: true });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as Record<string, unknown>;
  delete manifest.main;
  delete manifest.bin;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

async function main(): Promise<number> {
  const download = process.env.SHAPE_LENS_VSCODE === "download";
  const web = process.argv.includes("--web");
  // A fresh profile per run, removed at the end whatever happens.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-profile-"));
  const extensionsDir = path.join(profile, "extensions");
  fs.mkdirSync(extensionsDir);
  if (web) {
    // the launcher passes the environment on to code-server, hence to the Node extension host where mocha runs
    process.env.SHAPE_LENS_WEB = "1";
    process.env.SHAPE_LENS_TEST_GREP = "web extension host";
  }
  try {
    await runTests({
      vscodeExecutablePath: download ? undefined : launcherPath,
      version: process.env.SHAPE_LENS_VSCODE_VERSION, // download only; default: stable
      extensionDevelopmentPath: web ? webExtensionCopy(profile) : repoRoot,
      extensionTestsPath: integrationTestsPath,
      launchArgs: [
        integrationWorkspace,
        `--user-data-dir=${path.join(profile, "data")}`,
        `--extensions-dir=${extensionsDir}`,
        "--disable-extensions",
        ...(web ? ["--extensionDevelopmentKind=web"] : []),
      ],
    });
    return 0;
  } catch (error) {
    process.stderr.write(`integration tests failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
