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
  /** Graph sizes when the call started (a leaf's inner op nodes collapse into its node). */
  readonly graphStart: number;
  /** A layer with a rule sets its own cost (then `ops` are ignored) and output state. */
  ruleCost?: CostOrUnknown;
  /** numel of the output that rule computed (the call's real output may differ: a subclass cropping it). */
  ruleOn?: number | null;
}

/** One leaf-module call: a row of the report. */
export interface Entry {
  readonly module: ModuleObj;
  /** Dotted path as named_modules() gives it; null for a module the model does not hold (built inside forward). */
  readonly path: string | null;
  /** For a module built inside forward: dotted path of the module whose forward called it ("" for the model's). */
  readonly scope?: string;
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

/** A node of the dataflow graph: a model input, a leaf-module call, a functional op, or the output. */
export interface GraphNode {
  readonly id: number;
  readonly kind: "input" | "module" | "op" | "output";
  /** Module type (Conv2d), op name (cat, add, view) or "input"/"output". */
  readonly label: string;
  /** Dotted module path for module calls (for grouping nested modules); null for a module built inside forward. */
  readonly path?: string | null;
  /** Index into the model's entries (module calls). */
  readonly entry?: number;
  /** Output shape(s) as in the report. */
  readonly output: unknown;
  readonly macs: number | null;
  readonly flops: number | null;
  /** 1-based line and document offsets of the module's constructor or the op's call. */
  readonly line: number | null;
  readonly from: number | null;
  readonly to: number | null;
  /** Whether a functional op changes the shape of its (first) input. */
  readonly shapeChanging?: boolean;
  /** Ops and modules built inside forward: dotted path of the module whose forward ran it ("" for the model's own forward). */
  readonly scope?: string;
}

export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  /** The shape of the tensor flowing along the edge. */
  readonly shape: unknown;
}

export interface Graph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
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
  readonly graph: Graph;
}

export function newTrace(root: ModuleObj, names: Map<number, string>): Trace {
  return { entries: [], totalOps: [], stack: [], names, root, lineShapes: new Map(), graph: { nodes: [], edges: [] } };
}
