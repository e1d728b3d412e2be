// The fuzz suite, short and with a fixed seed: edited fixtures, generated programs, every truncation step; `npm run fuzz` runs it long.
import * as assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../../src/python/errors";
import { describeFailure, runCampaign } from "../fuzz/campaign";
import { fixtureSources, truncations } from "../fuzz/mutations";
import { checkInput } from "../fuzz/properties";

// CI machines are shared and slow: an analysis counts as over its budget only far past it (the long run is strict).
const CI_MARGIN_MILLIS = 4 * DEFAULT_LIMITS.maxMillis;

describe("fuzz (fixed seed)", function () {
  this.timeout(300_000);

  it("never throws, keeps to its budget, reports sane numbers and positions, and leaves models the edit cannot reach alone", () => {
    const stats = runCampaign({ runs: 250, seed: 20_250_601, marginMillis: CI_MARGIN_MILLIS });
    const failures = stats.failures.map((f) => describeFailure(f, 1500)).join("\n\n");
    assert.equal(stats.inputs, 250);
    assert.equal(stats.exceptions + stats.overruns + stats.invariantViolations + stats.localityViolations, 0, failures);
    assert.ok(stats.comparedModels > 0, "the locality property compared no model");
  });

  it("survives every fixture cut short at every 150th character (a file typed top to bottom)", () => {
    const problems: string[] = [];
    for (const [file, text] of fixtureSources()) {
      for (const cut of truncations(text, 150)) {
        const r = checkInput(cut, { marginMillis: CI_MARGIN_MILLIS });
        if (r.threw || r.overrun || r.violations.length > 0) {
          problems.push(`${file} cut at ${cut.length}: ${r.threw ?? (r.overrun ? `${r.cpuMillis.toFixed(0)} ms` : r.violations.join("; "))}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
