// End-to-end check as a person sees it: packages the .vsix, installs it into a fresh code-server,
// opens a model file in the workbench, asserts on the visible inlay hints, a hover, the sidebar
// rows and a diagnostic with its quick fixes (driven by test/e2e/expectations.json) and saves
// screenshots to test/e2e/screenshots/ (and cropped copies to $SHAPE_LENS_E2E_DOCS, e.g. docs/).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Locator, Page } from "playwright-core";
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
  /** Exact texts of visible inlay hints: each must equal the hints of some editor line, joined. */
  hints?: string[];
  /** At least this many editor lines must show inlay hints. */
  minHints?: number;
  /** A hover shown at a position of the file (Go to Line, then Show Hover). */
  hover?: HoverExpectations | null;
  /** The Shape Lens tree: the view container to open and the rows it must show. */
  sidebar?: SidebarExpectations | null;
  /** A file with a problem, opened in a workspace of its own: squiggle, Problems panel, quick fixes. */
  diagnostic?: DiagnosticExpectations | null;
}

interface HoverExpectations {
  /** 1-based line and column the cursor goes to. */
  line: number;
  column: number;
  /** Texts that must each appear in the hover widget. */
  contains: string[];
}

interface DiagnosticExpectations {
  /** Folder to open, relative to the repo root. */
  workspace: string;
  /** File to open, relative to that folder. */
  file: string;
  /** 1-based line and column of the problem: the cursor goes there before the quick-fix menu opens. */
  line: number;
  column: number;
  /** Texts that must each appear in some row of the Problems panel. */
  problems: string[];
  /** Titles that must each appear in the quick-fix menu (Ctrl+.). */
  quickFixes: string[];
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
/** Also save cropped screenshots there (e.g. SHAPE_LENS_E2E_DOCS=docs for the README's pictures). */
const docsDir = process.env.SHAPE_LENS_E2E_DOCS ? path.resolve(repoRoot, process.env.SHAPE_LENS_E2E_DOCS) : undefined;
const lineSelector = ".editor-instance .monaco-editor .view-line";
const hintSelector = 'span[class*="dyn-rule"]';
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

/**
 * The inlay hints of each visible editor line, top to bottom, polled until `done` holds or
 * `timeoutMs` passes. Monaco renders a hint as several spans (the padding, then the label in
 * pieces of about 50 characters), so the spans of a line are joined.
 */
async function readHints(page: Page, done: (hints: string[]) => boolean, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = await page.locator(lineSelector).evaluateAll(
      (elements, spans) =>
        elements
          .map((line) => ({
            top: parseFloat((line as unknown as { style: { top: string } }).style.top) || 0,
            text: Array.from(line.querySelectorAll(spans), (span) => (span as { textContent: string | null }).textContent ?? "").join(""),
          }))
          .sort((a, b) => a.top - b.top)
          .map((line) => line.text),
      hintSelector,
    );
    const hints = lines.map(normalize).map((t) => t.trim()).filter((t) => t !== "");
    if (done(hints) || Date.now() > deadline) return hints;
    await page.waitForTimeout(250);
  }
}

/** Monaco renders spaces as no-break spaces and an inlay hint's padding as a hair space. */
function normalize(text: string): string {
  return text.replace(/\u00a0/g, " ").replace(/\u200a/g, "");
}

interface Clip {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Saves the whole window to test/e2e/screenshots/, and the `clip` of it to $SHAPE_LENS_E2E_DOCS. */
async function screenshot(page: Page, name: string, clip?: Clip): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, name) });
  if (docsDir) await page.screenshot({ path: path.join(docsDir, name), clip });
}

/** The smallest rectangle around the boxes of `locators` (those visible), grown by `margin` and kept inside the window. */
async function around(page: Page, locators: Locator[], margin = 8): Promise<Clip | undefined> {
  const boxes = (await Promise.all(locators.map((l) => l.boundingBox().catch(() => null)))).filter((b) => b !== null);
  if (boxes.length === 0) return undefined;
  const size = page.viewportSize() ?? { width: 1440, height: 900 };
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(size.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(size.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * Ends `clip` at the bottom of the last editor line (or other `rows`) it shows in full, once the
 * rows have kept their places for a second (code lenses arrive after the hints and push lines down).
 */
async function wholeLines(page: Page, clip: Clip | undefined, rows: Locator = page.locator(lineSelector)): Promise<Clip | undefined> {
  if (!clip) return clip;
  const read = () => rows.evaluateAll((lines) => lines.map((line) => line.getBoundingClientRect().bottom));
  let bottoms = await read();
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    await page.waitForTimeout(1_000);
    const again = await read();
    if (JSON.stringify(again) === JSON.stringify(bottoms)) break;
    bottoms = again;
  }
  const bottom = Math.max(...bottoms.filter((b) => b <= clip.y + clip.height));
  return Number.isFinite(bottom) && bottom > clip.y ? { ...clip, height: Math.ceil(bottom - clip.y) } : clip;
}

/**
 * A hover is at most a quarter of the editor's height (at least 250 px) until the user resizes
 * it: drag its free top (or bottom) edge to the editor's edge so that the whole hover shows.
 */
async function growHover(page: Page, widget: Locator): Promise<void> {
  const hover = await widget.boundingBox();
  const editor = await page.locator(".editor-instance .monaco-editor").first().boundingBox();
  if (!hover || !editor) return;
  for (const sash of await page.locator(".monaco-editor .monaco-sash.horizontal:not(.disabled)").all()) {
    const box = await sash.boundingBox();
    if (!box || box.x > hover.x + 4 || box.x + box.width < hover.x + hover.width - 4) continue;
    const y = box.y + box.height / 2;
    const to = Math.abs(y - hover.y) <= 4 ? editor.y + 4 : Math.abs(y - (hover.y + hover.height)) <= 4 ? editor.y + editor.height - 4 : undefined;
    if (to === undefined) continue;
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, to, { steps: 10 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    return;
  }
}

/** Moves the cursor of the active editor to a 1-based line and column (Go to Line). */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget .quick-input-box input").first();
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden", timeout: 10_000 });
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
  const satisfied = (hints: string[]) => hints.length >= minHints && wanted.every((w) => hints.includes(w));
  const waitMs = wanted.length > 0 || minHints > 0 ? 30_000 : 3_000;
  const hints = await readHints(page, satisfied, waitMs);
  process.stdout.write(`  lines with inlay hints (${hints.length}): ${JSON.stringify(hints.slice(0, 40), null, 1)}\n`);
  if (minHints > 0) check(`at least ${minHints} lines with inlay hints`, hints.length >= minHints, `saw ${hints.length}`);
  for (const w of wanted) check(`inlay hint ${JSON.stringify(w)}`, hints.includes(w));
  // the editor down to its last whole line above the horizontal scrollbar
  const editor = await around(page, [page.locator(".part.editor")], 0);
  const bar = await page.locator(".editor-instance .monaco-editor .scrollbar.horizontal").first().boundingBox().catch(() => null);
  const clip = editor && bar && bar.height > 0 && bar.y > editor.y ? { ...editor, height: Math.min(editor.height, bar.y - editor.y) } : editor;
  await screenshot(page, "hints.png", await wholeLines(page, clip));
}

async function checkHover(page: Page, hover: HoverExpectations): Promise<void> {
  await goTo(page, hover.line, hover.column);
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  const widget = page.locator(".monaco-editor .monaco-hover:not(.hidden)").first();
  const shown = await widget.waitFor({ timeout: 15_000 }).then(() => true, () => false);
  // table cells come out tab-separated: compare with single spaces
  const text = shown ? normalize(await widget.innerText()).replace(/[\t ]+/g, " ") : "";
  process.stdout.write(`  hover at ${hover.line}:${hover.column}: ${JSON.stringify(text.slice(0, 400))}\n`);
  check(`a hover shows at line ${hover.line}, column ${hover.column}`, shown);
  if (shown) await growHover(page, widget);
  for (const w of hover.contains) check(`the hover shows ${JSON.stringify(w)}`, text.includes(w));
  const line = page.locator(".editor-instance .monaco-editor .view-overlays .current-line").first();
  await screenshot(page, "hover.png", await wholeLines(page, await around(page, [widget, line], 12)));
  await page.keyboard.press("Escape");
}

function activityBarItem(page: Page, title: string): Locator {
  return page.locator(".activitybar .action-item .action-label").and(page.locator(`[aria-label^="${title}"]`)).first();
}

async function checkSidebar(page: Page, sidebar: SidebarExpectations): Promise<void> {
  if (sidebar.container) await activityBarItem(page, sidebar.container).click({ timeout: 30_000 });
  // A container with a single view hides that view's pane header (its title joins the container's).
  const pane = page.locator(".sidebar .pane", { has: page.locator(".pane-header", { hasText: sidebar.view }) }).first();
  await pane.waitFor({ state: "attached", timeout: 30_000 });
  const header = pane.locator(".pane-header");
  if ((await header.isVisible()) && (await header.getAttribute("aria-expanded")) === "false") await header.click();
  // "label description", as the row reads
  const rowTexts = async () =>
    (
      await pane.locator(".monaco-list-row").evaluateAll((rows) =>
        rows.map((row) => [".label-name", ".label-description"].map((part) => row.querySelector(part)?.textContent ?? "").join(" ").trim()),
      )
    ).map(normalize);
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
  // widen the sidebar (drag the sash on its right edge) so that the rows' figures show in full
  const box = await page.locator(".part.sidebar").boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 300, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
  }
  await page.mouse.move(1000, 450); // no tooltip in the picture
  await page.waitForTimeout(500);
  await screenshot(page, "tree.png", await wholeLines(page, await around(page, [page.locator(".activitybar"), page.locator(".part.sidebar")], 0), pane.locator(".monaco-list-row")));
}

/**
 * Opens a copy of the diagnostic's workspace in the same server (the quick-fix menu must never
 * change the repo's files: VS Code saves files a code action edits), then its file, the Problems
 * panel and the quick-fix menu, which it leaves with Escape.
 */
async function checkDiagnostic(page: Page, serverUrl: string, diagnostic: DiagnosticExpectations, temp: string): Promise<void> {
  const source = path.resolve(repoRoot, diagnostic.workspace);
  const workspace = path.join(temp, path.basename(source));
  fs.cpSync(source, workspace, { recursive: true });
  process.stdout.write(`e2e: opening a copy of ${path.relative(repoRoot, path.join(source, diagnostic.file))} in the workbench\n`);
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  await openFile(page, diagnostic.file);
  await checkEditor(page, workspace, diagnostic.file);
  const squiggle = page.locator(".editor-instance .monaco-editor .squiggly-error").first();
  check("the editor underlines the problem", await squiggle.waitFor({ timeout: 30_000 }).then(() => true, () => false));
  // the Problems panel (View: Toggle Problems)
  await page.keyboard.press("Control+Shift+M");
  const markers = page.locator(".markers-panel .monaco-list-row");
  const wanted = diagnostic.problems;
  const deadline = Date.now() + 30_000;
  let rows = (await markers.allInnerTexts()).map(normalize);
  while (!wanted.every((w) => rows.some((row) => row.includes(w))) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    rows = (await markers.allInnerTexts()).map(normalize);
  }
  process.stdout.write(`  Problems rows (${rows.length}): ${JSON.stringify(rows.slice(0, 8))}\n`);
  for (const w of wanted) check(`the Problems panel shows ${JSON.stringify(w)}`, rows.some((row) => row.includes(w)));
  // the quick-fix menu at the problem; a second Ctrl+. would accept its first item, so Escape before retrying
  await goTo(page, diagnostic.line, diagnostic.column);
  const menu = page.locator(".action-widget").first();
  let items: string[] = [];
  for (let attempt = 0; attempt < 3 && items.length === 0; attempt++) {
    if (attempt > 0) {
      await page.keyboard.press("Escape");
      await page.waitForTimeout(1_000);
    }
    await page.keyboard.press("Control+.");
    if (await menu.waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
      items = (await menu.locator(".monaco-list-row").allInnerTexts()).map(normalize).map((t) => t.trim());
    }
  }
  process.stdout.write(`  quick-fix menu: ${JSON.stringify(items)}\n`);
  for (const w of diagnostic.quickFixes) check(`the quick-fix menu offers ${JSON.stringify(w)}`, items.includes(w));
  // the editor and the Problems panel down to its last row
  await screenshot(page, "diagnostic.png", await around(page, [page.locator(".part.editor"), page.locator(".part.panel .composite.title").first(), markers.last()], 0));
  await page.keyboard.press("Escape");
  const changed = fs.readFileSync(path.join(workspace, diagnostic.file), "utf8") !== fs.readFileSync(path.join(source, diagnostic.file), "utf8");
  check("the file is unchanged after the quick-fix menu", !changed);
}

async function main(): Promise<number> {
  const expect = readExpectations();
  const { workspace, file } = chooseFile(expect);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-e2e-"));
  onCleanup(() => fs.rmSync(temp, { recursive: true, force: true }));
  fs.rmSync(screenshotDir, { recursive: true, force: true }); // only this run's pictures
  fs.mkdirSync(screenshotDir, { recursive: true });
  if (docsDir) fs.mkdirSync(docsDir, { recursive: true });

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
    // An editor opened before the workbench has registered the extension's contributions keeps
    // editor.inlayHints.maximumLength at 43 (the extension's [python] default of 0 arrives too
    // late for it): wait for the extension's activity bar entry, as a person sees the window settle.
    if (expect.sidebar?.container) await activityBarItem(page, expect.sidebar.container).waitFor({ timeout: 60_000 });
    await openFile(page, file);
    await checkEditor(page, workspace, file);
    await checkHints(page, expect);
    if (expect.hover) await checkHover(page, expect.hover);
    if (expect.sidebar) await checkSidebar(page, expect.sidebar);
    if (expect.diagnostic) await checkDiagnostic(page, server.url, expect.diagnostic, temp);
  } catch (error) {
    check("the workbench steps complete", false, error instanceof Error ? error.message.split("\n")[0] : String(error));
    await page.screenshot({ path: path.join(screenshotDir, "failure.png") }).catch(() => undefined);
  }
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(`e2e: screenshots in ${path.relative(repoRoot, screenshotDir)}/${docsDir ? ` and ${path.relative(repoRoot, docsDir)}/` : ""}\n`);
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
