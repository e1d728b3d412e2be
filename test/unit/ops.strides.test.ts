// view() after transpose/permute/t/T/mT/movedim: PyTorch 1.13's stride check (computeStride), rows measured with real PyTorch.
import * as assert from "node:assert/strict";
import { findOp } from "../../src/core/ops";
import { bindArgs } from "../../src/core/signature";
import type { ArgValue, TensorMeta } from "../../src/core/types";

const E = "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.";

/** [input shape, views applied in order, view() target, output shape or PyTorch's error]. */
type Row = [number[], (string | number | number[])[][], number[], number[] | string];

const ROWS: readonly Row[] = [
  [[2, 10, 24], [["transpose", 1, 2]], [2, -1], E],
  [[2, 10, 24], [["transpose", 1, 2]], [2, 24, 5, 2], [2, 24, 5, 2]],
  [[2, 10, 24], [["transpose", 1, 2]], [48, 10], E],
  [[2, 3, 4, 5], [["permute", [0, 2, 3, 1]]], [2, -1], E],
  [[2, 3, 4, 5], [["permute", [0, 2, 3, 1]]], [2, 4, 5, 3], [2, 4, 5, 3]],
  [[2, 3, 4, 5], [["permute", [0, 2, 3, 1]]], [8, 5, 3], E],
  [[4, 8, 16], [["view", [4, 8, 2, 8]], ["transpose", 1, 2]], [4, 2, 64], E],
  [[4, 8, 16], [["view", [4, 8, 2, 8]], ["transpose", 1, 2]], [4, 2, 8, 2, 4], [4, 2, 8, 2, 4]],
  [[6, 1, 5], [["transpose", 0, 1]], [30], [30]],
  [[3, 4], [["t"]], [12], E],
  [[3, 4], [["t"]], [4, 3, 1], [4, 3, 1]],
  [[2, 3, 4], [["T"]], [4, 6], E],
  [[2, 3, 4], [["mT"]], [2, 12], E],
  [[2, 3, 4], [["movedim", 0, 2]], [3, 8], E],
  [[2, 3, 4], [["movedim", 0, 2]], [12, 2], [12, 2]],
];

function call(name: string, pos: ArgValue[]): TensorMeta | string {
  const rule = findOp("method", name)!;
  const b = bindArgs(name, rule.signature, pos, []);
  assert.ok(b.ok);
  const r = rule.apply(b.args);
  const e = r.problems.find((p) => p.severity === "error");
  return e ? e.message : (r.output as TensorMeta);
}

describe("ops: view() of a transposed tensor", () => {
  for (const [shape, ops, target, want] of ROWS) {
    it(`${JSON.stringify(shape)} ${ops.map((o) => o.join(" ")).join(", ")} -> view${JSON.stringify(target)}`, () => {
      let x: TensorMeta = { kind: "tensor", shape, dtype: "float" };
      for (const [name, ...rest] of ops) {
        const args = name === "permute" || name === "view" ? (rest[0] as number[]) : (rest as number[]);
        const out = call(name as string, [x, ...args]);
        assert.equal(typeof out, "object", String(out));
        x = out as TensorMeta;
      }
      const out = call("view", [x, ...target]);
      if (typeof want === "string") assert.equal(out, want);
      else assert.deepEqual((out as TensorMeta).shape, want);
      // reshape copies where view cannot
      const reshaped = call("reshape", [x, ...target]) as TensorMeta;
      assert.equal(Array.isArray(reshaped.shape) ? reshaped.shape.length : -1, target.length);
    });
  }
});
