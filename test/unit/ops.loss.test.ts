// Loss functions (F.mse_loss, cross_entropy, ...): shapes and PyTorch 1.13's errors (real runs), FLOPs unknown (no spec rule).
import * as assert from "node:assert/strict";
import { isUnknown } from "../../src/core/types";
import { L, run, shapes, T } from "./ops.support.test";

describe("ops: losses", () => {
  it("reduce to a 0-dim tensor, or keep the broadcast shape with reduction='none' / reduce=False", () => {
    assert.deepEqual(shapes(run("F.mse_loss", [T(4, 3), T(4, 1)]).output), []);
    assert.deepEqual(shapes(run("F.mse_loss", [T(4, 3), T(4, 1)], { reduction: "none" }).output), [4, 3]);
    assert.deepEqual(shapes(run("F.l1_loss", [T(4, 3), T(4, 3)], { reduce: false }).output), [4, 3]);
    assert.deepEqual(shapes(run("F.kl_div", [T(4, 3), T(4, 3)], { reduction: "batchmean" }).output), []);
    assert.deepEqual(shapes(run("F.cross_entropy", [T(4, 5, 7), L(4, 7)], { reduction: "none" }).output), [4, 7]);
    assert.deepEqual(shapes(run("F.nll_loss", [T(4, 5), L(4)]).output), []);
    const r = run("F.smooth_l1_loss", [T(2, 3), T(2, 3)]);
    assert.ok(isUnknown(r.cost), "no FLOPs rule in spec v1");
  });

  it("raise PyTorch's errors for sizes that do not fit and unknown reductions", () => {
    const msg = (call: string, a: ReturnType<typeof T>, b: ReturnType<typeof T>, kw = {}) => run(call, [a, b], kw).problems[0]?.message;
    assert.equal(msg("F.mse_loss", T(4, 3), T(4, 2)), "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
    assert.equal(
      msg("F.binary_cross_entropy", T(4, 3), T(4, 1)),
      "Using a target size (torch.Size([4, 1])) that is different to the input size (torch.Size([4, 3])) is deprecated. Please ensure they have the same size.",
    );
    assert.equal(msg("F.binary_cross_entropy_with_logits", T(4, 3), T(4, 1)), "Target size (torch.Size([4, 1])) must be the same as input size (torch.Size([4, 3]))");
    assert.equal(msg("F.mse_loss", T(4, 3), T(4, 3), { reduction: "avg" }), "avg is not a valid value for reduction");
  });
});
