// Display formatting: counts with K/M/G, thousands separators, shapes with symbolic dims, jumps as fractions.
import * as assert from "node:assert/strict";
import { sub, symbol } from "../../src/core/dim";
import { formatCount, formatJump, formatShape, formatWithCommas } from "../../src/core/format";
import { unknown } from "../../src/core/types";

describe("format", () => {
  const counts: [number, string][] = [
    [0, "0"],
    [7, "7"],
    [999, "999"],
    [1000, "1K"],
    [1520, "1.52K"],
    [87219, "87.2K"],
    [100000, "100K"],
    [999499, "999K"],
    [999999, "1M"],
    [81470912, "81.5M"],
    [2.35e9, "2.35G"],
    [1_176_000, "1.18M"],
    [2 ** 53 - 1, "9.01P"],
  ];
  for (const [n, want] of counts) {
    it(`formatCount(${n}) = ${want}`, () => assert.equal(formatCount(n), want));
  }

  it("formatCount of unknown values", () => {
    assert.equal(formatCount(unknown("symbolic")), "unknown");
    assert.equal(formatCount(null), "unknown");
    assert.equal(formatCount(Number.NaN), "unknown");
  });

  it("formatWithCommas", () => {
    assert.equal(formatWithCommas(1520), "1,520");
    assert.equal(formatWithCommas(2_352_000), "2,352,000");
    assert.equal(formatWithCommas(999), "999");
    assert.equal(formatWithCommas(-1234567), "-1,234,567");
    assert.equal(formatWithCommas(unknown("x")), "unknown");
  });

  it("formatShape with numbers, symbols and unknown dims", () => {
    const H = symbol("H");
    const W = symbol("W");
    assert.equal(formatShape([1, 20, 28, 28]), "(1, 20, 28, 28)");
    assert.equal(formatShape([symbol("N"), 20, sub(H, 4), sub(W, 4)]), "(N, 20, H-4, W-4)");
    assert.equal(formatShape([2, unknown("?")]), "(2, ?)");
    assert.equal(formatShape([500]), "(500)");
    assert.equal(formatShape([]), "()");
    assert.equal(formatShape(unknown("rank unknown")), "unknown");
  });

  it("formatJump: integers, terminating decimals, other fractions", () => {
    assert.equal(formatJump(1), "1");
    assert.equal(formatJump(8), "8");
    assert.equal(formatJump(0.5), "0.5");
    assert.equal(formatJump(0.25), "0.25");
    assert.equal(formatJump(1.5), "1.5");
    assert.equal(formatJump(1 / 3), "1/3");
    assert.equal(formatJump(2 / 3), "2/3");
    assert.equal(formatJump(4 / 3), "4/3");
    assert.equal(formatJump({ num: 2, den: 6 }), "1/3");
    assert.equal(formatJump({ num: 6, den: 4 }), "1.5");
    assert.equal(formatJump([0.5, 1 / 3]), "[0.5, 1/3]");
    assert.equal(formatJump(null), "-");
    assert.equal(formatJump(unknown("x")), "unknown");
  });
});
