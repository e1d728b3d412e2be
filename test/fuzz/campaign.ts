// A fuzz campaign: N seeded inputs (edited fixtures, generated programs, edited generated programs), every property checked.
import fc from "fast-check";
import type { Analysis } from "../../src/python/analyze";
import type { BudgetLimits } from "../../src/python/errors";
import { fixtureSources, mutatedFixtureArb, mutationArb } from "./mutations";
import { checkInput } from "./properties";
import { independentProgramArb, programArb } from "./pygen";
import { checkLocality } from "./unchanged";

export interface CampaignOptions {
  readonly runs: number;
  readonly seed: number;
  /** Milliseconds past limits.maxMillis an analysis may take before it counts as a budget overrun. */
  readonly marginMillis: number;
  readonly limits?: Partial<BudgetLimits>;
  /** Called every `progressEvery` inputs. */
  readonly onProgress?: (s: CampaignStats) => void;
  readonly progressEvery?: number;
  /** Called with each failure as it is found. */
  readonly onFailure?: (f: Failure) => void;
  /** Called with each input before it is analysed (to find an input that kills the process). */
  readonly onInput?: (source: string, edits: readonly string[], input: string) => void;
}

export interface Failure {
  readonly kind: "exception" | "overrun" | "invariant" | "locality";
  readonly source: string;
  readonly edits: readonly string[];
  readonly input: string;
  readonly detail: string;
}

export interface CampaignStats {
  inputs: number;
  exceptions: number;
  overruns: number;
  invariantViolations: number;
  localityViolations: number;
  /** Model reports compared by the locality property. */
  comparedModels: number;
  /** Longest wall-clock time of one analysis. */
  maxMillis: number;
  /** Longest CPU time of one analysis. */
  maxCpuMillis: number;
  totalMillis: number;
  /** Inputs whose analysis stopped on a budget (steps, time, depth): expected for loops like `while True`. */
  budgetStops: number;
  readonly failures: Failure[];
}

interface Case {
  readonly source: string;
  readonly before: string;
  readonly after: string;
  readonly edits: readonly string[];
}

function caseArb(): fc.Arbitrary<Case> {
  const fixtures = fixtureSources();
  const edited = mutatedFixtureArb(fixtures).map((c) => ({ source: c.file, before: c.before, after: c.after, edits: c.edits }));
  const generated = programArb.map((p) => ({ source: "generated", before: p, after: p, edits: [] as string[] }));
  const editedGenerated = fc
    .record({ p: programArb, muts: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) })
    .map(({ p, muts }) => ({ source: "generated+edits", before: p, after: muts.reduce((t, m) => m.apply(t), p), edits: muts.map((m) => m.name) }));
  const editedIndependent = fc
    .record({ p: independentProgramArb, muts: fc.array(mutationArb, { minLength: 1, maxLength: 2 }) })
    .map(({ p, muts }) => ({ source: "independent+edits", before: p, after: muts.reduce((t, m) => m.apply(t), p), edits: muts.map((m) => m.name) }));
  return fc.oneof(
    { weight: 5, arbitrary: edited },
    { weight: 2, arbitrary: generated },
    { weight: 2, arbitrary: editedGenerated },
    { weight: 2, arbitrary: editedIndependent },
  );
}

/** Run a campaign; failures are collected (the first 50 kept in full), never thrown. */
export function runCampaign(opts: CampaignOptions): CampaignStats {
  const stats: CampaignStats = {
    inputs: 0,
    exceptions: 0,
    overruns: 0,
    invariantViolations: 0,
    localityViolations: 0,
    comparedModels: 0,
    maxMillis: 0,
    maxCpuMillis: 0,
    totalMillis: 0,
    budgetStops: 0,
    failures: [],
  };
  const beforeCache = new Map<string, Analysis | null>();
  const fail = (kind: Failure["kind"], c: Case, detail: string): void => {
    const f: Failure = { kind, source: c.source, edits: c.edits, input: c.after, detail };
    if (stats.failures.length < 50) stats.failures.push(f);
    opts.onFailure?.(f);
  };
  const check = (c: Case): void => {
    opts.onInput?.(c.source, c.edits, c.after);
    const r = checkInput(c.after, { limits: opts.limits, marginMillis: opts.marginMillis });
    stats.inputs++;
    stats.totalMillis += r.millis;
    stats.maxMillis = Math.max(stats.maxMillis, r.millis);
    stats.maxCpuMillis = Math.max(stats.maxCpuMillis, r.cpuMillis);
    if (r.threw) {
      stats.exceptions++;
      fail("exception", c, r.threw);
    }
    if (r.overrun) {
      stats.overruns++;
      fail("overrun", c, `${r.cpuMillis.toFixed(0)} ms of CPU, ${r.millis.toFixed(0)} ms wall-clock`);
    }
    if (r.violations.length > 0) {
      stats.invariantViolations++;
      fail("invariant", c, r.violations.join("\n"));
    }
    if (r.analysis?.report.diagnostics.some((d) => d.code === "budget")) stats.budgetStops++;
    if (r.analysis && c.before !== c.after) {
      let before = beforeCache.get(c.before);
      if (before === undefined) {
        before = checkInput(c.before, { limits: opts.limits, marginMillis: opts.marginMillis }).analysis;
        // only the fixtures come back: caching generated programs would only hold memory (and GC pauses)
        if (!c.source.startsWith("generated") && !c.source.startsWith("independent")) beforeCache.set(c.before, before);
      }
      if (before) {
        const loc = checkLocality(c.before, c.after, before, r.analysis);
        stats.comparedModels += loc.compared;
        if (loc.violations.length > 0) {
          stats.localityViolations++;
          fail("locality", c, loc.violations.join("\n"));
        }
      }
    }
    if (opts.onProgress && stats.inputs % (opts.progressEvery ?? 1000) === 0) opts.onProgress(stats);
  };
  fc.check(
    fc.property(caseArb(), (c) => {
      check(c);
      return true;
    }),
    { seed: opts.seed, numRuns: opts.runs, endOnFailure: true },
  );
  return stats;
}

/** A failure as readable text: what, where from, the edits, and the input (cut when long). */
export function describeFailure(f: Failure, maxInput = 4000): string {
  const input = f.input.length > maxInput ? `${f.input.slice(0, maxInput)}\n... (${f.input.length} characters)` : f.input;
  return `[${f.kind}] ${f.source}${f.edits.length ? ` after: ${f.edits.join("; ")}` : ""}\n${f.detail}\n--- input ---\n${input}\n-------------`;
}
