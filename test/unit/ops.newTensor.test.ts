// x.new_full(size, fill) and x.new_tensor(data): shapes, dtypes and errors as PyTorch 1.13 gives them.
import * as assert from "node:assert/strict";
import { withSeqKind } from "../../src/core/types";
import { run, shapes, T } from "./ops.support.test";

describe("ops: new_full and new_tensor", () => {
  it("new_full takes one size sequence and keeps x's dtype", () => {
    const r = run("method.new_full", [{ kind: "tensor", shape: [3, 7], dtype: "long" }, withSeqKind([3], "tuple"), 1]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(shapes(r.output), [3]);
    assert.equal((r.output as { dtype: string }).dtype, "long");
    const bad = run("method.new_full", [T(2), 2, 3]);
    assert.equal(bad.problems[0]?.message, "TypeError: new_full(): argument 'size' (position 1) must be tuple of SymInts, not int");
  });
  it("new_tensor reads the nested data's shape and is an op without a FLOPs rule", () => {
    const r = run("method.new_tensor", [T(2), withSeqKind([withSeqKind([1, 2], "list"), withSeqKind([3, 4], "list")], "list")]);
    assert.deepEqual(shapes(r.output), [2, 2]);
    assert.ok("reason" in r.cost);
    const ragged = run("method.new_tensor", [T(2), withSeqKind([withSeqKind([1, 2], "list"), withSeqKind([3], "list")], "list")]);
    assert.equal(ragged.problems[0]?.message, "ValueError: expected sequence of length 2 at dim 1 (got 1)");
  });
});
