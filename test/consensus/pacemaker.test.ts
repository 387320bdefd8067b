/** The pacemaker: exponential back-off over views that end by timeout, reset by progress. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Pacemaker } from "../../src/consensus/pacemaker.ts";

describe("pacemaker", () => {
  const config = { baseTimeout: 100, backoffFactor: 2, maxTimeout: 500 };

  test("each view that ends by a TC doubles the next view's duration, up to the cap", () => {
    const p = new Pacemaker(config, 1n);
    p.start(0);
    assert.equal(p.deadline, 100);
    const deadlines = [2n, 3n, 4n, 5n].map((v, i) => (p.enter(v, true, 1000 * (i + 1)), p.deadline - 1000 * (i + 1)));
    assert.deepEqual(deadlines, [200, 400, 500, 500]);
  });

  test("a view reached by a QC resets the back-off", () => {
    const p = new Pacemaker(config, 1n);
    p.enter(2n, true, 0);
    p.enter(3n, true, 0);
    p.enter(4n, false, 10);
    assert.equal(p.deadline, 110);
  });

  test("never moves backwards, and expires only at its deadline", () => {
    const p = new Pacemaker(config, 5n);
    p.start(0);
    assert.equal(p.enter(5n, false, 50), false);
    assert.equal(p.enter(3n, false, 50), false);
    assert.equal(p.view, 5n);
    assert.equal(p.hasExpired(99), false);
    assert.equal(p.hasExpired(100), true);
  });
});
