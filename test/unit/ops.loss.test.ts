// Loss functions (F.mse_loss, cross_entropy, ...): shapes and PyTorch 1.13's errors (real runs), FLOPs unknown (no spec rule).
import * as assert from "node:assert/strict";
import { symbol } from "../../src/core/dim";
import { isUnknown } from "../../src/core/types";
import { B, L, run, shapes, T } from "./ops.support.test";

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

  it("checks cross_entropy / nll_loss targets as PyTorch 1.13 does (messages of real runs)", () => {
    const msg = (call: string, a: ReturnType<typeof T>, b: ReturnType<typeof T>) => run(call, [a, b]).problems[0]?.message;
    assert.equal(msg("F.cross_entropy", T(10, 5), L(10, 1)), "0D or 1D target tensor expected, multi-target not supported");
    assert.equal(msg("F.nll_loss", T(10, 5), L(10, 5)), "0D or 1D target tensor expected, multi-target not supported");
    assert.equal(msg("F.nll_loss", T(10, 5), L(8)), "ValueError: Expected input batch_size (10) to match target batch_size (8).");
    assert.equal(msg("F.cross_entropy", T(10, 5), T(10)), "expected scalar type Long but found Float");
    assert.equal(msg("F.cross_entropy", T(10, 5), B(10)), "expected scalar type Long but found Bool");
    assert.equal(msg("F.cross_entropy", T(10, 5), L(10, 5)), "Expected floating point type for target with class probabilities, got Long");
    assert.equal(msg("F.cross_entropy", T(10, 5), T(10, 5)), undefined, "class probabilities");
    assert.equal(msg("F.cross_entropy", T(2, 5, 4, 4), L(2, 3, 4)), "size mismatch (got input: [2, 5, 4, 4] , target: [2, 3, 4]");
    assert.equal(msg("F.cross_entropy", T(2, 5, 4, 4), L(2, 4)), "only batches of spatial targets supported (3D tensors) but got targets of dimension: 2");
    assert.equal(msg("F.cross_entropy", T(2, 5, 4), L(2, 3)), "Expected target size [2, 4], got [2, 3]");
    assert.equal(msg("F.nll_loss", T(5), L(1)), "size mismatch (got input: [5], target: [1])");
    assert.equal(msg("F.nll_loss", T(5), L()), undefined, "an unbatched input and a 0-d target");
    assert.equal(msg("F.cross_entropy", T(symbol("N"), 5), L(symbol("M"))), undefined, "symbolic sizes are not a mismatch");
  });

  it("F.one_hot appends the class dim as a long tensor, and wants an index tensor", () => {
    const r = run("F.one_hot", [L(4, 3)], { num_classes: 6 });
    assert.deepEqual(shapes(r.output), [4, 3, 6]);
    assert.equal((r.output as { dtype?: string }).dtype, "long");
    assert.ok(isUnknown((run("F.one_hot", [L(4)]).output as { shape: unknown }).shape), "num_classes=-1 reads the data");
    assert.equal(run("F.one_hot", [T(4)], { num_classes: 3 }).problems[0]?.message, "one_hot is only applicable to index tensor.");
  });
});
