// ESLint flat config: typescript-eslint on src and test, plus the one-way dependency rule
// (extension -> python -> core; cli -> python -> core).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const restrict = (patterns) => ({
  "no-restricted-imports": ["error", { patterns }],
});

export default tseslint.config(
  { ignores: ["dist/**", "out/**", "node_modules/**", ".vscode-test/**", "test/fixtures/**", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: restrict([
      { group: ["vscode"], message: "src/core is pure: no vscode." },
      { group: ["@lezer/*"], message: "src/core is pure: no parser." },
      { group: ["fs", "node:*", "path", "os", "child_process"], message: "src/core does no I/O." },
      { group: ["../python/*", "../extension/*", "../cli/*", "../../*"], message: "src/core imports nothing outside itself." },
    ]),
  },
  {
    files: ["src/python/**/*.ts"],
    rules: restrict([
      { group: ["vscode"], message: "src/python never imports vscode." },
      { group: ["fs", "node:*", "path", "os", "child_process"], message: "src/python does no I/O (it also runs in the web extension host)." },
      { group: ["../extension/*", "../cli/*"], message: "dependencies point one way: python -> core." },
    ]),
  },
  {
    files: ["src/cli/**/*.ts"],
    rules: restrict([
      { group: ["vscode"], message: "the CLI runs without VS Code." },
      { group: ["../extension/*"], message: "cli -> python -> core only." },
    ]),
  },
  {
    files: ["src/webview/**/*.ts"],
    rules: restrict([
      { group: ["vscode"], message: "the webview runs in a browser frame: it talks to the extension by messages." },
      { group: ["fs", "node:*", "path", "os", "child_process"], message: "the webview runs in a browser." },
      { group: ["../core/*", "../python/*", "../cli/*"], message: "the webview draws what the extension sends (types from ../extension/networkProtocol only)." },
    ]),
  },
  {
    files: ["src/extension/**/*.ts"],
    rules: {
      "no-console": "error",
      ...restrict([{ group: ["../cli/*"], message: "the extension does not depend on the CLI." }]),
    },
  },
);
