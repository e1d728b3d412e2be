// End-to-end check as a person sees it: packages the .vsix, installs it into a fresh code-server,
// opens a model file in the workbench, asserts on the visible inlay hints, a hover, the sidebar
// rows and a diagnostic with its quick fixes (driven by test/e2e/expectations.json) and saves
// screenshots to test/e2e/screenshots/ (and cropped copies to $SHAPE_LENS_E2E_DOCS, e.g. docs/).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../vscode/browser";
import { exitAfterCleanup, onCleanup } from "../vscode/cleanup";
import { startCodeServer } from "../vscode/codeServer";
import { repoRoot } from "../vscode/paths";
import { chooseFile, readExpectations, type DiagnosticExpectations, type Expectations, type LocaleExpectations } from "./expectations";
import {
  activityBarItem,
  around,
  check,
  checkEditor,
  checkHints,
  checkHover,
  checkNetworkPicture,
  checkSidebar,
  checks,
  docsDir,
  goTo,
  normalize,
  openFile,
  screenshot,
  screenshotDir,
} from "./workbench";

/** The test language pack of test/e2e/language-pack-zh-cn (see its README) as a .vsix. */
function packageLanguagePack(outDir: string): string {
  const vsix = path.join(outDir, "language-pack-zh-cn.vsix");
  const vsce = path.join(repoRoot, "node_modules", "@vscode", "vsce", "vsce");
  const result = spawnSync(process.execPath, [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--out", vsix], {
    cwd: path.join(repoRoot, "test", "e2e", "language-pack-zh-cn"),
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0 || !fs.existsSync(vsix)) throw new Error(`packaging the test language pack failed (${result.status})`);
  return vsix;
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

/** Loads the workbench on `workspace`, waits for the extension's activity bar entry, opens `file`. */
async function openWorkbench(page: Page, url: string, workspace: string, file: string, container: string | undefined): Promise<void> {
  process.stdout.write(`e2e: opening ${path.relative(repoRoot, path.join(workspace, file))} in the workbench\n`);
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  // An editor opened before the workbench has registered the extension's contributions keeps
  // editor.inlayHints.maximumLength at 43 (the extension's [python] default of 0 arrives too
  // late for it): wait for the extension's activity bar entry, as a person sees the window settle.
  if (container) await activityBarItem(page, container).waitFor({ timeout: 60_000 });
  await openFile(page, file);
  await checkEditor(page, workspace, file);
}

/**
 * The same file in a second code-server whose display language is `locale.language` (a test
 * language pack installed beside the extension): hints, hover and tree rows in that language.
 */
async function checkLocale(browser: Browser, vsix: string, workspace: string, file: string, locale: LocaleExpectations, temp: string): Promise<void> {
  const server = await startCodeServer({ folder: workspace, installExtensions: [vsix, packageLanguagePack(temp)], locale: locale.language });
  onCleanup(() => server.stop());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  process.stdout.write(`e2e: VS Code in ${locale.language}\n`);
  const suffix = `-${locale.language}.png`;
  try {
    await openWorkbench(page, server.url, workspace, file, locale.sidebar?.container);
    await checkHints(page, locale, `hints${suffix}`);
    if (locale.hover) await checkHover(page, locale.hover, `hover${suffix}`);
    if (locale.sidebar) await checkSidebar(page, locale.sidebar, `tree${suffix}`);
    if (locale.network) await checkNetworkPicture(page, locale.network.lens, locale.network.contains, `network${suffix}`);
  } catch (error) {
    await page.screenshot({ path: path.join(screenshotDir, `failure${suffix}`) }).catch(() => undefined);
    throw error;
  } finally {
    await page.close();
    await server.stop();
  }
}

async function main(): Promise<number> {
  const expect: Expectations = readExpectations();
  const { workspace, file } = chooseFile(expect);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "shape-lens-e2e-"));
  onCleanup(() => fs.rmSync(temp, { recursive: true, force: true }));
  fs.rmSync(screenshotDir, { recursive: true, force: true }); // only this run's pictures
  fs.mkdirSync(screenshotDir, { recursive: true });
  if (docsDir) fs.mkdirSync(docsDir, { recursive: true });

  // SHAPE_LENS_E2E_VSIX tests a .vsix built elsewhere (e.g. a release) instead of packaging one.
  const given = process.env.SHAPE_LENS_E2E_VSIX ? path.resolve(process.env.SHAPE_LENS_E2E_VSIX) : undefined;
  if (!given) process.stdout.write("e2e: packaging the extension\n");
  const vsix = given ?? packageVsix(temp);
  const server = await startCodeServer({ folder: workspace, installExtensions: [vsix] });
  onCleanup(() => server.stop());
  const installed = fs.readdirSync(server.extensionsDir).filter((n) => n.startsWith("shape-lens.shape-lens-"));
  check("the .vsix installs into code-server", installed.length === 1, installed.join(", "));

  const browser = await launchChromium();
  onCleanup(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await openWorkbench(page, server.url, workspace, file, expect.sidebar?.container);
    await checkHints(page, expect);
    if (expect.hover) await checkHover(page, expect.hover);
    if (expect.sidebar) await checkSidebar(page, expect.sidebar);
    if (expect.diagnostic) await checkDiagnostic(page, server.url, expect.diagnostic, temp);
  } catch (error) {
    check("the workbench steps complete", false, error instanceof Error ? error.message.split("\n")[0] : String(error));
    await page.screenshot({ path: path.join(screenshotDir, "failure.png") }).catch(() => undefined);
  }
  await server.stop();
  for (const locale of expect.locales ?? []) {
    try {
      await checkLocale(browser, vsix, workspace, file, locale, temp);
    } catch (error) {
      check(`the workbench steps complete in ${locale.language}`, false, error instanceof Error ? error.message.split("\n")[0] : String(error));
    }
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

