// What an AnalysisSession keeps between analyses: statement records, model memos and the namespace reads they depend on.
import type { Problem } from "../core/types";
import type { ModelAnalysis } from "./analyze";
import type { ModelCandidate } from "./modelCandidates";
import type { Run, TopCall } from "./deps";
import type { BudgetError, PyError, Where } from "./errors";
import type { ParsedBlock, SourceUnit, SyntaxNode } from "./source";
import type { ModuleObj, Value } from "./values";

/** One run of a top-level statement, reusable by a later analysis while its inputs are unchanged. */
export interface StatementRecord {
  /** The statement's text. */
  readonly key: string;
  /** Its own view of its block: offset and first line are moved to wherever the statement now is. */
  readonly unit: SourceUnit;
  readonly node: SyntaxNode;
  readonly parsed: ParsedBlock;
  /** 0-based line of the statement in its block's text. */
  readonly line: number;
  readonly atLineStart: boolean;
  readonly run: Run;
  readonly reads: Reads;
  readonly writes: readonly (readonly [string, Value | undefined])[];
  readonly created: readonly ModuleObj[];
  readonly error: PyError | BudgetError | null;
  readonly candidates: readonly ModelCandidate[];
  readonly steps: number;
  readonly reusable: boolean;
  /** The analysis that last took this record (see `lookup`). */
  taken: number;
}

/** What a run read from the namespace, as arrays (checked on every analysis). */
export interface Reads {
  readonly names: readonly string[];
  readonly values: readonly (Value | undefined)[];
}

export function readsOf(run: Run): Reads {
  return { names: [...run.reads.keys()], values: [...run.reads.values()] };
}

/** One model's analysis, reusable while the model's inputs and what its analysis read are unchanged. */
export interface ModelMemo {
  readonly reads: Reads;
  readonly instance: ModuleObj | null;
  readonly topCall: TopCall | undefined;
  readonly pragma: string;
  readonly result: ModelAnalysis;
  readonly diags: readonly (readonly [Where | null, Problem])[];
  readonly created: readonly ModuleObj[];
}
