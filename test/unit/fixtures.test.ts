// Walks test/fixtures/**/*.py and compares the analysis with the report real PyTorch gave (*.expected.json), field by field.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeSource } from "../../src/python/analyze";

// SHAPE_LENS_FIXTURES points the walk at another folder of .py + .expected.json pairs (new oracle cases).
const root = process.env.SHAPE_LENS_FIXTURES ? path.resolve(process.env.SHAPE_LENS_FIXTURES) : path.resolve(__dirname, "../fixtures");

function pyFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? pyFiles(path.join(dir, e.name)) : e.name.endsWith(".py") ? [path.join(dir, e.name)] : []))
    .sort();
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function close(a: Json, b: Json): boolean {
  return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

/** Differences between expected and actual, as "path: expected X, got Y". */
function diff(expected: Json, actual: Json, at: string, out: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return;
    }
    expected.forEach((e, i) => diff(e, actual[i], `${at}[${i}]`, out));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      out.push(`${at}: expected an object, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const k of Object.keys(expected)) diff(expected[k], (actual as Record<string, Json>)[k] ?? null, `${at}.${k}`, out);
    return;
  }
  if (expected !== actual && !close(expected, actual)) out.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const LAYER_KEYS = ["path", "type", "line", "output", "params", "macs", "flops", "rf", "jump", "error"];
const MODEL_KEYS = ["name", "line", "input", "output", "params", "trainableParams", "macs", "flops", "truncated"];
const DIAG_KEYS = ["line", "column", "severity", "code", "message"];

function pick(o: Record<string, Json>, keys: string[]): Record<string, Json> {
  const r: Record<string, Json> = {};
  for (const k of keys) r[k] = o[k] ?? null;
  return r;
}

export function compareReports(expected: Record<string, Json>, actual: Record<string, Json>): string[] {
  const out: string[] = [];
  const em = expected.models as Record<string, Json>[];
  const am = (actual.models ?? []) as Record<string, Json>[];
  if (em.length !== am.length) out.push(`models: expected ${em.map((m) => m.name).join(", ")}, got ${am.map((m) => m.name).join(", ")}`);
  em.forEach((e, i) => {
    const a = am[i] ?? {};
    const at = `models[${i}](${e.name})`;
    diff(pick(e, MODEL_KEYS), pick(a, MODEL_KEYS), at, out);
    if (Boolean(e.error) !== Boolean(a.error)) out.push(`${at}.error: expected ${JSON.stringify(e.error ?? null)}, got ${JSON.stringify(a.error ?? null)}`);
    const el = e.layers as Record<string, Json>[];
    let al = (a.layers ?? []) as Record<string, Json>[];
    if (e.truncated) al = al.slice(0, el.length); // a static tool may go on past the error: not scored
    if (el.length !== al.length) out.push(`${at}.layers: expected ${el.length} rows, got ${al.length}`);
    el.forEach((l, j) => diff(pick(l, LAYER_KEYS), pick(al[j] ?? {}, LAYER_KEYS), `${at}.layers[${j}](${l.path})`, out));
  });
  const ed = expected.diagnostics as Record<string, Json>[];
  const ad = (actual.diagnostics ?? []) as Record<string, Json>[];
  if (ed.length !== ad.length) out.push(`diagnostics: expected ${ed.length}, got ${ad.length}: ${JSON.stringify(ad)}`);
  ed.forEach((d, i) => diff(pick(d, DIAG_KEYS), pick(ad[i] ?? {}, DIAG_KEYS), `diagnostics[${i}]`, out));
  return out;
}

describe("fixtures: the analysis reproduces real PyTorch's reports", () => {
  for (const file of pyFiles(root)) {
    const rel = path.relative(root, file);
    it(rel, () => {
      const expected = JSON.parse(fs.readFileSync(file.replace(/\.py$/, ".expected.json"), "utf8"));
      const { report } = analyzeSource(fs.readFileSync(file, "utf8"));
      const problems = compareReports(expected, JSON.parse(JSON.stringify(report)));
      if (problems.length > 0) {
        const shown = problems.slice(0, 15).join("\n  ") + (problems.length > 15 ? `\n  ... and ${problems.length - 15} more` : "");
        assert.fail(`${rel}: ${problems.length} differences\n  ${shown}`);
      }
    });
  }
});
