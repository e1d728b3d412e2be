// The record of one traced forward: layer entries in call order, functional-op costs, the call stack.
import type { CostOrUnknown } from "../core/types";
import type { ModuleObj, Value } from "./values";

export interface OpRecord {
  readonly name: string;
  readonly cost: CostOrUnknown;
}

/** One module call in progress. */
export interface CallFrame {
  readonly module: ModuleObj;
  readonly isRoot: boolean;
  childCalls: number;
  readonly ops: OpRecord[];
  /** A layer with a rule sets its own cost (then `ops` are ignored) and output state. */
  ruleCost?: CostOrUnknown;
}

/** One leaf-module call: a row of the report. */
export interface Entry {
  readonly module: ModuleObj;
  readonly path: string;
  readonly type: string;
  /** The call's output (null when the call failed). */
  readonly output: Value | null;
  readonly cost: CostOrUnknown | null;
  /** Receptive-field state of the output (reported once the forward is over). */
  readonly rfState: unknown;
  readonly error: boolean;
  /** Input tensors' shapes and the call's input values, for hovers. */
  readonly inputs: readonly Value[];
  /** Op names without a cost rule inside a traced user leaf. */
  readonly unknownOps?: readonly string[];
}

export interface Trace {
  readonly entries: Entry[];
  readonly totalOps: OpRecord[];
  readonly stack: CallFrame[];
  /** Dotted path of every module in the model (first name wins, as named_modules()). */
  readonly names: Map<number, string>;
  /** The model's root module. */
  readonly root: ModuleObj;
  /** Shape-changing statements in forward (line -> output), for optional hints. */
  readonly lineShapes: Map<number, Value>;
}

export function newTrace(root: ModuleObj, names: Map<number, string>): Trace {
  return { entries: [], totalOps: [], stack: [], names, root, lineShapes: new Map() };
}
