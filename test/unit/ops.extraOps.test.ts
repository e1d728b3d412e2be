// Less common tensor functions (cdist, outer, kron, take_along_dim, diff, block_diag, diag*, scatter*, tri*_indices, ...): shapes and errors as PyTorch 1.13 gives them.
import * as assert from "node:assert/strict";
import type { ArgValue } from "../../src/core/types";
import { run, shapes, T } from "./ops.support.test";

const L = (...shape: number[]): ArgValue => ({ kind: "tensor", shape, dtype: "long" });

describe("ops: extra tensor functions", () => {
  const cases: readonly [string, ArgValue[], Record<string, ArgValue>, unknown][] = [
    ["torch.cdist", [T(1, 5, 8), T(3, 3, 8)], {}, [3, 5, 3]],
    ["torch.outer", [T(2), T(3)], {}, [2, 3]],
    ["torch.kron", [T(2, 3), T(4, 5, 6)], {}, [4, 10, 18]],
    ["torch.take_along_dim", [T(2, 5, 3), L(2, 1, 3)], {}, [6]],
    ["torch.take_along_dim", [T(2, 5, 3), L(1, 2, 3)], { dim: 1 }, [2, 2, 3]],
    ["torch.diff", [T(2, 5)], { n: 2, dim: 1, prepend: T(2, 1) }, [2, 4]],
    ["torch.diff", [T(2, 3)], { n: 5 }, [2, 0]],
    ["torch.block_diag", [T(2, 3), T(4), T()], {}, [4, 8]],
    ["torch.diag_embed", [T(2, 3)], { offset: 1, dim1: 0, dim2: 2 }, [4, 2, 4]],
    ["torch.diagonal", [T(2, 5, 3)], { offset: -1, dim1: 1, dim2: 2 }, [2, 3]],
    ["torch.diag", [T(3)], { diagonal: 1 }, [4, 4]],
    ["torch.diag", [T(3, 5)], { diagonal: -1 }, [2]],
    ["torch.tril_indices", [4, 3, 1], {}, [2, 11]],
    ["torch.triu_indices", [4, 3, -1], {}, [2, 9]],
    ["torch.cartesian_prod", [T(3), T(4), T(2)], {}, [24, 3]],
    ["torch.combinations", [T(5)], { r: 2, with_replacement: true }, [15, 2]],
    ["torch.pdist", [T(6, 3)], {}, [15]],
    ["torch.trapz", [T(2, 3, 4)], { dim: 1 }, [2, 4]],
    ["method.scatter_add", [T(3, 4), 1, L(3, 2), T(3, 2)], {}, [3, 4]],
    ["torch.broadcast_tensors", [T(2, 1, 3), T(4, 1)], {}, [[2, 4, 3], [2, 4, 3]]],
    ["torch.aminmax", [T(2, 3)], { dim: 1 }, [[2], [2]]],
    ["torch.pad_sequence", [[T(5, 6), T(3, 6), T(4, 6)]], {}, [5, 3, 6]],
    ["torch.pad_sequence", [[T(5), T(3)]], { batch_first: true }, [2, 5]],
    ["F.embedding_bag", [L(10), T(50, 6), L(3)], {}, [3, 6]],
    ["F.embedding_bag", [L(10), T(50, 6), L(4)], { include_last_offset: true }, [3, 6]],
    ["F.embedding_bag", [L(4, 7), T(50, 6)], { mode: "sum", per_sample_weights: T(4, 7) }, [4, 6]],
  ];
  for (const [call, args, kw, want] of cases) {
    it(`${call} ${JSON.stringify(args.map(shapes))} ${JSON.stringify(kw)}`, () => {
      const r = run(call, args, kw);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(shapes(r.output), want);
    });
  }
  it("torch.spmm is mm (same shape and cost); cumsum/cumprod take dtype=, integers and bools accumulate as int64", () => {
    const mm = run("torch.spmm", [T(20, 20), T(20, 16)]);
    assert.deepEqual(shapes(mm.output), [20, 16]);
    assert.deepEqual(mm.cost, run("torch.mm", [T(20, 20), T(20, 16)]).cost);
    const B = (...shape: number[]): ArgValue => ({ kind: "tensor", shape, dtype: "bool" });
    const dtypeOf = (o: unknown): unknown => (o as { dtype: string }).dtype;
    assert.equal(dtypeOf(run("method.cumsum", [B(2, 3, 4), 1], { dtype: "torch.float32" }).output), "float");
    assert.equal(dtypeOf(run("torch.cumsum", [B(2, 3), 1]).output), "long");
    assert.equal(dtypeOf(run("torch.cumprod", [T(2, 3), 0]).output), "float");
  });
  it("errors as PyTorch words them", () => {
    assert.equal(run("torch.cdist", [T(2, 5, 8), T(2, 3, 7)]).problems[0]?.message, "X1 and X2 must have the same number of columns. X1: 8 X2: 7");
    assert.equal(run("torch.cdist", [T(5), T(3, 5)]).problems[0]?.message, "cdist only supports at least 2D tensors, X1 got: 1D");
    assert.equal(run("torch.outer", [T(2, 3), T(3)]).problems[0]?.message, "outer: Expected 1-D argument self, but got 2-D");
    assert.equal(run("torch.block_diag", [T(2, 3, 4)]).problems[0]?.message, "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input 0 has 3 dimensions");
    assert.equal(run("method.scatter_add", [T(3, 4), 1, L(3), T(3, 2)]).problems[0]?.message, "Index tensor must have the same number of dimensions as self tensor");
  });
});
