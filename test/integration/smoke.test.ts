// Smoke suite: the built extension activates on a Python file in a real VS Code, its commands
// are registered, the sentinel command answers, and the editor-feature queries answer.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as vscode from "vscode";
import { extensionId, openPython, workspaceFile } from "./helpers";

describe("smoke", () => {
  let document: vscode.TextDocument;

  before(async () => {
    document = await openPython(workspaceFile("smoke_model.py"));
  });

  it("activates on a Python file", async () => {
    assert.equal(document.languageId, "python");
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is loaded`);
    assert.equal(extension.isActive, true, "activated by opening the file (onLanguage:python)");
    assert.equal(path.basename(document.uri.fsPath), "smoke_model.py");
  });

  it("runs the sentinel command", async () => {
    assert.equal(await vscode.commands.executeCommand("shapeLens.ping"), "pong");
  });

  it("registers every contributed command", async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    const contributed: { command: string }[] = extension?.packageJSON.contributes?.commands ?? [];
    assert.ok(contributed.length > 0, "package.json contributes commands");
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], "contributed commands without a registration");
  });

  it("answers the editor-feature queries through the public API", async () => {
    const range = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      "vscode.executeInlayHintProvider",
      document.uri,
      range,
    );
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      "vscode.executeHoverProvider",
      document.uri,
      new vscode.Position(4, 8),
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      range,
    );
    assert.ok(Array.isArray(hints), "inlay hints are an array");
    assert.ok(Array.isArray(hovers), "hovers are an array");
    assert.ok(Array.isArray(actions), "code actions are an array");
    assert.ok(Array.isArray(vscode.languages.getDiagnostics(document.uri)), "diagnostics are an array");
  });
});
