// The "VS Code executable" handed to @vscode/test-electron's runTests(): turns the arguments it
// passes into code-server on a loopback port plus headless Chromium loading VS Code's test
// payload, relays the mocha output, and exits with the tests' exit code.
import * as path from "node:path";
import { format } from "node:util";
import { launchChromium } from "./browser";
import { exitAfterCleanup, onCleanup } from "./cleanup";
import { startCodeServer } from "./codeServer";

interface LaunchArgs {
  extensionTestsPath?: string;
  extensionDevelopmentPaths: string[];
  /** Where the extensions under development run: "web" puts them in the browser's web worker extension host. */
  extensionDevelopmentKinds: string[];
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

/** Accepts both --name=value and --name value; ignores flags code-server has no use for. */
function parseArgs(argv: readonly string[]): LaunchArgs {
  const parsed: LaunchArgs = { extensionDevelopmentPaths: [], extensionDevelopmentKinds: [] };
  const valued = new Set(["extensionTestsPath", "extensionDevelopmentPath", "extensionDevelopmentKind", "user-data-dir", "extensions-dir"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      parsed.folder = path.resolve(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!valued.has(name)) continue;
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (name === "extensionTestsPath") parsed.extensionTestsPath = path.resolve(value);
    if (name === "extensionDevelopmentPath") parsed.extensionDevelopmentPaths.push(path.resolve(value));
    if (name === "extensionDevelopmentKind") parsed.extensionDevelopmentKinds.push(value);
    if (name === "user-data-dir") parsed.userDataDir = path.resolve(value);
    if (name === "extensions-dir") parsed.extensionsDir = path.resolve(value);
  }
  return parsed;
}

/** Console calls arrive as their argument list, printf-style (mocha's reporter uses %s, %d). */
function formatLogArgs(args: unknown): string {
  return format(...(Array.isArray(args) ? args : [args]));
}

/** Workbench chatter that is expected here: the connection handshake and the offline gallery. */
const noise = [/^Resolv(ing|ed) connection token/, /^Creating a socket/, /^Updating additional builtin/, /^\[Service Worker\]/, /open-vsx\.org/];

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.extensionTestsPath || args.extensionDevelopmentPaths.length === 0) {
    process.stderr.write("launcher: needs --extensionTestsPath and --extensionDevelopmentPath (it runs extension tests only)\n");
    return 2;
  }
  const timeoutMs = Number(process.env.SHAPE_LENS_TEST_TIMEOUT_MS ?? 10 * 60_000);
  const verbose = process.env.SHAPE_LENS_VERBOSE === "1";

  const server = await startCodeServer({
    folder: args.folder,
    userDataDir: args.userDataDir,
    extensionsDir: args.extensionsDir,
    verbose,
  });
  onCleanup(() => server.stop());
  const browser = await launchChromium();
  onCleanup(() => browser.close());
  const page = await browser.newPage();

  let resolveExit: (code: number) => void = () => {};
  const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
  await page.exposeFunction("codeAutomationLog", (type: string, args: unknown) => {
    const line = formatLogArgs(args);
    if (!verbose && noise.some((pattern) => pattern.test(line))) return;
    (type === "error" ? process.stderr : process.stdout).write(`${line}\n`);
  });
  await page.exposeFunction("codeAutomationExit", (code: number) => resolveExit(Number(code)));
  page.on("crash", () => {
    process.stderr.write("launcher: the workbench page crashed\n");
    resolveExit(1);
  });
  browser.on("disconnected", () => resolveExit(1));
  if (verbose) {
    page.on("console", (message) => process.stderr.write(`[page ${message.type()}] ${message.text()}\n`));
    page.on("pageerror", (error) => process.stderr.write(`[page error] ${error.message}\n`));
  }

  const remote = (file: string) => `vscode-remote://${server.authority}${file}`;
  const payload = [
    ...args.extensionDevelopmentPaths.map((dir) => ["extensionDevelopmentPath", remote(dir)]),
    ...args.extensionDevelopmentKinds.map((kind) => ["extensionDevelopmentKind", kind]),
    ["extensionTestsPath", remote(args.extensionTestsPath)],
    ["skipWelcome", "true"],
  ];
  const query = new URLSearchParams();
  if (args.folder) query.set("folder", args.folder);
  query.set("payload", JSON.stringify(payload));
  if (verbose) process.stderr.write(`launcher: payload ${JSON.stringify(payload)}\n`);
  await page.goto(`${server.url}/?${query.toString()}`);

  const timeout = new Promise<number>((resolve) =>
    setTimeout(() => {
      process.stderr.write(`launcher: no test result after ${timeoutMs / 1000} s; giving up\n`);
      resolve(1);
    }, timeoutMs).unref(),
  );
  return Promise.race([exitCode, timeout]);
}

main().then(
  (code) => exitAfterCleanup(code),
  (error: unknown) => {
    process.stderr.write(`launcher: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitAfterCleanup(1);
  },
);
