// No op rule throws, whatever it is given: problems and unknowns are values (a seeded random sweep).
import * as assert from "node:assert/strict";
import { symbol } from "../../src/core/dim";
import { OP_RULES } from "../../src/core/ops";
import { isTensor, isUnknown, unknown, type ArgValue, type Args } from "../../src/core/types";
import { B, E, L, S, T } from "./ops.support.test";

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = symbol("N");
const VALUES: readonly ArgValue[] = [
  0, 1, 2, 3, -1, -2, 7, 0.5, 2.5, -0.3, 2 ** 60, NaN, Infinity, -Infinity, true, false, null, "...", "same", "valid", "bilinear", "nearest", "area", "foo",
  "dtype:float16", N, unknown("unknown arg"), [], [1], [2, 2], [2, -1], [0, 1, 2], [N, -1], [1, 1, 1, 1], [[2, 3]], [null, 2],
  T(), T(3), T(2, 3), T(1, 3, 8, 8), T(2, 4, 5, 5, 5), T(N, 3, 8), T(0, 3), T(2 ** 40, 2 ** 40), L(2, 3), B(2, 3), T(4, 6, 3, 3),
  { kind: "tensor", shape: unknown("unknown shape"), dtype: "float" }, { kind: "tensor", shape: [unknown("?"), 3], dtype: "float" },
  S(), S(1, -1, 2), S(null, null, 0), { kind: "slice", start: N, stop: unknown("?"), step: null }, [S(), 0], [E, null],
  [T(2, 3), T(2, 3)], [T(2, 3), 1], { kind: "opaque", typeName: "device" },
];

describe("op rules never throw", () => {
  const rand = prng(Number(process.env.FUZZ_SEED ?? 20241128));
  const pick = () => VALUES[Math.floor(rand() * VALUES.length)];
  for (const rule of OP_RULES) {
    it(`${rule.namespaces.join("/")} ${rule.name}`, () => {
      const names = [
        ...rule.signature.params.map((p) => p.name),
        ...(rule.signature.kwOnly ?? []).map((p) => p.name),
        ...(rule.signature.varargs ? [rule.signature.varargs] : []),
      ];
      for (let trial = 0; trial < 200; trial++) {
        const args: Record<string, ArgValue> = {};
        for (const [i, n] of names.entries()) {
          // mostly a tensor first, so the checks past the first one are reached
          args[n] = i === 0 && rand() < 0.6 ? [T(2, 3, 8, 8), T(1, 4, 6), T(5)][trial % 3] : pick();
        }
        const res = rule.apply(args as Args);
        assert.ok(Array.isArray(res.problems));
        assert.ok(isUnknown(res.cost) || (Number.isSafeInteger(res.cost.macs) && Number.isSafeInteger(res.cost.flops)));
        if (res.problems.length > 0) assert.ok(isUnknown(res.output));
        if (isTensor(res.output) && !isUnknown(res.output.shape)) {
          for (const d of res.output.shape) assert.ok(typeof d !== "number" || Number.isSafeInteger(d), `${rule.name}: dim ${d}`);
        }
      }
    });
  }
});
