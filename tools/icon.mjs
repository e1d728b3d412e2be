// Renders images/icon.svg to images/icon.png (128×128, transparent corners) with headless Chromium: `node tools/icon.mjs`.
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";

const root = path.resolve(import.meta.dirname, "..");
const svg = fs.readFileSync(path.join(root, "images", "icon.svg"), "utf8");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator("svg").screenshot({ path: path.join(root, "images", "icon.png"), omitBackground: true });
} finally {
  await browser.close();
}
console.log("wrote images/icon.png");
