// Sorting and selection ops (topk, sort, argsort, kthvalue, median, mode): shapes as PyTorch 1.13 gives them.
import * as assert from "node:assert/strict";
import { symbol } from "../../src/core/dim";
import type { ArgValue } from "../../src/core/types";
import { run, shapes, T } from "./ops.support.test";

describe("ops: sorting and selection", () => {
  const cases: readonly [string, ArgValue[], Record<string, ArgValue>, unknown][] = [
    ["method.topk", [T(4, 6, 5), 3], {}, [[4, 6, 3], [4, 6, 3]]],
    ["torch.topk", [T(4, 6, 5), 2], { dim: 1 }, [[4, 2, 5], [4, 2, 5]]],
    ["method.topk", [T(), 1], {}, [[], []]],
    ["method.sort", [T(4, 6, 5), 1], {}, [[4, 6, 5], [4, 6, 5]]],
    ["method.argsort", [T(4, 6, 5)], {}, [4, 6, 5]],
    ["method.kthvalue", [T(4, 6, 5), 2, 1], {}, [[4, 5], [4, 5]]],
    ["method.median", [T(4, 6, 5)], {}, []],
    ["method.median", [T(4, 6, 5), 0], { keepdim: true }, [[1, 6, 5], [1, 6, 5]]],
    ["method.mode", [T(4, 6, 5)], {}, [[4, 6], [4, 6]]],
    ["method.topk", [T(symbol("B"), 6), 3], {}, [["B", 3], ["B", 3]]],
  ];
  for (const [call, args, kw, want] of cases) {
    it(`${call} ${JSON.stringify(shapes(args[0]))}`, () => {
      const r = run(call, args, kw);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(shapes(r.output), want);
    });
  }
  it("indices are long", () => {
    const r = run("method.sort", [T(3, 4)]);
    assert.ok(Array.isArray(r.output));
    assert.equal((r.output as { dtype: string }[])[1].dtype, "long");
  });
  it("errors as PyTorch words them", () => {
    const big = run("method.topk", [T(4, 6, 5), 9], { dim: 1 });
    assert.equal(big.problems[0]?.message, "selected index k out of range");
    const dim = run("method.sort", [T(4, 6, 5)], { dim: 3 });
    assert.equal(dim.problems[0]?.message, "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  });
});
