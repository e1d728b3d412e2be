// The conv output-size calculator's maths and formula text (PyTorch's formulas, spec/metrics.md §1).
import * as assert from "node:assert/strict";
import { checkField, convOutputSize, CONV_DEFAULTS, describeResult, fieldValue, type ConvSizeParams } from "../../src/extension/convOutputSize";

const conv = (p: Partial<ConvSizeParams> & { input: number | string }): ConvSizeParams => ({ ...CONV_DEFAULTS, ...p });

describe("conv output size calculator", () => {
  it("Conv: I=32, K=5, S=1, P=0 gives 28 (head_tail's first conv), with the formula worked out", () => {
    const r = convOutputSize(conv({ input: 32, kernel: 5 }));
    assert.equal(r.output, 28);
    assert.equal(r.formula, "O = ⌊(I + 2P − D(K − 1) − 1)/S⌋ + 1");
    assert.equal(r.worked, "O = ⌊(32 + 2·0 − 1·(5 − 1) − 1)/1⌋ + 1 = ⌊27/1⌋ + 1 = 28");
    assert.equal(r.error, undefined);
  });

  it("ConvTranspose: 3 → 5 with K=3, S=2, P=1 (the convtranspose_3x3 fixture)", () => {
    const r = convOutputSize(conv({ input: 3, kernel: 3, stride: 2, padding: 1, transposed: true }));
    assert.equal(r.output, 5);
    assert.equal(r.formula, "O = (I − 1)S − 2P + D(K − 1) + OP + 1");
    assert.equal(r.worked, "O = (3 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 5");
  });

  it("table of PyTorch cases: stride, padding, dilation, output padding", () => {
    const cases: [Partial<ConvSizeParams> & { input: number }, number][] = [
      [{ input: 224, kernel: 7, stride: 2, padding: 3 }, 112], // ResNet stem
      [{ input: 112, kernel: 3, stride: 2, padding: 1 }, 56], // its max pool
      [{ input: 32, kernel: 3, padding: 2, dilation: 2 }, 32], // dilated, same size
      [{ input: 28, kernel: 2, stride: 2 }, 14],
      [{ input: 7, kernel: 3, stride: 2 }, 3], // floor
      [{ input: 16, kernel: 4, stride: 2, padding: 1, transposed: true }, 32], // DCGAN up-sampling
      [{ input: 5, kernel: 3, stride: 2, padding: 1, outputPadding: 1, transposed: true }, 10],
      [{ input: 4, kernel: 3, dilation: 2, transposed: true }, 8],
    ];
    for (const [p, o] of cases) assert.equal(convOutputSize(conv(p)).output, o, JSON.stringify(p));
  });

  it("symbolic input sizes give expressions", () => {
    assert.equal(convOutputSize(conv({ input: "H", kernel: 5 })).output, "H-4");
    assert.equal(convOutputSize(conv({ input: "W", kernel: 3, stride: 1, padding: 1 })).output, "W");
    assert.equal(convOutputSize(conv({ input: "H", kernel: 4, stride: 2, padding: 1, transposed: true })).output, "2*H");
  });

  it("what PyTorch refuses has no output and says why", () => {
    const small = convOutputSize(conv({ input: 3, kernel: 5 }));
    assert.equal(small.output, null);
    assert.match(small.error!, /kernel spans 5 but the padded input is only 3/);
    const op = convOutputSize(conv({ input: 3, kernel: 3, stride: 2, outputPadding: 2, transposed: true }));
    assert.equal(op.output, null);
    assert.match(op.error!, /output_padding \(2\) must be smaller than either stride \(2\) or dilation \(1\)/);
    assert.match(convOutputSize(conv({ input: 8, kernel: 0 })).error!, /kernel size must be at least 1/);
    assert.match(convOutputSize(conv({ input: 8, kernel: 3, stride: 0 })).error!, /stride must be at least 1/);
  });

  it("input-box validation and the answer line", () => {
    assert.equal(checkField("32", 1), undefined);
    assert.equal(checkField(" 0 ", 0), undefined);
    assert.equal(checkField("0", 1), "at least 1");
    assert.equal(checkField("3.5", 1), "a whole number");
    assert.equal(checkField("H", 1), "a whole number");
    assert.equal(checkField("H", 1, true), undefined);
    assert.equal(fieldValue(" 32 "), 32);
    assert.equal(fieldValue("H"), "H");
    const p = conv({ input: 32, kernel: 5 });
    assert.equal(describeResult(p, convOutputSize(p)), "Conv (I=32, K=5, S=1, P=0, D=1): output size 28. O = ⌊(32 + 2·0 − 1·(5 − 1) − 1)/1⌋ + 1 = ⌊27/1⌋ + 1 = 28");
  });
});
