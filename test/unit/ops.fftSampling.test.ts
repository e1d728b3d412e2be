// torch.fft transforms, torch.stft and the spatial-transformer ops (F.affine_grid, F.grid_sample): shapes and errors as PyTorch 1.13 gives them.
import * as assert from "node:assert/strict";
import { withSeqKind, type ArgValue } from "../../src/core/types";
import { run, shapes, T } from "./ops.support.test";

describe("ops: torch.fft and grid sampling", () => {
  const cases: readonly [string, ArgValue[], Record<string, ArgValue>, unknown][] = [
    ["torch.fft_rfft", [T(2, 3, 8, 8)], { n: 5, dim: 2 }, [2, 3, 3, 8]],
    ["torch.fft_irfft", [T(2, 3, 3, 8)], {}, [2, 3, 3, 14]],
    ["torch.fft_rfft2", [T(2, 8, 16, 16)], {}, [2, 8, 16, 9]],
    ["torch.fft_irfft2", [T(2, 8, 16, 9)], { s: [16, 16] }, [2, 8, 16, 16]],
    ["torch.fft_fftn", [T(2, 3, 8, 8)], { s: [4, 4] }, [2, 3, 4, 4]],
    ["torch.fft_ifftn", [T(2, 3, 8, 8)], {}, [2, 3, 8, 8]],
    ["torch.fft_rfftn", [T(2, 3, 8, 8)], { dim: [1, 2] }, [2, 3, 5, 8]],
    ["torch.fft_fftshift", [T(2, 3, 8, 8)], { dim: [-2, -1] }, [2, 3, 8, 8]],
    ["torch.fft_rfftfreq", [8], {}, [5]],
    ["torch.stft", [T(3, 1000), 64], { return_complex: true }, [3, 33, 63]],
    ["torch.stft", [T(3, 1000), 64], { hop_length: 10, center: false }, [3, 33, 94, 2]],
    ["torch.stft", [T(1000), 64], { return_complex: true, onesided: false }, [64, 63]],
    ["F.affine_grid", [T(4, 2, 3), [4, 1, 28, 28]], { align_corners: false }, [4, 28, 28, 2]],
    ["F.affine_grid", [T(2, 3, 4), [2, 1, 8, 6, 5]], {}, [2, 8, 6, 5, 3]],
    ["F.grid_sample", [T(4, 3, 28, 28), T(4, 10, 12, 2)], {}, [4, 3, 10, 12]],
    ["F.grid_sample", [T(2, 1, 9, 9, 9), T(2, 4, 5, 6, 3)], { mode: "nearest" }, [2, 1, 4, 5, 6]],
  ];
  for (const [call, args, kw, want] of cases) {
    it(`${call} ${JSON.stringify(shapes(args[0]))} ${JSON.stringify(kw)}`, () => {
      const r = run(call, args, kw);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(shapes(r.output), want);
    });
  }
  it("errors as PyTorch words them", () => {
    const theta = run("F.affine_grid", [T(4, 6), withSeqKind([4, 1, 28, 28], "tuple")]);
    assert.equal(theta.problems[0]?.message, "ValueError: Expected a batch of 2D affine matrices of shape Nx2x3 for size (4, 1, 28, 28). Got torch.Size([4, 6]).");
    const n = run("F.affine_grid", [T(3, 2, 3), [4, 1, 28, 28]]);
    assert.equal(n.problems[0]?.message, "Expected size for first two dimensions of batch2 tensor to be: [4, 3] but got: [3, 3].");
    const last = run("F.grid_sample", [T(4, 3, 8, 8), T(4, 8, 8, 3)]);
    assert.equal(last.problems[0]?.message, "grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes [4, 8, 8, 3]");
    const batch = run("F.grid_sample", [T(4, 3, 8, 8), T(2, 8, 8, 2)]);
    assert.equal(batch.problems[0]?.message, "grid_sampler(): expected grid and input to have same batch size, but got input with sizes [4, 3, 8, 8] and grid with sizes [2, 8, 8, 2]");
    const dim = run("torch.fft_rfft", [T(2, 3)], { dim: 2 });
    assert.equal(dim.problems[0]?.message, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  });
});
