// Layers given integer or bool tensors raise what PyTorch 1.13 raises on the CPU; layers that accept them still work.
import * as assert from "node:assert/strict";
import { forwardError, run, shapesOf, tensorOfDtype } from "./layers.helpers";

const Lg = (...s: number[]) => tensorOfDtype("long", ...s);
const B = (...s: number[]) => tensorOfDtype("bool", ...s);

describe("layers: integer and bool inputs", () => {
  const cases: readonly [string, unknown[], Record<string, unknown>, unknown, string][] = [
    ["Linear", [5, 3], {}, Lg(2, 5), "mat1 and mat2 must have the same dtype"],
    ["LSTM", [5, 3], {}, B(2, 1, 5), "mat1 and mat2 must have the same dtype"],
    ["Conv1d", [5, 3, 1], {}, Lg(2, 5, 4), "expected scalar type Long but found Float"],
    ["Conv2d", [5, 3, 1], {}, Lg(2, 5, 4, 4), "Input type (long int) and bias type (float) should be the same"],
    ["Conv2d", [5, 3, 1], { bias: false }, B(2, 5, 4, 4), `"slow_conv2d_cpu" not implemented for 'Bool'`],
    ["BatchNorm2d", [5], {}, Lg(2, 5, 4, 4), `"batch_norm" not implemented for 'Long'`],
    ["LayerNorm", [5], {}, Lg(2, 5), `"LayerNormKernelImpl" not implemented for 'Long'`],
    ["MaxPool2d", [2], {}, Lg(2, 5, 4, 4), `"max_pool2d" not implemented for 'Long'`],
    ["AvgPool2d", [2], {}, B(2, 5, 4, 4), `"avg_pool2d" not implemented for 'Bool'`],
    ["AdaptiveAvgPool2d", [1], {}, Lg(2, 5, 4, 4), "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long"],
    ["Softmax", [], { dim: -1 }, Lg(2, 5), `"softmax_lastdim_kernel_impl" not implemented for 'Long'`],
    ["ReLU", [], {}, B(2, 5), "Boolean inputs not supported for relu"],
    ["Upsample", [], { scale_factor: 2, mode: "bilinear" }, Lg(2, 5, 4, 4), `"compute_indices_weights_linear" not implemented for 'Long'`],
  ];
  for (const [type, args, kwargs, input, message] of cases) {
    it(`${type} on ${(input as { dtype: string }).dtype}`, () => {
      const r = run(type, args as never[], kwargs as never, [input as never]);
      assert.equal(forwardError(r)?.[1].replace(/ \(in .*$/, ""), message);
    });
  }
  it("ReLU, AvgPool2d, Flatten and Dropout run on integers", () => {
    assert.deepEqual(shapesOf(run("ReLU", [], {}, [Lg(2, 5)]).result.output), [2, 5]);
    assert.deepEqual(shapesOf(run("AvgPool2d", [2], {}, [Lg(2, 5, 4, 4)]).result.output), [2, 5, 2, 2]);
    assert.deepEqual(shapesOf(run("Flatten", [], {}, [B(2, 5, 4)]).result.output), [2, 20]);
    assert.equal(forwardError(run("Dropout", [], {}, [Lg(2, 5)])), undefined);
  });
});
