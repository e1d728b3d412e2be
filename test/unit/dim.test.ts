// Symbolic dimensions: arithmetic, simplification and formatting.
import * as assert from "node:assert/strict";
import { add, ceilDiv, equal, floorDiv, format, mul, product, sub, symbol, toJson } from "../../src/core/dim";
import { isUnknown } from "../../src/core/types";

describe("dim", () => {
  const H = symbol("H");
  const W = symbol("W");

  it("keeps numbers as numbers", () => {
    assert.equal(add(3, 4), 7);
    assert.equal(floorDiv(31 - 3, 2), 14);
    assert.equal(ceilDiv(29, 2), 15);
    assert.equal(floorDiv(-3, 2), -2);
  });

  it("formats the conv shrink H-4 and doubling 2*W", () => {
    assert.equal(format(sub(H, 4)), "H-4");
    assert.equal(format(mul(2, W)), "2*W");
    assert.equal(format(mul(H, W)), "H*W");
    assert.equal(toJson(add(sub(H, 4), 4)), "H");
  });

  it("simplifies floor division where it can", () => {
    // floor((2H + 2)/2) = H + 1
    assert.equal(format(floorDiv(add(mul(2, H), 2), 2)), "H+1");
    // floor((H + 2)/2) stays symbolic
    assert.equal(format(floorDiv(add(H, 2), 2)), "floor(H/2)+1");
    // the conv formula for k=3, p=1, s=1: floor((H + 2 - 2 - 1)/1) + 1 = H
    assert.equal(format(add(floorDiv(sub(add(H, 2), 3), 1), 1)), "H");
    assert.equal(format(ceilDiv(add(H, 1), 2)), "ceil((H+1)/2)");
  });

  it("decides equality when the difference is constant", () => {
    assert.equal(equal(sub(H, 4), sub(H, 4)), true);
    assert.equal(equal(sub(H, 4), H), false);
    assert.equal(equal(H, W), undefined);
    assert.equal(equal(12, 12), true);
  });

  it("divides exactly by a polynomial", () => {
    assert.equal(floorDiv(mul(mul(16, H), W), mul(H, W)), 16);
    assert.ok(isUnknown(floorDiv(H, W)));
  });

  it("turns overflow past 2^53 into unknown", () => {
    assert.ok(isUnknown(product([2 ** 30, 2 ** 30])));
    assert.ok(isUnknown(mul(H, 2 ** 60)));
  });
});
