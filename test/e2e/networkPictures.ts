// Screenshots of the network picture for docs/: opens example models (copies in a temp folder) in code-server (the
// extension loaded from this checkout), runs "Shape Lens: Show Network Picture", checks what the webview draws and that a click on a box moves
// the editor's cursor to its line, and saves docs/network-picture-*.png (in dark, light and high-contrast themes).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Frame, Page } from "playwright-core";
import { launchChromium } from "../vscode/browser";
import { exitAfterCleanup, onCleanup } from "../vscode/cleanup";
import { startCodeServer } from "../vscode/codeServer";
import { repoRoot } from "../vscode/paths";
import { command, pick, pictureFrame } from "./workbench";

interface Shot {
  /** Relative to the repo root. */
  readonly file: string;
  readonly model: string;
  readonly theme: "Default Dark Modern" | "Default Light Modern" | "Default High Contrast";
  readonly out: string;
  /** Boxes the picture must show (their text). */
  readonly boxes: readonly string[];
  /** The browser window (default 1600 × 1000). */
  readonly size?: { readonly width: number; readonly height: number };
  /** After the screenshot, an edit typed into the model (the workspace is a copy): the picture must show `shows` and keep its zoom and scroll. */
  readonly edit?: { readonly line: number; readonly from: string; readonly to: string; readonly shows: string };
  /** A box to click, and the editor line (1-based) the click must reveal. */
  readonly click?: { readonly box: string; readonly line: number };
  /** Before the click: toolbar buttons to press, module frames to collapse (by their title), wheel scrolls over the picture. */
  readonly before?: readonly ({ readonly button: string } | { readonly collapse: string } | { readonly scroll: number })[];
}

const shots: readonly Shot[] = [
  { file: "examples/seed_networks.py", model: "Network", theme: "Default Dark Modern", out: "docs/network-picture-seed.png", boxes: ["head · Sequential", "3, 20, 5", "(1, 3, 16, 16)"], edit: { line: 25, from: "nn.Conv2d(32, 3, 5)", to: "nn.Conv2d(32, 4, 5)", shows: "(1, 4, 16, 16)" }, click: { box: "20, 64, 5", line: 19 } },
  { file: "test/fixtures/custom_forward/residual_add.py", model: "ResidualNet", theme: "Default Light Modern", out: "docs/network-picture-residual.png", boxes: ["unit1 · ResidualUnit", "add", "max_pool2d", "mean"], click: { box: "bn2", line: 12 }, before: [{ scroll: 800 }, { collapse: "unit2" }, { scroll: -800 }], size: { width: 1600, height: 1440 } },
  { file: "test/fixtures/custom_forward/unet_tiny.py", model: "TinyUNet", theme: "Default Dark Modern", out: "docs/network-picture-unet.png", boxes: ["enc1 · DoubleConv", "cat", "up2", "ConvTranspose2d"], click: { box: "up1", line: 24 }, before: [{ button: "Collapse all" }], size: { width: 1600, height: 1480 } },
  { file: "test/fixtures/custom_forward/residual_add.py", model: "ResidualNet", theme: "Default High Contrast", out: "docs/network-picture-residual-hc.png", boxes: ["unit1 · ResidualUnit", "unit2", "fc"] },
];

const themeClass: Record<Shot["theme"], string> = { "Default Dark Modern": "vs-dark", "Default Light Modern": "vs", "Default High Contrast": "hc-black" };
/** How the Color Theme picker lists them. */
const themeLabel: Record<Shot["theme"], string> = { "Default Dark Modern": "Dark Modern", "Default Light Modern": "Light Modern", "Default High Contrast": "Dark High Contrast" };
let failures = 0;

function check(name: string, ok: boolean, detail = ""): void {
  if (!ok) failures++;
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}\n`);
}

async function setTheme(page: Page, theme: Shot["theme"]): Promise<void> {
  if (await page.locator(`.monaco-workbench.${themeClass[theme]}`).count()) return;
  await command(page, "Preferences: Color Theme");
  await pick(page, themeLabel[theme], themeLabel[theme]);
  await page.locator(`.monaco-workbench.${themeClass[theme]}`).waitFor({ timeout: 20_000 });
}

async function openAt(page: Page, file: string, line: number): Promise<void> {
  await page.keyboard.press("Control+P");
  await pick(page, file, path.basename(file));
  await page.locator(".tabs-container .tab.active", { hasText: path.basename(file) }).waitFor({ timeout: 20_000 });
  await goToLine(page, line);
}

/** Puts the editor's cursor on a line (retrying: the editor takes the focus a moment after its tab shows). */
async function goToLine(page: Page, line: number): Promise<void> {
  const input = page.locator(".quick-input-widget input.input");
  for (let attempt = 1; ; attempt++) {
    // focus the editor on a line it shows (clicking its tall .view-lines would scroll it)
    await page.locator(".editor-instance .monaco-editor .view-line").first().click({ position: { x: 2, y: 2 } });
    await page.keyboard.press("Control+G");
    await input.fill(`:${line}`);
    await page.keyboard.press("Enter");
    if ((await cursorLine(page, (l) => l === line, 3_000)) === line) return;
    if (attempt === 3) throw new Error(`the cursor did not go to line ${line}`);
  }
}

/** The editor's cursor line from the status bar ("Ln 19, Col 1"), waited for until `ok` holds. */
async function cursorLine(page: Page, ok: (line: number) => boolean, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await page.locator("#status\\.editor\\.selection").innerText().catch(() => "")).replace(/\u00a0/g, " ");
    const line = Number(/Ln (\d+)/.exec(text)?.[1] ?? NaN);
    if (ok(line) || Date.now() > deadline) return line;
    await page.waitForTimeout(100);
  }
}

/** Zooms in, edits the model in the editor, and checks that the picture follows the edit at the same zoom and scroll. */
async function liveEdit(page: Page, frame: Frame, edit: NonNullable<Shot["edit"]>): Promise<void> {
  await frame.getByRole("button", { name: "+", exact: true }).click();
  const viewport = frame.locator("svg.graph > g.viewport");
  const before = await viewport.getAttribute("transform");
  const renders = Number((await frame.locator("svg.graph").getAttribute("data-renders")) ?? "0");
  await goToLine(page, edit.line);
  await page.keyboard.press("Home");
  await page.keyboard.press("Shift+End");
  await page.keyboard.insertText(`${edit.to},`); // Home selects from the first non-blank: the indent stays
  let drawn = "";
  const deadline = Date.now() + 15_000;
  while (!drawn.includes(edit.shows) && Date.now() < deadline) {
    await page.waitForTimeout(200);
    drawn = (await frame.locator(".node").allTextContents()).join(" | ");
  }
  check(`the picture follows the edit ${edit.from} → ${edit.to}`, drawn.includes(edit.shows), edit.shows);
  const after = await viewport.getAttribute("transform");
  const rendersAfter = Number((await frame.locator("svg.graph").getAttribute("data-renders")) ?? "0");
  check("the picture kept its zoom and scroll across the update", rendersAfter > renders && after === before, `${before} → ${after} (${rendersAfter - renders} redraws)`);
  // the workspace is a throwaway copy: save, so closing the editor asks nothing
  await page.keyboard.press("Control+S");
}

async function shoot(page: Page, workspace: string, shot: Shot): Promise<void> {
  process.stdout.write(`network picture: ${shot.model} (${shot.file}), ${shot.theme}\n`);
  await page.setViewportSize(shot.size ?? { width: 1600, height: 1000 });
  const text = fs.readFileSync(path.join(workspace, shot.file), "utf8");
  const classLine = text.split("\n").findIndex((l) => l.startsWith(`class ${shot.model}(`)) + 1;
  await openAt(page, shot.file, classLine);
  await setTheme(page, shot.theme);
  await command(page, "Shape Lens: Show Network Picture");
  const frame = await pictureFrame(page);
  await frame.locator(".node").first().waitFor({ timeout: 20_000 });
  const heading = await frame.locator(".toolbar .heading strong").innerText();
  check(`the picture shows ${shot.model}`, heading === shot.model, heading);
  const drawn = (await frame.locator(".node, .frame-label").allTextContents()).join(" | ");
  for (const box of shot.boxes) check(`a box or frame reads ${JSON.stringify(box)}`, drawn.includes(box));
  // runs in the webview; a string, so this file needs no DOM types
  const overlaps = await frame.evaluate<number>(`(() => {
    const rects = [...document.querySelectorAll(".node .box")].map((r) => r.getBoundingClientRect());
    let n = 0;
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i], b = rects[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
      }
    return n;
  })()`);
  check("no two boxes overlap", overlaps === 0, `${overlaps} overlapping pairs`);
  for (const step of shot.before ?? []) {
    if ("button" in step) await frame.getByRole("button", { name: step.button, exact: true }).click();
    else if ("scroll" in step) {
      await frame.locator("svg.graph").hover({ position: { x: 40, y: 300 } });
      await page.mouse.wheel(0, step.scroll);
    }
    else await frame.locator(".frame", { has: frame.locator(".frame-label", { hasText: step.collapse }) }).locator(".toggle").first().click();
    await page.waitForTimeout(400);
  }
  if (shot.click) {
    await frame.locator(".node", { hasText: shot.click.box }).first().click();
    const line = await cursorLine(page, (l) => l === shot.click!.line, 10_000);
    check(`clicking ${JSON.stringify(shot.click.box)} puts the cursor on line ${shot.click.line}`, line === shot.click.line, `Ln ${line}`);
    const lit = await frame.locator(".node.highlighted", { hasText: shot.click.box }).count();
    check("the box at the cursor is outlined", lit > 0);
  }
  // onto an empty corner of the picture, so no hover or tooltip covers anything
  await page.mouse.move(840, (shot.size?.height ?? 1000) - 60);
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(repoRoot, shot.out) });
  process.stdout.write(`  saved ${shot.out}\n`);
  if (shot.edit) await liveEdit(page, frame, shot.edit);
  await command(page, "View: Close All Editors");
  await page.waitForTimeout(300);
}

async function main(): Promise<number> {
  // a copy of the model files (same relative paths), so the edit check never touches the checkout
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-pictures-"));
  onCleanup(() => fs.rmSync(temp, { recursive: true, force: true }));
  const workspace = path.join(temp, "shape-lens");
  for (const shot of shots) {
    fs.mkdirSync(path.dirname(path.join(workspace, shot.file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, shot.file), path.join(workspace, shot.file));
  }
  const server = await startCodeServer({ folder: workspace });
  onCleanup(() => server.stop());
  const browser = await launchChromium();
  onCleanup(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // the webview's Content-Security-Policy must not have to refuse anything
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  const remote = `vscode-remote://${server.authority}${repoRoot}`;
  const query = new URLSearchParams({ folder: workspace, payload: JSON.stringify([["extensionDevelopmentPath", remote], ["skipWelcome", "true"]]) });
  await page.goto(`${server.url}/?${query.toString()}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  await page.locator(".explorer-folders-view").waitFor({ timeout: 60_000 });
  await command(page, "View: Toggle Primary Side Bar Visibility");
  try {
    for (const shot of shots) await shoot(page, workspace, shot);
  } catch (error) {
    check("the workbench steps complete", false, error instanceof Error ? error.message.split("\n")[0] : String(error));
    await page.screenshot({ path: path.join(repoRoot, "test", "e2e", "screenshots", "network-failure.png") }).catch(() => undefined);
  }
  check("nothing was refused by a Content-Security-Policy", refused.length === 0, refused.slice(0, 3).join(" | "));
  process.stdout.write(`network pictures: ${failures === 0 ? "all checks passed" : `${failures} check(s) failed`}\n`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => exitAfterCleanup(code),
  (error: unknown) => {
    process.stderr.write(`network pictures: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitAfterCleanup(1);
  },
);
