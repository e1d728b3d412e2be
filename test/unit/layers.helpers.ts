// Test helpers for the layer rules: build tensors, bind constructor args, run a layer, read shapes back.
import * as assert from "node:assert/strict";
import { layerRule, type LayerResult } from "../../src/core/layers";
import type { ParamCount } from "../../src/core/layers/rule";
import { bindArgs } from "../../src/core/signature";
import { toJson, type Dim } from "../../src/core/dim";
import { isUnknown, type ArgValue, type Args, type DType, type Output, type Problem, type TensorMeta } from "../../src/core/types";

/** A float tensor of this shape. */
export function T(...shape: Dim[]): TensorMeta {
  return { kind: "tensor", shape, dtype: "float" };
}

/** A long (index) tensor of this shape. */
export function L(...shape: Dim[]): TensorMeta {
  return { kind: "tensor", shape, dtype: "long" };
}

export function tensorOfDtype(dtype: DType, ...shape: Dim[]): TensorMeta {
  return { kind: "tensor", shape, dtype };
}

export interface Run {
  readonly args: Args;
  readonly initProblems: readonly Problem[];
  readonly params: ParamCount;
  readonly result: LayerResult;
  readonly explain: readonly string[];
}

/** Construct `type(*args, **kwargs)` and call it on `inputs` (with forward kwargs `fwd`). */
export function run(
  type: string,
  args: readonly ArgValue[] = [],
  kwargs: Readonly<Record<string, ArgValue>> = {},
  inputs: readonly ArgValue[] = [],
  fwd: Readonly<Record<string, ArgValue>> = {},
): Run {
  const rule = layerRule(type);
  assert.ok(rule, `no layer rule for ${type}`);
  const bound = bindArgs(`${type}.__init__()`, rule.signature, args, Object.entries(kwargs));
  assert.ok(bound.ok, `${type}: ${bound.ok ? "" : bound.problem.message}`);
  const call = { inputs, kwargs: fwd };
  const result = rule.forward(bound.args, call);
  return {
    args: bound.args,
    initProblems: rule.validate?.(bound.args) ?? [],
    params: rule.params(bound.args),
    result,
    explain: rule.explain?.(bound.args, call, result) ?? [],
  };
}

/** Output shapes as the JSON report writes them: numbers, symbolic strings, null for None. */
export function shapesOf(o: Output): unknown {
  if (o === null) return null;
  if (Array.isArray(o)) return (o as readonly Output[]).map((x) => shapesOf(x));
  if (isUnknown(o)) return "unknown";
  const t = o as TensorMeta;
  return isUnknown(t.shape) ? "unknown" : t.shape.map((d) => toJson(d));
}

/** [macs, flops], or null when the cost is Unknown. */
export function costOf(r: LayerResult): [number, number] | null {
  return isUnknown(r.cost) ? null : [r.cost.macs, r.cost.flops];
}

/** The first error problem of the forward call, as [code, message]. */
export function forwardError(r: Run): [string, string] | undefined {
  const p = r.result.problems.find((x) => x.severity === "error");
  return p && [p.code, p.message];
}
