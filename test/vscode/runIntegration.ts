// Entry point of the integration suites: @vscode/test-electron's runTests() on code-server
// (through launcher.js), or on a downloaded desktop VS Code with SHAPE_LENS_VSCODE=download.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runTests } from "@vscode/test-electron";
import { integrationTestsPath, integrationWorkspace, launcherPath, repoRoot } from "./paths";

async function main(): Promise<number> {
  const download = process.env.SHAPE_LENS_VSCODE === "download";
  // A fresh profile per run, removed at the end whatever happens.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-profile-"));
  const extensionsDir = path.join(profile, "extensions");
  fs.mkdirSync(extensionsDir);
  try {
    await runTests({
      vscodeExecutablePath: download ? undefined : launcherPath,
      version: process.env.SHAPE_LENS_VSCODE_VERSION, // download only; default: stable
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: integrationTestsPath,
      launchArgs: [
        integrationWorkspace,
        `--user-data-dir=${path.join(profile, "data")}`,
        `--extensions-dir=${extensionsDir}`,
        "--disable-extensions",
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
