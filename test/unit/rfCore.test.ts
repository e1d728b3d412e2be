// Receptive-field core: fractions, span engines, the API contract, symbolic sizes and limits.
import * as assert from "node:assert/strict";
import { mul, symbol, sub, type Dim } from "../../src/core/dim";
import {
  Fraction,
  GLOBAL,
  InState,
  MISSING,
  UNKNOWN,
  inputRfState,
  isMissing,
  layerRf,
  opRf,
  rfReport,
  stateOf,
  withRf,
  type RfState,
} from "../../src/core/rf";
import { fractionToJson } from "../../src/core/rf/fraction";
import { UnionDim, WindowDim } from "../../src/core/rf/spanDims";
import { InputDim, type SpanDim, type Window } from "../../src/core/rf/spans";
import { convTransposeWindow, convWindow } from "../../src/core/rf/windows";
import type { Args, TensorMeta } from "../../src/core/types";
import { tensor } from "./rfChain";

const layer = (type: string, args: Args, x: TensorMeta, out: Dim[]): TensorMeta => withRf(tensor(out), layerRf(type, args, [x], {}, tensor(out)));
const op = (name: string, args: Args, out: Dim[]): TensorMeta => withRf(tensor(out), opRf(name, args, tensor(out)));
const report = (t: TensorMeta): unknown => rfReport(stateOf(t));

describe("rf fractions", () => {
  it("limits a float scale like Python's Fraction.limit_denominator(10**6)", () => {
    assert.equal(Fraction.fromDouble(1.7).limitDenominator(1_000_000n).toString(), "17/10");
    assert.equal(Fraction.fromDouble(1 / 3).limitDenominator(1_000_000n).toString(), "1/3");
    assert.equal(Fraction.fromDouble(0.1).toString(), "3602879701896397/36028797018963968");
  });

  it("prints like Python's float(Fraction)", () => {
    assert.equal(fractionToJson(new Fraction(1, 3)), 0.3333333333333333);
    assert.equal(fractionToJson(new Fraction(10, 17)), 0.5882352941176471);
    assert.equal(fractionToJson(new Fraction(12)), 12);
    // beyond 2^53: correctly rounded, not Number(a) / Number(b)
    assert.equal(new Fraction(10n ** 30n + 1n, 3n * 10n ** 29n).toNumber(), 3.3333333333333335);
  });
});

/** r of a chain built from windows over an input of size n, optionally forcing per-position arrays. */
function chainR(n: number, layers: [number, number, number, number][], arrays: boolean): number | null {
  let d: SpanDim = new InputDim(n);
  if (arrays) d = new WindowDim(d, n, Fraction.ONE, { kind: "map", lo: (o) => o, hi: (o) => o });
  for (const [k, s, p, dil] of layers) {
    n = Math.floor((n + 2 * p - dil * (k - 1) - 1) / s) + 1;
    if (n < 1) return null;
    d = new WindowDim(d, n, d.jump.mul(new Fraction(s)), convWindow(k, s, p, dil) as Window);
  }
  return d.r();
}

describe("rf span engines", () => {
  it("closed-form conv chains agree with per-position spans (and with the recurrence)", () => {
    let seed = 7;
    const rand = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % m;
    for (let t = 0; t < 40; t++) {
      const layers: [number, number, number, number][] = [];
      for (let l = 0; l < 1 + rand(6); l++) layers.push([1 + rand(5), 1 + rand(3), rand(3), 1 + rand(3)]);
      const n = 40 + rand(60);
      const r = chainR(n, layers, false);
      assert.equal(chainR(n, layers, true), r, JSON.stringify(layers));
      if (r !== null) {
        let rr = 1;
        let j = 1;
        for (const [k, s, , dil] of layers) [rr, j] = [rr + dil * (k - 1) * j, j * s];
        assert.equal(r, rr);
      }
    }
  });

  it("scans windows that move back and forth", () => {
    const input = new InputDim(10);
    const mirrored = new WindowDim(input, 10, Fraction.ONE, { kind: "map", lo: (o) => 9 - o, hi: (o) => 9 - o });
    const up = new WindowDim(mirrored, 19, new Fraction(1, 2), convTransposeWindow(3, 2, 0, 1) as Window);
    const conv = new WindowDim(up, 17, new Fraction(1, 2), convWindow(3, 1, 0, 1) as Window);
    assert.equal(conv.r(), 3);
    const s = conv.get(0, 16);
    // conv(0) reads up(0..2): inputs 10, 9 (mirrored -1 and 0), 9, then 8 and 9
    assert.deepEqual([s.lo[0 - s.start], s.hi[0 - s.start]], [8, 10]);
  });

  it("unions of misaligned branches widen the span", () => {
    const x = new InputDim(16);
    const a = new WindowDim(x, 16, Fraction.ONE, convWindow(3, 1, 1, 1) as Window); // [o-1, o+1]
    const b = new WindowDim(x, 14, Fraction.ONE, convWindow(3, 1, 0, 1) as Window); // [o, o+2]
    assert.equal(new UnionDim([a, b], 14, Fraction.ONE).r(), 4);
  });
});

describe("rf API contract", () => {
  it("float model inputs start as InState, integer ones as null; rf absent is MISSING", () => {
    assert.ok(inputRfState("float") instanceof InState);
    assert.equal(inputRfState("long"), null);
    assert.equal(stateOf(tensor([1, 3])), MISSING);
    assert.equal(stateOf(3), MISSING);
    assert.ok(isMissing(opRf("relu", { input: tensor([4, 4]) }, tensor([4, 4]))));
  });

  it("the model input is spatial only once a spatial layer reads it (reported at the end)", () => {
    const x = tensor([1, 3, 8, 8], inputRfState("float"));
    const d = layer("Dropout", {}, x, [1, 3, 8, 8]);
    assert.deepEqual(report(d), { rf: null, jump: null });
    layer("Conv2d", { kernel_size: 3 }, x, [1, 4, 6, 6]);
    assert.deepEqual(report(d), { rf: 1, jump: 1 });
    const v = tensor([2, 5], inputRfState("float"));
    assert.equal(stateOf(layer("Linear", {}, v, [2, 3])), null);
    assert.equal(stateOf(op("mean", { input: v }, [])), GLOBAL);
  });

  it("withRf shares one state across a tuple; MISSING leaves it as it is", () => {
    const st = new InState();
    const [a, b] = withRf([tensor([1]), tensor([2])], st) as TensorMeta[];
    assert.equal(a.rf, st);
    assert.equal(b.rf, st);
    assert.equal(withRf(tensor([1]), MISSING).rf, undefined);
  });

  it("ops without a rule: global wins, non-spatial operands give null, else unknown", () => {
    const img = layer("Conv2d", { kernel_size: 3 }, tensor([1, 3, 8, 8], inputRfState("float")), [1, 4, 6, 6]);
    const tok = tensor([2, 5, 8], inputRfState("float"));
    assert.equal(opRf("matmul", { input: tok, other: tok }, tensor([2, 5, 5])), null);
    assert.equal(opRf("matmul", { input: img, other: img }, tensor([1, 4, 6, 6])), UNKNOWN);
    assert.equal(opRf("matmul", { input: img, other: tensor([1], GLOBAL) }, tensor([1, 4, 6, 6])), GLOBAL);
    assert.equal(opRf("matmul", { input: tensor([3, 3]) }, tensor([3, 3])), MISSING);
    assert.equal(layerRf("FancyBlock", {}, [img], {}, tensor([1, 4, 6, 6])), UNKNOWN);
    assert.equal(layerRf("FancyBlock", {}, [tensor([3])], {}, tensor([3])), null);
  });

  it("layers PyTorch traces through ops without a rule are unknown; Softmin and friends keep r", () => {
    // oracle: LocalResponseNorm, GLU, ChannelShuffle, LPPool2d, Unfold, CosineSimilarity null; the rest 3 / 1
    const x = layer("Conv2d", { kernel_size: 3 }, tensor([1, 3, 12, 12], inputRfState("float")), [1, 8, 10, 10]);
    for (const t of ["LocalResponseNorm", "GLU", "ChannelShuffle", "LPPool2d", "Unfold", "CosineSimilarity"]) {
      assert.deepEqual(report(layer(t, {}, x, [1, 8, 10, 10])), { rf: null, jump: null }, t);
    }
    for (const t of ["Softmin", "Identity", "AlphaDropout", "Softmax2d", "Threshold"]) {
      assert.deepEqual(report(layer(t, {}, x, [1, 8, 10, 10])), { rf: 3, jump: 1 }, t);
    }
    assert.deepEqual(report(layer("PixelShuffle", { upscale_factor: 1 }, x, [1, 8, 10, 10])), { rf: 3, jump: 1 });
  });

  it("attention and transformer layers: global over spatial tokens, null over tokens from the start", () => {
    const img = layer("Conv2d", { kernel_size: 4, stride: 4 }, tensor([1, 3, 16, 16], inputRfState("float")), [1, 8, 4, 4]);
    const t = op("transpose", { input: op("flatten", { input: img, start_dim: 2 }, [1, 8, 16]), dim0: 1, dim1: 2 }, [1, 16, 8]);
    assert.deepEqual(report(t), { rf: 4, jump: 4 });
    assert.equal(layerRf("MultiheadAttention", {}, [t, t, t], {}, [tensor([1, 16, 8]), null]), GLOBAL);
    assert.equal(layerRf("TransformerEncoderLayer", {}, [t], {}, tensor([1, 16, 8])), GLOBAL);
    const words = tensor([1, 16, 8], null);
    assert.equal(layerRf("MultiheadAttention", {}, [], { query: words, key: words, value: words }, [tensor([1, 16, 8]), null]), null);
  });

  it("indexing: ints and masks drop the rule, None and ... keep it, the input's rank change is null", () => {
    const x = tensor([1, 3, 8, 8], inputRfState("float"));
    const y = layer("Conv2d", { kernel_size: 3 }, x, [1, 4, 6, 6]);
    const all = { kind: "slice", start: null, stop: null, step: null } as const;
    assert.equal(opRf("getitem", { input: y, index: [all, all, 2] }, tensor([1, 4, 6])), UNKNOWN);
    assert.equal(opRf("getitem", { input: y, index: tensor([1, 4, 6, 6], undefined, "bool") }, tensor([144])), UNKNOWN);
    assert.equal(opRf("getitem", { input: y, index: ["...", null] }, tensor([1, 4, 6, 6, 1])), stateOf(y));
    assert.equal(opRf("getitem", { input: y, index: 0 }, tensor([4, 6, 6])), stateOf(y));
    assert.equal(opRf("getitem", { input: x, index: 0 }, tensor([3, 8, 8])), null);
  });
});

describe("rf with symbolic sizes", () => {
  const H = symbol("H");
  const W = symbol("W");

  it("conv/pool chains, skips and flatten keep exact numbers without concrete sizes", () => {
    const x = tensor([1, 3, H, W], inputRfState("float"));
    let y = layer("Conv2d", { kernel_size: 7, stride: 2, padding: 3 }, x, [1, 8, H, W]);
    y = layer("MaxPool2d", { kernel_size: 3, stride: 2, padding: 1 }, y, [1, 8, H, W]);
    const z = layer("Conv2d", { kernel_size: 3, padding: 1 }, y, [1, 8, H, W]);
    const s = op("add", { input: y, other: z }, [1, 8, H, W]);
    assert.deepEqual(report(s), { rf: 19, jump: 4 });
    const crop = op("getitem", { input: s, index: ["...", { kind: "slice", start: 2, stop: null, step: 2 }] }, [1, 8, H, W]);
    assert.deepEqual(report(layer("Conv2d", { kernel_size: 3 }, crop, [1, 8, H, sub(W, 2)])), { rf: [27, 35], jump: [4, 8] });
    assert.deepEqual(report(layer("Flatten", {}, s, [1, mul(8, mul(H, W))])), { rf: 19, jump: 4 });
  });

  it("global pools work; upsampling and adaptive pools need sizes and are unknown", () => {
    const x = tensor([1, 3, H, W], inputRfState("float"));
    const y = layer("Conv2d", { kernel_size: 3 }, x, [1, 8, sub(H, 2), sub(W, 2)]);
    assert.equal(stateOf(layer("AdaptiveAvgPool2d", { output_size: 1 }, y, [1, 8, 1, 1])), GLOBAL);
    assert.equal(stateOf(layer("AdaptiveAvgPool2d", { output_size: 7 }, y, [1, 8, 7, 7])), UNKNOWN);
    assert.equal(stateOf(layer("Upsample", { scale_factor: 2 }, y, [1, 8, H, W])), UNKNOWN);
    assert.equal(stateOf(layer("ConvTranspose2d", { kernel_size: 3, stride: 2 }, y, [1, 8, H, W])), UNKNOWN);
    assert.deepEqual(report(layer("ConvTranspose2d", { kernel_size: 3 }, y, [1, 8, H, W])), { rf: 5, jump: 1 });
  });
});

describe("rf limits", () => {
  it("a spatial size beyond 1e6 that needs per-position spans is unknown, at once", () => {
    const x = tensor([1, 1, 3_000_000], inputRfState("float"));
    assert.equal(stateOf(layer("Upsample", { scale_factor: 2 }, x, [1, 1, 6_000_000])), UNKNOWN);
    // conv chains need no arrays: any size works
    assert.deepEqual(report(layer("Conv1d", { kernel_size: 5, stride: 2 }, x, [1, 1, 1_499_998])), { rf: 5, jump: 2 });
  });

  it("huge padding after an upsample reports null instead of allocating", () => {
    const x = tensor([1, 1, 100], inputRfState("float"));
    const up = layer("ConvTranspose1d", { kernel_size: 2, stride: 2 }, x, [1, 1, 200]);
    const y = layer("Conv1d", { kernel_size: 3, padding: 10 ** 9 }, up, [1, 1, 2 * 10 ** 9 + 198]);
    assert.equal(stateOf(y), UNKNOWN);
    assert.deepEqual(report(up), { rf: 1, jump: 0.5 });
    // a 3e6-wide dilated window: the spans of `up` would be needed over 3e6 positions
    const z = layer("Conv1d", { kernel_size: 2, dilation: 3_000_000, padding: 1_500_000 }, up, [1, 1, 200]);
    assert.deepEqual(report(z), { rf: null, jump: null });
  });

  it("jumps beyond 2^53 are unknown, not wrong", () => {
    let x = tensor([1, 1, 1], inputRfState("float"));
    let st: RfState = null;
    for (let i = 0; i < 60; i++) {
      x = layer("Conv1d", { kernel_size: 1, stride: 2 }, x, [1, 1, 1]);
      st = stateOf(x);
    }
    assert.equal(st, UNKNOWN);
  });
});
