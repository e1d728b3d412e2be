// Raised Python errors (the user's code would raise them), and the evaluation budget.
import type { Problem } from "../core/types";
import type { ModuleObj } from "./values";

/** Where an error is reported: 1-based line and column in the user's file. */
export interface Where {
  readonly line: number | null;
  readonly column: number | null;
}

/**
 * An exception the analysed Python code raises (TypeError, a shape error PyTorch would raise...).
 * Caught by `try`/`except` in user code and at statement and model level; never escapes the analysis.
 */
export class PyError extends Error {
  constructor(
    /** Python exception class name: "TypeError", "RuntimeError", ... */
    readonly pyType: string,
    message: string,
    readonly problem: Problem | null,
    readonly where: Where | null,
    /** The innermost module whose forward raised (set as the error leaves it). */
    public module?: ModuleObj,
    /** True once the error was raised inside a traced forward (reported by the model analysis). */
    public inForward = false,
  ) {
    // user code raises these often (try/except, a helper class tried without arguments): no JS stack trace
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  /** Shape of the first tensor the innermost module received, as "(1, 3, 32, 32)". */
  moduleInput?: string;

  /** The problem's message already says where it happened ("(in LayerNorm.forward, input ...)"). */
  located = false;

  /** Raised by a functional op (F.max_pool2d, x.view, ...): its message is PyTorch's raw text, not yet worded for a module. */
  fromOp = false;
}

/** The evaluation ran out of steps or time, or recursed too deep: the rest is unknown. */
export class BudgetError extends Error {}

export interface BudgetLimits {
  /** Interpreter steps (statements and calls) for the whole analysis. */
  readonly maxSteps: number;
  /** Wall-clock milliseconds for the whole analysis. */
  readonly maxMillis: number;
  /** Nested Python call depth. */
  readonly maxDepth: number;
  /** Largest list/range materialised. */
  readonly maxItems: number;
}

export const DEFAULT_LIMITS: BudgetLimits = { maxSteps: 3_000_000, maxMillis: 2_000, maxDepth: 150, maxItems: 1_000_000 };

export class Budget {
  steps = 0;
  /** Date.now() past which the analysis stops; shared by every budget of one analysis. */
  readonly deadline: number;
  exhausted: string | null = null;
  /** The step count at which the clock is read next (tick(n) may jump past any fixed multiple). */
  private nextClockCheck = 1024;

  constructor(readonly limits: BudgetLimits, deadline?: number) {
    this.deadline = deadline ?? Date.now() + limits.maxMillis;
  }

  tick(n = 1): void {
    this.steps += n;
    if (this.exhausted) throw new BudgetError(this.exhausted);
    if (this.steps > this.limits.maxSteps) this.fail(`the analysis stopped after ${this.limits.maxSteps} steps`);
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + 1024;
      if (Date.now() > this.deadline) this.fail(this.timeMessage());
    }
  }

  /** True once the analysis's wall-clock time is used up (nothing more should be started). */
  outOfTime(): boolean {
    return Date.now() > this.deadline;
  }

  timeMessage(): string {
    return this.sliceMillis !== undefined
      ? `the statement ran longer than ${this.sliceMillis} ms`
      : `the analysis stopped after ${this.limits.maxMillis} ms`;
  }

  /** Milliseconds a statement's budget (see slice) allows, when this is one. */
  private sliceMillis?: number;

  /**
   * A budget for one top-level statement: the same steps, at most half the time left, so a runaway
   * training loop leaves the models time to be analysed. Fold its steps back with `merge`.
   */
  slice(): Budget {
    const left = this.deadline - Date.now();
    if (left <= 0) return this;
    const millis = Math.ceil(left / 2);
    const b = new Budget(this.limits, Date.now() + millis);
    b.steps = this.steps;
    b.nextClockCheck = this.nextClockCheck;
    b.sliceMillis = millis;
    return b;
  }

  /** Take back the steps a statement's slice used. */
  merge(slice: Budget): void {
    if (slice === this) return;
    this.steps = slice.steps;
    this.nextClockCheck = slice.nextClockCheck;
  }

  private fail(reason: string): never {
    this.exhausted = reason;
    throw new BudgetError(reason);
  }
}
