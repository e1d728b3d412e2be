// End-to-end check as a person sees it: packages the .vsix, installs it into a fresh code-server,
// opens a model file in the workbench, asserts on the visible inlay hints and sidebar rows
// (driven by test/e2e/expectations.json) and saves screenshots to test/e2e/screenshots/.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../vscode/browser";
import { exitAfterCleanup, onCleanup } from "../vscode/cleanup";
import { startCodeServer } from "../vscode/codeServer";
import { integrationWorkspace, repoRoot } from "../vscode/paths";

/** The shape of expectations.json; see test/e2e/README.md. */
interface Expectations {
  /** Folder opened in the workbench, relative to the repo root. */
  workspace: string;
  /** File to open, relative to the workspace; the first *.py there when absent or missing. */
  file?: string;
  /** Texts that must each appear inside some visible inlay hint. */
  hints?: string[];
  /** At least this many inlay hints must be visible. */
  minHints?: number;
  /** The Shape Lens tree: the view container to open and the rows it must show. */
  sidebar?: SidebarExpectations | null;
}

interface SidebarExpectations {
  /** Activity bar entry to click (its title, e.g. "Shape Lens"); omit for the Explorer. */
  container?: string;
  /** Title of the view's pane header (expanded if collapsed). */
  view: string;
  /** Texts that must each appear in some row of the view. */
  rows?: string[];
}

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const screenshotDir = path.join(repoRoot, "test", "e2e", "screenshots");
const hintSelector = '.monaco-editor .view-line span[class*="dyn-rule"]';
const checks: Check[] = [];

function check(name: string, ok: boolean, detail = ""): void {
  checks.push({ name, ok, detail });
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}\n`);
}

function readExpectations(): Expectations {
  const file = process.env.SHAPE_LENS_E2E_EXPECT ?? path.join(repoRoot, "test", "e2e", "expectations.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as Expectations;
}

/** The workspace and file to open; falls back to the integration workspace while examples/ is empty. */
function chooseFile(expect: Expectations): { workspace: string; file: string } {
  const candidates = [path.resolve(repoRoot, expect.workspace), integrationWorkspace];
  for (const workspace of candidates) {
    const pythonFiles = fs.existsSync(workspace) ? fs.readdirSync(workspace).filter((n) => n.endsWith(".py")).sort() : [];
    if (expect.file && pythonFiles.includes(expect.file)) return { workspace, file: expect.file };
    if (pythonFiles.length > 0) {
      const wanted = path.join(expect.workspace, expect.file ?? "*.py");
      process.stdout.write(`  note: no ${wanted} yet; opening ${path.relative(repoRoot, path.join(workspace, pythonFiles[0]))}\n`);
      return { workspace, file: pythonFiles[0] };
    }
  }
  throw new Error(`no Python file in ${candidates.join(" or ")}`);
}

function packageVsix(outDir: string): string {
  const vsix = path.join(outDir, "shape-lens.vsix");
  const result = spawnSync("npm", ["run", "--silent", "package", "--", "--out", vsix], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0 || !fs.existsSync(vsix)) throw new Error(`npm run package failed (${result.status})`);
  return vsix;
}

/** Texts of the visible inlay hints, polled until `done` holds or `timeoutMs` passes. */
async function readHints(page: Page, done: (hints: string[]) => boolean, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hints = (await page.locator(hintSelector).allInnerTexts()).map(normalize).filter((t) => t.trim() !== "");
    if (done(hints) || Date.now() > deadline) return hints;
    await page.waitForTimeout(250);
  }
}

/** Monaco renders spaces as no-break spaces. */
function normalize(text: string): string {
  return text.replace(/\u00a0/g, " ");
}

async function openFile(page: Page, file: string): Promise<void> {
  const row = page.locator(".explorer-folders-view").getByRole("treeitem", { name: file, exact: true });
  await row.waitFor({ timeout: 60_000 });
  await row.click();
  await page.locator(".tabs-container .tab.active", { hasText: file }).waitFor({ timeout: 30_000 });
}

async function checkEditor(page: Page, workspace: string, file: string): Promise<void> {
  const firstLine = fs
    .readFileSync(path.join(workspace, file), "utf8")
    .split("\n")
    .find((line) => line.trim() !== "")!
    .trim();
  const lines = page.locator(".editor-instance .monaco-editor .view-lines");
  await lines.waitFor({ timeout: 30_000 });
  const text = normalize(await lines.innerText());
  check(`the editor shows ${file}`, text.includes(firstLine), `first line ${JSON.stringify(firstLine)}`);
  // The language mode turns from Plain Text to Python once the extension host has started.
  const mode = page.locator("#status\\.editor\\.mode");
  const python = await mode
    .filter({ hasText: "Python" })
    .waitFor({ timeout: 60_000 })
    .then(() => true, () => false);
  check("the editor's language mode is Python", python, normalize(await mode.innerText().catch(() => "?")).trim());
  // The status bar says "Activating Extensions..." until Shape Lens's activate() has returned.
  await page
    .locator(".statusbar", { hasText: "Activating Extensions" })
    .waitFor({ state: "detached", timeout: 60_000 })
    .catch(() => process.stdout.write("  note: extensions still activating after 60 s\n"));
}

async function checkHints(page: Page, expect: Expectations): Promise<void> {
  const wanted = expect.hints ?? [];
  const minHints = expect.minHints ?? 0;
  const satisfied = (hints: string[]) =>
    hints.length >= minHints && wanted.every((w) => hints.some((hint) => hint.includes(w)));
  const waitMs = wanted.length > 0 || minHints > 0 ? 30_000 : 3_000;
  const hints = await readHints(page, satisfied, waitMs);
  process.stdout.write(`  visible inlay hints (${hints.length}): ${JSON.stringify(hints.slice(0, 12))}\n`);
  if (minHints > 0) check(`at least ${minHints} inlay hints`, hints.length >= minHints, `saw ${hints.length}`);
  for (const w of wanted) check(`inlay hint ${JSON.stringify(w)}`, hints.some((hint) => hint.includes(w)));
}

async function checkSidebar(page: Page, sidebar: SidebarExpectations): Promise<void> {
  if (sidebar.container) {
    const item = page.locator(".activitybar .action-item .action-label").and(page.locator(`[aria-label^="${sidebar.container}"]`));
    await item.first().click({ timeout: 30_000 });
  }
  // A container with a single view hides that view's pane header (its title joins the container's).
  const pane = page.locator(".sidebar .pane", { has: page.locator(".pane-header", { hasText: sidebar.view }) }).first();
  await pane.waitFor({ state: "attached", timeout: 30_000 });
  const header = pane.locator(".pane-header");
  if ((await header.isVisible()) && (await header.getAttribute("aria-expanded")) === "false") await header.click();
  const rowTexts = async () => (await pane.locator(".monaco-list-row").allInnerTexts()).map(normalize);
  const wanted = sidebar.rows ?? [];
  const deadline = Date.now() + 30_000;
  let rows = await rowTexts();
  while (!wanted.every((w) => rows.some((row) => row.includes(w))) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    rows = await rowTexts();
  }
  process.stdout.write(`  ${sidebar.view} rows (${rows.length}): ${JSON.stringify(rows.slice(0, 12))}\n`);
  check(`the ${sidebar.view} view shows rows`, rows.length > 0, `saw ${rows.length}`);
  for (const w of wanted) check(`${sidebar.view} row ${JSON.stringify(w)}`, rows.some((row) => row.includes(w)));
}

async function main(): Promise<number> {
  const expect = readExpectations();
  const { workspace, file } = chooseFile(expect);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-e2e-"));
  onCleanup(() => fs.rmSync(temp, { recursive: true, force: true }));
  fs.rmSync(screenshotDir, { recursive: true, force: true }); // only this run's pictures
  fs.mkdirSync(screenshotDir, { recursive: true });

  // SHAPE_LENS_E2E_VSIX tests a .vsix built elsewhere (e.g. a release) instead of packaging one.
  const vsix = process.env.SHAPE_LENS_E2E_VSIX ? path.resolve(process.env.SHAPE_LENS_E2E_VSIX) : undefined;
  if (!vsix) process.stdout.write("e2e: packaging the extension\n");
  const server = await startCodeServer({ folder: workspace, installExtensions: [vsix ?? packageVsix(temp)] });
  onCleanup(() => server.stop());
  const installed = fs.readdirSync(server.extensionsDir).filter((n) => n.startsWith("shape-lens.shape-lens-"));
  check("the .vsix installs into code-server", installed.length === 1, installed.join(", "));

  const browser = await launchChromium();
  onCleanup(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  process.stdout.write(`e2e: opening ${path.relative(repoRoot, path.join(workspace, file))} in the workbench\n`);
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await openFile(page, file);
    await checkEditor(page, workspace, file);
    await checkHints(page, expect);
    await page.screenshot({ path: path.join(screenshotDir, "editor.png") });
    if (expect.sidebar) {
      await checkSidebar(page, expect.sidebar);
      await page.screenshot({ path: path.join(screenshotDir, "sidebar.png") });
    }
  } catch (error) {
    check("the workbench steps complete", false, error instanceof Error ? error.message.split("\n")[0] : String(error));
    await page.screenshot({ path: path.join(screenshotDir, "failure.png") }).catch(() => undefined);
  }
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(`e2e: screenshots in ${path.relative(repoRoot, screenshotDir)}/\n`);
  process.stdout.write(`e2e: ${checks.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => exitAfterCleanup(code),
  (error: unknown) => {
    process.stderr.write(`e2e: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitAfterCleanup(1);
  },
);
