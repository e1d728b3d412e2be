// The benchmark's in-process measurements (bundled by bench/run.mjs with `vscode` replaced by bench/fakeVscode.ts).
import nodeModule from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { analyzeSource } from "../src/python/analyze";
import { AnalysisSession } from "../src/python/session";
import { clearParseCache } from "../src/python/source";
import { AnalysisCache } from "../src/extension/analysisCache";
import { hintsFor } from "../src/extension/inlayHints";
import { editDigit, generateModelFile, layerArgumentDigits, rng } from "./generate";
import { FakeDocument, Position, Range } from "./fakeVscode";

/** No time budget: the benchmark measures complete analyses (the editor's default stops at 2 s). */
const UNLIMITED = { maxMillis: 1e9 };

interface Sample {
  /** Elapsed time. */
  wall: number;
  /** CPU time of the whole process (with the GC's and the compiler's helper threads). */
  cpu: number;
  /** CPU time of the main thread alone (Linux; else the process's): unaffected by other processes taking turns. */
  main: number;
}

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

const schedstat = "/proc/thread-self/schedstat";
const hasSchedstat = fs.existsSync(schedstat);

function mainThreadMs(): number {
  return hasSchedstat ? Number(fs.readFileSync(schedstat, "utf8").split(" ")[0]) / 1e6 : cpuMs();
}

function timed<T>(f: () => T): [T, Sample] {
  const t0 = mainThreadMs();
  const c0 = cpuMs();
  const w0 = performance.now();
  const r = f();
  const wall = performance.now() - w0;
  const cpu = cpuMs() - c0;
  return [r, { wall, cpu, main: mainThreadMs() - t0 }];
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const lineCount = (t: string): number => t.split("\n").length;

/** Cold analysis of a whole file: a new session (builtins, prelude) and no cached parse, as when a file is opened. */
function cold(text: string, runs: number): { lines: number; wall: number[]; cpu: number[]; main: number[]; models: number; notAnalysedByDefault: number; defaultWall: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  const main: number[] = [];
  let models = 0;
  for (let i = 0; i < runs; i++) {
    clearParseCache();
    const [a, t] = timed(() => new AnalysisSession({ symbolic: true, limits: UNLIMITED }).analyze(text));
    wall.push(t.wall);
    cpu.push(t.cpu);
    main.push(t.main);
    models = a.models.length;
  }
  // what the editor's default 2 s budget covers on this machine
  clearParseCache();
  const [d, dt] = timed(() => new AnalysisSession({ symbolic: true }).analyze(text));
  const notAnalysedByDefault = d.models.filter((m) => /not analysed/.test(m.report.error ?? "")).length;
  return { lines: lineCount(text), wall, cpu, main, models, notAnalysedByDefault, defaultWall: dt.wall };
}

/**
 * Re-analysis after one-character edits inside layers' arguments (a digit changed), each on the
 * previous version, as when typing. Each edit is timed once as it comes, and as the best of three
 * applications (edit, undo, edit again: the same incremental work) to filter out a shared machine's
 * preemption.
 */
function edits(text: string, count: number, seed: number): { single: Sample[]; best: Sample[]; equalsCold: boolean; reran: { statements: number; models: number } } {
  const r = rng(seed);
  const session = new AnalysisSession({ symbolic: true, limits: UNLIMITED });
  session.analyze(text);
  const digits = layerArgumentDigits(text);
  let current = text;
  for (let i = 0; i < 20; i++) {
    current = editDigit(current, digits[Math.floor(r() * digits.length)], r);
    session.analyze(current); // warm-up: the JIT compiles the incremental path
  }
  const single: Sample[] = [];
  const best: Sample[] = [];
  let statements = 0;
  let models = 0;
  for (let i = 0; i < count; i++) {
    const before = current;
    current = editDigit(current, digits[Math.floor(r() * digits.length)], r);
    const [, first] = timed(() => session.analyze(current));
    statements += session.stats.statementsRun;
    models += session.stats.modelsRun;
    let b = first;
    for (let k = 0; k < 2; k++) {
      session.analyze(before);
      clearParseCache(); // the edited block is parsed again, as the first time (the session keeps the others' parses)
      const [, again] = timed(() => session.analyze(current));
      if (again.wall < b.wall) b = again;
    }
    single.push(first);
    best.push(b);
  }
  const equalsCold = JSON.stringify(session.analyze(current).report) === JSON.stringify(analyzeSource(current, { symbolic: true, limits: UNLIMITED }).report);
  return { single, best, equalsCold, reran: { statements: statements / count, models: models / count } };
}

/** The inlay-hint provider over a 60-line visible range, with the document's analysis cached (VS Code asks again on scroll). */
function hints(text: string, windows: number, seed: number): { cached: number[]; afterEdit: number[]; hintsPerWindow: number; rounds: number } {
  const r = rng(seed);
  const log = { appendLine: () => undefined } as never;
  const cache = new AnalysisCache(log);
  const doc = new FakeDocument(`/bench/model${lineCount(text)}.py`, text);
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as never;
  const range = (): Range => {
    const start = Math.floor(r() * Math.max(1, doc.lineCount - 60));
    return new Range(new Position(start, 0), new Position(start + 60, 0));
  };
  // the analysis itself (not timed here); a file past the 2 s budget is completed over several versions
  let rounds = 0;
  do {
    if (rounds > 0) doc.setText(text);
    hintsFor(cache, doc as never, range() as never, token);
    rounds++;
  } while (rounds < 20 && cache.get(doc as never)?.models.some((m) => /not analysed/.test(m.report.error ?? "")));
  const cached: number[] = [];
  let total = 0;
  for (let i = 0; i < windows; i++) {
    const rg = range();
    const [h, t] = timed(() => hintsFor(cache, doc as never, rg as never, token));
    cached.push(t.wall);
    total += h.length;
  }
  // the first request after an edit: the incremental re-analysis and the hints
  const digits = layerArgumentDigits(text);
  const afterEdit: number[] = [];
  let current = text;
  for (let i = 0; i < windows; i++) {
    current = editDigit(current, digits[Math.floor(r() * digits.length)], r);
    doc.setText(current);
    const rg = range();
    afterEdit.push(timed(() => hintsFor(cache, doc as never, rg as never, token))[1].wall);
  }
  cache.dispose();
  return { cached, afterEdit, hintsPerWindow: total / windows, rounds };
}

/** Peak memory of analysing one file in this (fresh) process. */
function memory(text: string): { lines: number; maxRssMB: number; heapPeakMB: number; heapRetainedMB: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const session = new AnalysisSession({ symbolic: true, limits: UNLIMITED });
  const analysis = session.analyze(text);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  clearInterval(timer);
  gc?.();
  const retained = process.memoryUsage().heapUsed;
  void analysis;
  return { lines: lineCount(text), maxRssMB: process.resourceUsage().maxRSS / 1024, heapPeakMB: peak / 1e6, heapRetainedMB: retained / 1e6 };
}

/** Loads the extension bundle (with the stand-in `vscode`) and activates it: cold, in this fresh process. */
function activation(bundle: string): { loadMs: number; activateMs: number; engineLoaded: boolean; engineMs: number } {
  const Module = nodeModule as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
  const fake = path.join(__dirname, "fakeVscode.js"); // bench/run.mjs bundles the stand-in next to this file
  const resolve = Module._resolveFilename;
  Module._resolveFilename = (req: string, ...rest: unknown[]) => (req === "vscode" ? fake : resolve(req, ...rest));
  const t0 = performance.now();
  const ext = nodeModule.createRequire(__filename)(bundle) as { activate: (c: unknown) => unknown };
  const t1 = performance.now();
  const context = { subscriptions: [] as unknown[], extension: { packageJSON: { version: "bench" } }, extensionUri: { fsPath: "/" }, globalState: { get: () => undefined, update: async () => undefined }, workspaceState: { get: () => undefined, update: async () => undefined } };
  ext.activate(context);
  const t2 = performance.now();
  const load = nodeModule.createRequire(__filename);
  const engineFile = path.join(path.dirname(bundle), "engine.js");
  const engineLoaded = engineFile in load.cache;
  const t3 = performance.now();
  if (fs.existsSync(engineFile)) load(engineFile);
  return { loadMs: t1 - t0, activateMs: t2 - t1, engineLoaded, engineMs: performance.now() - t3 };
}

function main(): void {
  const [cmd, arg] = process.argv.slice(2);
  const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + "\n");
  if (cmd === "memory") return out(memory(generateModelFile(Number(arg), 1)));
  if (cmd === "activation") return out(activation(arg));
  if (cmd === "cold") return out(cold(generateModelFile(Number(arg), 1), Number(process.argv[4] ?? 5)));
  if (cmd === "edits") return out(edits(generateModelFile(Number(arg), 1), Number(process.argv[4] ?? 200), 2024));
  if (cmd === "hints") return out(hints(generateModelFile(Number(arg), 1), 50, 7));
  if (cmd === "machine") return out({ node: process.version, cpu: os.cpus()[0]?.model ?? "?", cores: os.cpus().length, load: os.loadavg() });
  throw new Error(`unknown command ${cmd}`);
}

main();
