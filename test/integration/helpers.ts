// Shared helpers for the integration suites (bundled into each *.test.js).
import * as path from "node:path";
import * as vscode from "vscode";

/** publisher.name from package.json. */
export const extensionId = "shape-lens.shape-lens";

/** The repo root: the bundles run from out/test/integration/. */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** A file in test/integration/workspace/, the folder the suites open. */
export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(repoRoot, "test", "integration", "workspace", name));
}

/** A file under test/fixtures/. */
export function fixtureFile(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(repoRoot, "test", "fixtures", relative));
}

/** Opens a Python file in an editor and waits until Shape Lens has activated. */
export async function openPython(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const extension = vscode.extensions.getExtension(extensionId);
  await waitFor(() => extension?.isActive === true, `${extensionId} to activate`);
  return document;
}

/** Polls `condition` every 50 ms until it holds, or throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
