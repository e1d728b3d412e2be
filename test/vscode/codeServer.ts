// Starts and stops code-server (a real VS Code) on a loopback port with throwaway folders.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeServerEntry } from "./paths";

export interface CodeServerOptions {
  /** Folder to open; also passed as ?folder= by the page that loads the workbench. */
  readonly folder?: string;
  /** Defaults to a temp folder removed by stop(). */
  readonly userDataDir?: string;
  /** Defaults to a temp folder removed by stop(). */
  readonly extensionsDir?: string;
  /** .vsix files installed (offline) before the server starts. */
  readonly installExtensions?: readonly string[];
  /** Print the server's own log lines. */
  readonly verbose?: boolean;
  /** VS Code's display language (--locale), e.g. "zh-cn"; it needs an installed language pack for that language. */
  readonly locale?: string;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT, the remote authority in vscode-remote:// URIs. */
  readonly authority: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Stops the server and everything it started, and removes the temp folders. Idempotent. */
  stop(): Promise<void>;
}

/** User settings that keep the workbench quiet and deterministic for tests and screenshots. */
const testSettings = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "editor.inlayHints.enabled": "on",
  "editor.minimap.enabled": false,
  "git.enabled": false,
  "chat.commandCenter.enabled": false,
};

export function assertCodeServerInstalled(): void {
  if (!fs.existsSync(codeServerEntry)) {
    throw new Error(`code-server is not installed at ${codeServerEntry}: run bash test/vscode/setup.sh`);
  }
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  assertCodeServerInstalled();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-code-server-"));
  const userDataDir = options.userDataDir ?? path.join(temp, "data");
  const extensionsDir = options.extensionsDir ?? path.join(temp, "extensions");
  // A missing extensions folder makes code-server silently skip the development extension.
  for (const dir of [userDataDir, extensionsDir, ...["config", "data", "cache"].map((x) => path.join(temp, `xdg-${x}`))]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const settingsFile = path.join(userDataDir, "User", "settings.json");
  if (!fs.existsSync(settingsFile)) {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify(testSettings, null, 2));
  }
  // code-server writes its config, logs and a device id under XDG folders unless told otherwise.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(temp, "xdg-config"),
    XDG_DATA_HOME: path.join(temp, "xdg-data"),
    XDG_CACHE_HOME: path.join(temp, "xdg-cache"),
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  const common = ["--config", path.join(temp, "config.yaml"), "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];

  const removeTemp = () => fs.rmSync(temp, { recursive: true, force: true });
  try {
    for (const vsix of options.installExtensions ?? []) {
      const result = spawnSync(process.execPath, [codeServerEntry, ...common, "--install-extension", vsix], {
        env,
        encoding: "utf8",
      });
      if (result.status !== 0) {
        throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
      }
    }
    if (options.locale) registerLanguagePacks(userDataDir, extensionsDir);
  } catch (error) {
    removeTemp();
    throw error;
  }

  const args = [
    codeServerEntry,
    ...common,
    "--bind-addr",
    "127.0.0.1:0",
    "--auth",
    "none",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    ...(options.locale ? ["--locale", options.locale] : []),
    ...(options.folder ? [options.folder] : []),
  ];
  // Its own process group, so stop() can end the server with every process it started.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopGroup(child).finally(removeTemp));
  process.once("exit", () => killGroup(child, "SIGKILL"));

  try {
    const url = await waitForListening(child, options.verbose ?? false);
    await waitForHealth(url);
    return { url, authority: new URL(url).host, userDataDir, extensionsDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Localization {
  readonly languageId: string;
  readonly languageName?: string;
  readonly localizedLanguageName?: string;
  readonly translations: readonly { readonly id: string; readonly path: string }[];
}

/**
 * Writes languagepacks.json, the index of installed language packs from which the server picks
 * the display language. A running server writes it when it installs a pack itself; the offline
 * `--install-extension` above does not, so --locale would fall back to English. Same format as
 * VS Code's LanguagePacksCache (src/vs/platform/languagePacks/node/languagePacks.ts).
 */
function registerLanguagePacks(userDataDir: string, extensionsDir: string): void {
  const packs: Record<string, { hash: string; extensions: { extensionIdentifier: { id: string }; version: string }[]; translations: Record<string, string>; label: string }> = {};
  for (const name of fs.readdirSync(extensionsDir)) {
    const manifestFile = path.join(extensionsDir, name, "package.json");
    if (!fs.existsSync(manifestFile)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { name: string; publisher: string; version: string; contributes?: { localizations?: Localization[] } };
    const id = `${manifest.publisher}.${manifest.name}`;
    for (const l of manifest.contributes?.localizations ?? []) {
      const pack = (packs[l.languageId] ??= { hash: "", extensions: [], translations: {}, label: l.localizedLanguageName ?? l.languageName ?? l.languageId });
      pack.extensions.push({ extensionIdentifier: { id }, version: manifest.version });
      for (const t of l.translations) pack.translations[t.id] = path.join(extensionsDir, name, t.path);
      const hash = createHash("md5");
      for (const e of pack.extensions) hash.update(e.extensionIdentifier.id).update(e.version);
      pack.hash = hash.digest("hex");
    }
  }
  fs.writeFileSync(path.join(userDataDir, "languagepacks.json"), JSON.stringify(packs));
}

/** Resolves with http://127.0.0.1:PORT once code-server logs the port it bound. */
function waitForListening(child: ChildProcess, verbose: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (verbose) process.stderr.write(`[code-server] ${text}`);
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`${url}/healthz did not answer in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the whole group, SIGKILL after 5 s if the server is still there. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, "SIGKILL"); // children may outlive the main process
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5_000).unref());
  if ((await Promise.race([exited, timeout])) === "timeout") {
    killGroup(child, "SIGKILL");
    await exited;
  }
  killGroup(child, "SIGKILL");
}
