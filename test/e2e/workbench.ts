// The workbench as a person sees it, for the e2e check: read inlay hints, hovers and sidebar rows from the page, take screenshots, record checks.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Frame, Locator, Page } from "playwright-core";
import { repoRoot } from "../vscode/paths";
import type { Expectations, HoverExpectations, SidebarExpectations } from "./expectations";

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export const screenshotDir = path.join(repoRoot, "test", "e2e", "screenshots");
/** Also save cropped screenshots there (e.g. SHAPE_LENS_E2E_DOCS=docs for the README's pictures). */
export const docsDir = process.env.SHAPE_LENS_E2E_DOCS ? path.resolve(repoRoot, process.env.SHAPE_LENS_E2E_DOCS) : undefined;
const lineSelector = ".editor-instance .monaco-editor .view-line";
const hintSelector = 'span[class*="dyn-rule"]';
export const checks: Check[] = [];

export function check(name: string, ok: boolean, detail = ""): void {
  checks.push({ name, ok, detail });
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}\n`);
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
export function normalize(text: string): string {
  return text.replace(/\u00a0/g, " ").replace(/\u200a/g, "");
}

interface Clip {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Saves the whole window to test/e2e/screenshots/, and the `clip` of it to $SHAPE_LENS_E2E_DOCS. */
export async function screenshot(page: Page, name: string, clip?: Clip): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, name) });
  if (docsDir) await page.screenshot({ path: path.join(docsDir, name), clip });
}

/** The smallest rectangle around the boxes of `locators` (those visible), grown by `margin` and kept inside the window. */
export async function around(page: Page, locators: Locator[], margin = 8): Promise<Clip | undefined> {
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
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget .quick-input-box input").first();
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden", timeout: 10_000 });
}

export async function openFile(page: Page, file: string): Promise<void> {
  const row = page.locator(".explorer-folders-view").getByRole("treeitem", { name: file, exact: true });
  await row.waitFor({ timeout: 60_000 });
  await row.click();
  await page.locator(".tabs-container .tab.active", { hasText: file }).waitFor({ timeout: 30_000 });
}

export async function checkEditor(page: Page, workspace: string, file: string): Promise<void> {
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

/** `picture`: the screenshot's file name. */
export async function checkHints(page: Page, expect: Pick<Expectations, "hints" | "minHints">, picture = "hints.png"): Promise<void> {
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
  await screenshot(page, picture, await wholeLines(page, clip));
}

export async function checkHover(page: Page, hover: HoverExpectations, picture = "hover.png"): Promise<void> {
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
  await screenshot(page, picture, await wholeLines(page, await around(page, [widget, line], 12)));
  await page.keyboard.press("Escape");
}

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(".activitybar .action-item .action-label").and(page.locator(`[aria-label^="${title}"]`)).first();
}

export async function checkSidebar(page: Page, sidebar: SidebarExpectations, picture = "tree.png"): Promise<void> {
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
  await screenshot(page, picture, await wholeLines(page, await around(page, [page.locator(".activitybar"), page.locator(".part.sidebar")], 0), pane.locator(".monaco-list-row")));
}

/** The picture's document inside VS Code's two webview iframes. */
export async function pictureFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame.name() === "active-frame" || frame.url().includes("fake.html")) {
        if (await frame.locator("svg.graph").count().catch(() => 0)) return frame;
      }
    }
    if (Date.now() > deadline) throw new Error(`no network picture webview after ${timeoutMs / 1000} s`);
    await page.waitForTimeout(200);
  }
}

/**
 * Opens the network picture of the first model in the file from its code lens (`lens` is the
 * lens's title) and checks that each of `texts` shows in the picture's toolbar or costs panel.
 */
export async function checkNetworkPicture(page: Page, lens: string, texts: readonly string[], picture: string): Promise<void> {
  await goTo(page, 1, 1);
  // code lenses are drawn again when an analysis lands: a click on one being replaced is lost, so click again
  let frame: Frame | undefined;
  for (let attempt = 1; !frame; attempt++) {
    await page.locator(".editor-instance .monaco-editor .codelens-decoration a", { hasText: lens }).first().click({ timeout: 30_000 });
    frame = await pictureFrame(page, 10_000).catch((error: unknown) => {
      if (attempt === 3) throw error;
      return undefined;
    });
    if (attempt > 1) process.stdout.write(`  note: the code lens took ${attempt} clicks\n`);
  }
  // a lost click leaves VS Code's "Actual command not found" toast: not part of the picture
  await command(page, "Notifications: Clear All Notifications");
  await frame.locator(".node").first().waitFor({ timeout: 20_000 });
  const shown = [
    ...(await frame.locator(".toolbar button, .toolbar label").evaluateAll((els) => els.flatMap((el) => [el.textContent ?? "", el.getAttribute("title") ?? ""]))),
    ...(await frame.locator(".costs h3, .costs th, .costs td, .costs p").allTextContents()),
  ].map(normalize);
  process.stdout.write(`  network picture: ${JSON.stringify(shown.join(" | ").slice(0, 400))}\n`);
  for (const w of texts) check(`the network picture shows ${JSON.stringify(w)}`, shown.some((s) => s.includes(w)));
  await screenshot(page, picture);
  // a reload (Developer: Reload Window, or the browser's) brings the panel back with its model
  const model = await frame.locator(".toolbar .heading strong").innerText();
  await command(page, "Developer: Reload Window");
  await page.waitForLoadState("load");
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  const again = await pictureFrame(page, 60_000).catch(() => undefined);
  const nodes = again ? await again.locator(".node").first().waitFor({ timeout: 30_000 }).then(() => again.locator(".node").count(), () => 0) : 0;
  const heading = again ? await again.locator(".toolbar .heading strong").innerText().catch(() => "") : "";
  check("the network picture comes back after a reload", nodes > 0 && heading === model, `${nodes} boxes, model ${JSON.stringify(heading)} (was ${JSON.stringify(model)})`);
}

/** A pattern matching `text` exactly, give or take surrounding spaces. */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
}

/** Picks the quick-input row whose label is exactly `label` (after typing `typed`). */
export async function pick(page: Page, typed: string, label: string): Promise<void> {
  const input = page.locator(".quick-input-widget input.input");
  await input.waitFor({ timeout: 10_000 });
  await input.fill(typed);
  const row = page.locator(".quick-input-list .monaco-list-row").filter({ has: page.locator(".label-name", { hasText: exactly(label) }) });
  try {
    await row.first().click({ timeout: 10_000 });
  } catch (error) {
    await input.fill(typed.startsWith(">") ? ">" : "");
    await page.waitForTimeout(500);
    const rows = await page.locator(".quick-input-list .monaco-list-row .label-name").allInnerTexts();
    throw new Error(`no ${JSON.stringify(label)} among ${JSON.stringify(rows.slice(0, 30))}: ${String(error).split("\n")[0]}`);
  }
}

/** Runs a command from the Command Palette by its title. */
export async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press("F1");
  await pick(page, `>${title}`, title);
}
