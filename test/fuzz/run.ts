// `npm run fuzz -- --runs N [--seed S] [--margin MS] [--max-millis MS] [--out DIR] [--trace FILE]`: a long fuzz campaign with figures.
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_LIMITS } from "../../src/python/errors";
import { describeFailure, runCampaign, type CampaignStats } from "./campaign";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} takes a number`);
  return v;
}

function stringOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const runs = option("runs", 10_000);
const seed = option("seed", Date.now() % 2 ** 31);
const marginMillis = option("margin", 250);
const maxMillis = option("max-millis", DEFAULT_LIMITS.maxMillis);
const out = stringOption("out");
const trace = stringOption("trace");

const started = Date.now();
const line = (s: CampaignStats): string =>
  `${s.inputs} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s: ${s.exceptions} exceptions, ${s.overruns} budget overruns, ` +
  `${s.invariantViolations} invariant and ${s.localityViolations} locality violations; ${s.comparedModels} models compared, ` +
  `${s.budgetStops} budget stops, max ${s.maxCpuMillis.toFixed(0)} ms CPU / ${s.maxMillis.toFixed(0)} ms wall-clock, mean ${(s.totalMillis / Math.max(1, s.inputs)).toFixed(1)} ms`;

if (out) fs.mkdirSync(out, { recursive: true });
console.log(`fuzz: ${runs} inputs, seed ${seed}, budget ${maxMillis} ms + ${marginMillis} ms margin`);
const stats = runCampaign({
  runs,
  seed,
  marginMillis,
  limits: { maxMillis },
  progressEvery: Math.max(100, Math.min(5000, Math.round(runs / 20))),
  onProgress: (s) => console.log(line(s)),
  onFailure: out ? (f) => fs.appendFileSync(path.join(out, `fuzz-failures-${seed}.txt`), describeFailure(f) + "\n\n") : undefined,
  onInput: trace ? (source, edits, input) => fs.writeFileSync(trace, `${source} ${edits.join("; ")}\n${input}`) : undefined,
});
console.log(`done: ${line(stats)}`);
if (stats.failures.length > 0) {
  const text = stats.failures.map((f) => describeFailure(f)).join("\n\n");
  if (out) console.log(`failures written to ${path.join(out, `fuzz-failures-${seed}.txt`)} as they were found`);
  else console.log(text.slice(0, 20_000));
  process.exitCode = 1;
}
