// Shared helpers of the op-rule tests (tensors, slices, calling a rule by "ns.name"), and their own checks.
import * as assert from "node:assert/strict";
import { toJson, type Dim } from "../../src/core/dim";
import { findOp, sliceArg, type OpResult } from "../../src/core/ops";
import type { OpNamespace } from "../../src/core/ops/rule";
import { bindArgs } from "../../src/core/signature";
import { isTensor, isUnknown, type ArgValue, type DType, type Output, type SliceArg, type TensorMeta } from "../../src/core/types";

const tensor = (dtype: DType, shape: readonly Dim[]): TensorMeta => ({ kind: "tensor", shape, dtype });
/** A float tensor of this shape. */
export const T = (...shape: Dim[]): TensorMeta => tensor("float", shape);
export const L = (...shape: Dim[]): TensorMeta => tensor("long", shape);
export const B = (...shape: Dim[]): TensorMeta => tensor("bool", shape);
export const S = (start: number | null = null, stop: number | null = null, step: number | null = null): SliceArg =>
  sliceArg(start, stop, step);
/** Python's Ellipsis as the evaluator passes it. */
export const E = "...";

/** Bind and apply the rule reached as `F.conv2d`, `torch.cat`, `method.view`. */
export function run(call: string, args: readonly ArgValue[], kw: Readonly<Record<string, ArgValue>> = {}): OpResult {
  const dot = call.indexOf(".");
  const ns = call.slice(0, dot) as OpNamespace;
  const name = call.slice(dot + 1);
  const rule = findOp(ns, name);
  assert.ok(rule, `no rule for ${call}`);
  const bound = bindArgs(`${name}()`, rule.signature, args, Object.entries(kw));
  assert.ok(bound.ok, `${call}: ${bound.ok ? "" : bound.problem.message}`);
  return rule.apply(bound.args);
}

type Json = number | string | null | Json[];

/** Shapes as JSON: a tensor's dims (symbolic ones as strings), tuples as lists; "?" for unknown. */
export function shapes(out: Output | ArgValue): Json {
  if (isTensor(out)) return isUnknown(out.shape) ? "?" : out.shape.map(toJson);
  if (Array.isArray(out)) return (out as readonly Output[]).map(shapes);
  if (isUnknown(out)) return "?";
  return null;
}

/** A short label for a test title: tensors as their shapes. */
export function label(call: string, args: readonly ArgValue[], kw: Readonly<Record<string, ArgValue>> = {}): string {
  const one = (v: ArgValue): string => {
    if (isTensor(v)) return `${v.dtype === "float" ? "" : v.dtype}${JSON.stringify(shapes(v))}`;
    if (Array.isArray(v)) return `(${(v as readonly ArgValue[]).map(one).join(", ")})`;
    if (typeof v === "object" && v !== null && (v as { kind?: string }).kind === "slice") {
      const s = v as SliceArg;
      return [s.start, s.stop, s.step].map((b) => (b === null ? "" : String(b))).join(":");
    }
    return JSON.stringify(v);
  };
  const parts = [...args.map(one), ...Object.entries(kw).map(([k, v]) => `${k}=${one(v)}`)];
  return `${call}(${parts.join(", ")})`;
}

/** One call and what real PyTorch 1.13 (and the oracle's op_cost) gave for it. */
export interface TorchRow {
  readonly call: string;
  readonly args: readonly ArgValue[];
  readonly kw?: Readonly<Record<string, ArgValue>>;
  readonly out?: Json;
  readonly outs?: Json;
  readonly dtype?: DType;
  readonly error?: string;
  readonly macs?: number;
  readonly flops?: number;
  readonly cost?: null;
  /** The function name PyTorch records for the call (the oracle keys costs by it). */
  readonly recorded?: string;
}

/** Check a rule's result against a row. */
export function checkRow(row: TorchRow): void {
  const res = run(row.call, row.args, row.kw);
  if (row.error !== undefined) {
    assert.equal(res.problems.length, 1, `expected a problem for ${row.call}`);
    assert.equal(res.problems[0].message, row.error);
    assert.ok(isUnknown(res.output));
    return;
  }
  assert.deepEqual(res.problems, []);
  assert.deepEqual(shapes(res.output), row.out ?? row.outs);
  if (row.dtype !== undefined) assert.equal((res.output as TensorMeta).dtype, row.dtype);
  if (row.cost === null) {
    assert.ok(isUnknown(res.cost), `cost of ${row.call} should be unknown`);
    assert.match(res.cost.reason, /^no FLOPs rule for /);
  } else {
    assert.deepEqual(res.cost, { macs: row.macs, flops: row.flops });
  }
}

describe("op test helpers", () => {
  it("build tensors, slices and labels", () => {
    assert.deepEqual(T(1, 3), { kind: "tensor", shape: [1, 3], dtype: "float" });
    assert.deepEqual(S(null, 16), { kind: "slice", start: null, stop: 16, step: null });
    assert.equal(label("method.view", [T(2, 3), -1], { x: S(1) }), 'method.view([2,3], -1, x=1::)');
  });

  it("run binds like Python and applies the rule", () => {
    assert.deepEqual(shapes(run("torch.flatten", [T(2, 3, 4)], { start_dim: 1 }).output), [2, 12]);
  });
});
