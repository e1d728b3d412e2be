// Launches Debian's headless Chromium through playwright-core for the code-server workbench.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { chromiumPath } from "./paths";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Chromium with a throwaway HOME (it writes crash reports and dconf there), removed on close. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: run bash test/vscode/setup.sh (or set CHROMIUM_PATH)`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-chromium-"));
  const removeHome = () => fs.rmSync(home, { recursive: true, force: true });
  process.once("exit", removeHome);
  try {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, ".config"),
        XDG_CACHE_HOME: path.join(home, ".cache"),
      },
    });
    browser.on("disconnected", removeHome);
    return browser;
  } catch (error) {
    removeHome();
    throw error;
  }
}
