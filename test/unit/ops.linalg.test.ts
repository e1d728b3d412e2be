// Matrix functions (torch.linalg.*, det, inverse, solves) and elementwise predicates: shapes and errors as PyTorch 1.13 gives them.
import * as assert from "node:assert/strict";
import type { ArgValue } from "../../src/core/types";
import { run, shapes, T } from "./ops.support.test";

describe("ops: linalg and predicates", () => {
  const cases: readonly [string, ArgValue[], Record<string, ArgValue>, unknown][] = [
    ["torch.linalg_det", [T(2, 5, 5)], {}, [2]],
    ["torch.slogdet", [T(2, 5, 5)], {}, [[2], [2]]],
    ["method.inverse", [T(3, 4, 4)], {}, [3, 4, 4]],
    ["torch.linalg_pinv", [T(2, 5, 8)], {}, [2, 8, 5]],
    ["torch.linalg_solve", [T(2, 5, 5), T(2, 5, 8)], {}, [2, 5, 8]],
    ["torch.linalg_solve", [T(2, 5, 5), T(2, 5)], {}, [2, 5]],
    ["torch.linalg_qr", [T(2, 5, 8)], {}, [[2, 5, 5], [2, 5, 8]]],
    ["torch.linalg_qr", [T(7, 3)], { mode: "complete" }, [[7, 7], [7, 3]]],
    ["torch.linalg_svd", [T(2, 5, 8)], { full_matrices: false }, [[2, 5, 5], [2, 5], [2, 5, 8]]],
    ["torch.linalg_svd", [T(5, 8)], {}, [[5, 5], [5], [8, 8]]],
    ["torch.linalg_eigh", [T(2, 5, 5)], {}, [[2, 5], [2, 5, 5]]],
    ["torch.linalg_norm", [T(2, 5, 8)], { dim: -1 }, [2, 5]],
    ["torch.linalg_vector_norm", [T(2, 5, 8)], { dim: [1, 2] }, [2]],
    ["torch.linalg_matrix_norm", [T(2, 5, 8)], {}, [2]],
    ["torch.triangular_solve", [T(2, 5, 8), T(5, 5)], {}, [[2, 5, 8], [2, 5, 5]]],
    ["method.isnan", [T(2, 3)], {}, [2, 3]],
    ["torch.isclose", [T(2, 3), T(1, 3)], {}, [2, 3]],
    ["method.type", [T(2, 3), "torch.LongTensor"], {}, [2, 3]],
  ];
  for (const [call, args, kw, want] of cases) {
    it(`${call} ${JSON.stringify(args.map(shapes))} ${JSON.stringify(kw)}`, () => {
      const r = run(call, args, kw);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(shapes(r.output), want);
    });
  }
  it("x.type() names the tensor type; casts change the dtype", () => {
    assert.equal(run("method.type", [T(2)]).output, "torch.FloatTensor");
    assert.equal((run("method.type", [T(2), "torch.LongTensor"]).output as { dtype: string }).dtype, "long");
  });
  it("errors as PyTorch words them", () => {
    assert.equal(run("torch.linalg_det", [T(2, 5, 8)]).problems[0]?.message, "linalg.det: A must be batches of square matrices, but they are 5 by 8 matrices");
  });
});
