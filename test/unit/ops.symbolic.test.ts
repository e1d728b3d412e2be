// Symbolic dims, unknown inputs, scalar operands, huge numbers and the reasons given for unknown costs.
import * as assert from "node:assert/strict";
import { format, mul, symbol, type Dim } from "../../src/core/dim";
import { isUnknown, unknown, type TensorMeta } from "../../src/core/types";
import { B, E, L, run, S, shapes, T } from "./ops.support.test";

const N = symbol("N");
const H = symbol("H");
const W = symbol("W");
const Tn = symbol("T");

function unknownCost(call: string, args: Parameters<typeof run>[1], kw: Parameters<typeof run>[2] = {}): string {
  const res = run(call, args, kw);
  assert.ok(isUnknown(res.cost), `${call} cost should be unknown`);
  return res.cost.reason;
}

const SYMBOLIC: readonly (readonly [string, Parameters<typeof run>[1], Parameters<typeof run>[2], readonly (number | string)[]])[] = [
  ["method.view", [T(N, 16, 5, 5), N, -1], {}, ["N", 400]],
  ["method.view", [T(N, 16, 5, 5), -1, 400], {}, ["N", 400]],
  ["method.view", [T(N, 4), -1, 3], {}, ["?", 3]],
  ["torch.flatten", [T(N, 16, 5, 5), 1], {}, ["N", 400]],
  ["method.flatten", [T(N, 3, H, W)], {}, ["3*H*N*W"]],
  ["F.conv2d", [T(N, 3, H, W), T(6, 3, 5, 5)], {}, ["N", 6, "H-4", "W-4"]],
  ["F.conv2d", [T(N, 3, H, W), T(6, 3, 3, 3)], { stride: 2, padding: 1 }, ["N", 6, "floor((H+1)/2)", "floor((W+1)/2)"]],
  ["F.conv_transpose2d", [T(N, 4, H, W), T(4, 6, 2, 2)], { stride: 2 }, ["N", 6, "2*H", "2*W"]],
  ["F.max_pool2d", [T(N, 6, H, W), [2, 2]], {}, ["N", 6, "floor(H/2)", "floor(W/2)"]],
  ["F.max_pool2d", [T(N, 6, H, W), 3], {}, ["N", 6, "floor(H/3)", "floor(W/3)"]],
  ["F.max_pool2d", [T(N, 6, H, W), 3, 1], {}, ["N", 6, "H-2", "W-2"]],
  ["F.avg_pool2d", [T(N, 64, W, W), W], {}, ["N", 64, 1, 1]],
  ["F.adaptive_avg_pool2d", [T(N, 64, H, W), 1], {}, ["N", 64, 1, 1]],
  ["method.mean", [T(N, 64, H, W)], { dim: [2, 3] }, ["N", 64]],
  ["method.reshape", [T(N, 4, H, W), N, 4, mul(H, W)], {}, ["N", 4, "H*W"]],
  ["torch.cat", [[T(N, 32, H, W), T(N, 16, H, W)]], { dim: 1 }, ["N", 48, "H", "W"]],
  ["torch.cat", [[T(N, 3), T(Tn, 3)]], {}, ["N+T", 3]],
  ["torch.cat", [[T(N, 3), T(2, 3)]], { dim: 1 }, [2, 6]],
  ["torch.add", [T(N, 16, 64), T(1, 16, 64)], {}, ["N", 16, 64]],
  ["torch.add", [T(N, 5), T(3, 5)], {}, [3, 5]],
  ["torch.add", [T(N, 5), T(Tn, 5)], {}, ["?", 5]],
  ["F.linear", [T(N, 400), T(120, 400), T(120)], {}, ["N", 120]],
  ["F.interpolate", [T(N, 3, H, W)], { scale_factor: 2 }, ["N", 3, "2*H", "2*W"]],
  ["F.interpolate", [T(N, 3, H, W)], { scale_factor: 1.5 }, ["N", 3, "floor(3*H/2)", "floor(3*W/2)"]],
  ["F.interpolate", [T(N, 3, H, W)], { scale_factor: 0.3 }, ["N", 3, "?", "?"]],
  ["F.pixel_shuffle", [T(N, 64, H, W), 2], {}, ["N", 16, "2*H", "2*W"]],
  ["F.pad", [T(N, 3, H, W), [1, 1, 2, 2]], {}, ["N", 3, "H+4", "W+2"]],
  ["method.getitem", [T(1, 64, 32), [S(), S(null, null)]], {}, [1, 64, 32]],
  ["method.getitem", [T(N, Tn, 32), [S(), S(1)]], {}, ["N", "T-1", 32]],
  ["method.getitem", [T(N, Tn, 32), [E, -1]], {}, ["N", "T"]],
  ["method.permute", [T(N, 3, H, W), 0, 2, 3, 1], {}, ["N", "H", "W", 3]],
  ["method.expand", [T(1, 16, 1), N, -1, W], {}, ["N", 16, "W"]],
  ["torch.matmul", [T(N, 8, Tn, 16), T(N, 8, 16, Tn)], {}, ["N", 8, "T", "T"]],
];

describe("op rules: symbolic shapes", () => {
  for (const [call, args, kw, want] of SYMBOLIC) {
    it(`${call} -> [${want.join(", ")}]`, () => {
      const res = run(call, args, kw);
      assert.deepEqual(res.problems, []);
      const got = (shapes(res.output) as (number | string | null)[]).map((d) => (d === null ? "?" : d));
      assert.deepEqual(got, want);
    });
  }

  it("keeps a symbolic slice stop: self.pos[:, : ids.size(1)]", () => {
    const res = run("method.getitem", [T(1, 64, 32), [S(), { kind: "slice", start: null, stop: Tn, step: null }]]);
    assert.deepEqual(shapes(res.output), [1, "T", 32]);
  });

  it("gives FLOPs as unknown with the symbolic size that they depend on", () => {
    assert.equal(unknownCost("F.conv2d", [T(N, 3, 32, 32), T(6, 3, 5, 5)]), "FLOPs depend on the symbolic size 4704*N");
    assert.match(unknownCost("F.relu", [T(N, 3)]), /^FLOPs depend on the symbolic size 3\*N$/);
    assert.match(unknownCost("F.adaptive_avg_pool2d", [T(2, 64, H, 7), 1]), /symbolic size/);
    assert.deepEqual(run("method.view", [T(N, 16, 5, 5), N, -1]).cost, { macs: 0, flops: 0 });
  });

  it("reports a mismatch with the symbolic rows in PyTorch's words", () => {
    const res = run("F.linear", [T(N, 500), T(50, 320)]);
    assert.equal(res.problems[0].message, "mat1 and mat2 shapes cannot be multiplied (Nx500 and 320x50)");
    assert.equal(res.problems[0].code, "in-features-mismatch");
  });

  it("does not report what depends on the symbols", () => {
    assert.deepEqual(run("method.view", [T(N, 16, 4, 4), 1, 400]).problems, []);
    assert.deepEqual(run("F.conv2d", [T(1, N, 8, 8), T(6, 3, 3, 3)]).problems, []);
    assert.deepEqual(run("torch.cat", [[T(N, 3), T(Tn, 4)]], { dim: 1 }).problems, []);
  });

  it("drops with ceil_mode only when decidable", () => {
    const res = run("F.max_pool2d", [T(1, 1, H, 8), 2], { ceil_mode: true });
    const shape = shapes(res.output) as unknown[];
    assert.deepEqual(shape.slice(0, 2), [1, 1]);
    assert.equal(shape[2], null);
    assert.equal(shape[3], 4);
  });

  it("gives an unknown number of pieces when splitting a symbolic dim", () => {
    const res = run("method.chunk", [T(N, 6), 2]);
    assert.ok(isUnknown(res.output));
    assert.match((res.output as { reason: string }).reason, /symbolic size N/);
    assert.deepEqual(shapes(run("method.chunk", [T(N, 6), 2, 1]).output), [["N", 3], ["N", 3]]);
  });
});

describe("op rules: unknown inputs, scalars and huge numbers", () => {
  const U: TensorMeta = { kind: "tensor", shape: unknown("input shape unknown"), dtype: "float" };

  it("passes a tensor of unknown shape on as a tensor, with zero-cost ops still free", () => {
    const view = run("method.view", [U, 2, -1]);
    assert.equal(shapes(view.output), "?");
    assert.deepEqual(view.cost, { macs: 0, flops: 0 });
    const relu = run("F.relu", [U]);
    assert.equal(shapes(relu.output), "?");
    assert.ok(isUnknown(relu.cost));
  });

  it("treats an unknown argument as unknown, not as an error", () => {
    const res = run("F.max_pool2d", [T(1, 3, 8, 8), unknown("kernel from a config")]);
    assert.deepEqual(res.problems, []);
    assert.equal(shapes(res.output), "?");
  });

  it("follows advanced indexing with symbolic sizes; a mask's True count stays unknown", () => {
    assert.deepEqual(shapes(run("method.getitem", [T(N, Tn, 32), [L(N), L(N)]]).output), ["N", 32]);
    assert.deepEqual(shapes(run("method.getitem", [T(N, Tn, 32), [S(), L(2, 3)]]).output), ["N", 2, 3, 32]);
    const masked = run("method.getitem", [T(N, 5), [S(), B(5)]]);
    assert.deepEqual(masked.problems, []);
    const out = masked.output as TensorMeta;
    assert.ok(Array.isArray(out.shape) && format(out.shape[0]) === "N" && isUnknown(out.shape[1]));
    assert.ok(isUnknown((run("method.getitem", [T(4, 5), [[unknown("a config value")]]]).output as TensorMeta).shape));
  });

  it("computes Python number arithmetic (and symbolic ints)", () => {
    assert.equal(run("torch.add", [2, 3]).output, 5);
    assert.equal(run("torch.div", [7, 2]).output, 3.5);
    assert.equal(format(run("torch.mul", [N, 2]).output as Dim), "2*N");
    assert.deepEqual(run("torch.mul", [N, 2]).cost, { macs: 0, flops: 0 });
    assert.deepEqual(shapes(run("torch.sub", [1, T(2, 3)]).output), [2, 3]);
  });

  it("gives Unknown instead of numbers past 2^53", () => {
    const big = 2 ** 30;
    const lin = run("F.linear", [T(big, 2 ** 20), T(2 ** 10, 2 ** 20)]);
    assert.deepEqual(shapes(lin.output), [big, 1024]);
    assert.ok(isUnknown(lin.cost) && lin.cost.reason === "FLOPs exceed 2^53");
    const flat = run("torch.flatten", [T(2 ** 40, 2 ** 20)]);
    assert.deepEqual(shapes(flat.output), [null]);
  });

  it("names the op in the no-rule reason as PyTorch records it", () => {
    assert.equal(unknownCost("torch.exp", [T(2, 3)]), "no FLOPs rule for exp in spec v1");
    assert.equal(unknownCost("F.logsigmoid", [T(2, 3)]), "no FLOPs rule for log_sigmoid in spec v1");
    assert.equal(unknownCost("F.threshold", [T(2, 3), 0.1, 0]), "no FLOPs rule for _threshold in spec v1");
    assert.equal(unknownCost("F.normalize", [T(2, 3)]), "no FLOPs rule for normalize in spec v1");
    assert.equal(unknownCost("F.bilinear", [T(2, 3), T(2, 4), T(5, 3, 4)]), "no FLOPs rule for bilinear in spec v1");
    assert.equal(
      unknownCost("F.interpolate", [T(1, 3, 8, 8)], { size: 4, mode: "area" }),
      "no FLOPs rule for interpolate(mode='area') in spec v1",
    );
  });

  it("gives PyTorch's codes for the problems the editor fixes", () => {
    const code = (call: string, args: Parameters<typeof run>[1], kw: Parameters<typeof run>[2] = {}) => run(call, args, kw).problems[0]?.code;
    assert.equal(code("method.view", [T(1, 16, 4, 4), 1, 400]), "shape-mismatch");
    assert.equal(code("torch.add", [T(2, 32), T(2, 16)]), "shape-mismatch");
    assert.equal(code("F.linear", [T(2, 500), T(50, 320)]), "in-features-mismatch");
    assert.equal(code("F.conv2d", [T(1, 1, 32, 32), T(6, 3, 5, 5)]), "channel-mismatch");
    assert.equal(code("F.conv2d", [T(1, 3, 2, 2), T(6, 3, 3, 3)]), "size-too-small");
    assert.equal(code("F.max_pool2d", [T(1, 64, 1, 1), 2]), "size-too-small");
    assert.equal(code("F.group_norm", [T(2, 6, 4, 4), 4]), "groups-mismatch");
    assert.equal(code("F.batch_norm", [T(2, 3, 4), T(4), T(4)]), "channel-mismatch");
  });

  it("keeps the several-ellipsis index of PyTorch unknown rather than guessing", () => {
    const out = run("method.getitem", [T(3, 4), [E, 0, E]]).output as TensorMeta;
    assert.ok(isUnknown(out.shape));
  });
});
