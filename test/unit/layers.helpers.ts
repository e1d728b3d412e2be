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

// ---------------------------------------------------------------------------------------------
// tables of cases measured with real PyTorch 1.13 (shapes, params, errors) and the oracle (costs)

/** An input as the tables write it: a float shape, a {shape, dtype} tensor, or a tuple of inputs. */
export type InputSpec = readonly number[] | { readonly shape: readonly number[]; readonly dtype?: DType } | { readonly tuple: readonly InputSpec[] };

export type Expect =
  | { readonly init: readonly [string, string] }
  | {
      readonly params: number;
      readonly parts?: readonly (readonly [string, number])[];
      readonly error?: readonly [string, string];
      readonly out?: unknown;
      /** [macs, flops]; null: no cost rule (Unknown). */
      readonly cost?: readonly [number, number] | null;
    };

/** [type, args, kwargs, inputs, forward kwargs, expected, "qkv" | "kv" when those inputs are one object]. */
export type TorchCase = readonly [
  string,
  readonly ArgValue[],
  Readonly<Record<string, ArgValue>>,
  readonly InputSpec[],
  Readonly<Record<string, ArgValue | InputSpec>>,
  Expect,
  ("qkv" | "kv")?,
];

function inputOf(s: InputSpec): ArgValue {
  if (Array.isArray(s)) return T(...(s as number[]));
  if ("tuple" in s) return s.tuple.map(inputOf);
  const t = s as { shape: readonly number[]; dtype?: DType };
  return tensorOfDtype(t.dtype ?? "float", ...t.shape);
}

function isInputSpec(v: unknown): v is InputSpec {
  return typeof v === "object" && v !== null && !Array.isArray(v) && ("shape" in v || "tuple" in v);
}

export function caseTitle(c: TorchCase): string {
  const [type, args, kwargs, inputs, fwd] = c;
  const kw = Object.entries(kwargs).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const f = Object.keys(fwd).length ? ` ${JSON.stringify(fwd)}` : "";
  return `${type}(${[...args.map((a) => JSON.stringify(a)), ...kw].join(", ")})${inputs.length ? ` on ${JSON.stringify(inputs)}` : ""}${f}`;
}

/** Build, validate, count and call the layer; compare everything with the measured case. */
export function checkTorchCase(c: TorchCase): void {
  const [type, args, kwargs, inputSpecs, fwdSpec, expect, same] = c;
  const inputs = inputSpecs.map(inputOf);
  if (same === "qkv") inputs.splice(1, 2, inputs[0], inputs[0]);
  if (same === "kv") inputs.splice(2, 1, inputs[1]);
  const fwd: Record<string, ArgValue> = {};
  for (const [k, v] of Object.entries(fwdSpec)) fwd[k] = isInputSpec(v) ? inputOf(v) : (v as ArgValue);
  const r = run(type, args, kwargs, inputs, fwd);
  if ("init" in expect) {
    const p = r.initProblems[0];
    assert.deepEqual(p && [p.code, p.message], expect.init);
    return;
  }
  assert.deepEqual(r.initProblems, [], "no construction error");
  assert.equal(r.params.total, expect.params, "params");
  if (expect.parts) assert.deepEqual(r.params.parts, expect.parts, "parameter tensors");
  if (inputs.length === 0) return;
  if (expect.error) {
    assert.deepEqual(forwardError(r), expect.error);
    return;
  }
  assert.deepEqual(forwardError(r), undefined, "no forward error");
  assert.deepEqual(shapesOf(r.result.output), expect.out, "output");
  if (expect.cost !== undefined) assert.deepEqual(costOf(r.result), expect.cost, "macs, flops");
}
