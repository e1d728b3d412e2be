// Mocha entry point loaded by the real extension host (--extensionTestsPath): runs every
// bundled *.test.js beside it and reports through the console, which the runner relays.
import * as fs from "node:fs";
import * as path from "node:path";
import Mocha from "mocha";

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: "bdd",
    reporter: "spec",
    color: false,
    timeout: 60_000,
    grep: process.env.SHAPE_LENS_TEST_GREP,
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith(".test.js"))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  if (files.length === 0) throw new Error(`no *.test.js in ${__dirname}`);

  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats ?? ({} as Mocha.Stats)));
  });
  const skipped = stats.pending ? `, ${stats.pending} skipped` : "";
  // The closing line CI reads; the launcher relays it to stdout.
  console.log(`integration: ${stats.passes ?? 0} passed, ${stats.failures ?? 0} failed${skipped}`);
  if ((stats.failures ?? 0) > 0) throw new Error(`${stats.failures} integration test(s) failed`);
  if ((stats.passes ?? 0) === 0) throw new Error("no integration test ran");
}
