import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatRate, RateMeter, renderStatus } from "../../src/devnet/status.ts";

describe("renderStatus", () => {
  test("renders view, heights, lag, rate and peers on one line", () => {
    assert.equal(
      renderStatus({ view: 1234n, committed: 1200n, finalized: 1180n, txPerSec: 45.26, peers: 3, expectedPeers: 3 }),
      "view 1234 · committed #1200 · finalized #1180 (20 behind) · 45.3 tx/s · peers 3/3",
    );
  });

  test("before the first settlement, finalized says so", () => {
    assert.equal(
      renderStatus({ view: 2, committed: 0, finalized: undefined, txPerSec: 0, peers: 1 }),
      "view 2 · committed #0 · finalized none yet · 0.0 tx/s · peers 1",
    );
  });

  test("a finalized height read after a newer commit shows 0 behind, not a negative lag", () => {
    assert.match(renderStatus({ view: 9, committed: 5, finalized: 6, txPerSec: 1, peers: 0 }), /finalized #6 \(0 behind\)/);
  });

  test("rates of 100/s and more are whole numbers", () => {
    assert.equal(formatRate(99.94), "99.9");
    assert.equal(formatRate(1234.5), "1235");
  });

  test("refuses figures that cannot be right, naming them", () => {
    assert.throws(() => renderStatus({ view: -1, committed: 0, finalized: 0, txPerSec: 0, peers: 0 }), /view must be >= 0, got -1/);
    assert.throws(() => renderStatus({ view: 1.5, committed: 0, finalized: 0, txPerSec: 0, peers: 0 }), /view must be an integer/);
    assert.throws(() => renderStatus({ view: 1, committed: 0, finalized: 0, txPerSec: Number.NaN, peers: 0 }), /txPerSec must be a finite number/);
  });
});

describe("RateMeter", () => {
  test("counts events over the sliding window", () => {
    const meter = new RateMeter({ windowMs: 10_000, startMs: 0 });
    meter.record(100, 1_000);
    meter.record(100, 5_000);
    meter.record(100, 10_000);
    assert.equal(meter.perSecond(10_000), 30);
    // At 12 s the window is (2 s, 12 s]: the sample at 1 s has left it.
    assert.equal(meter.perSecond(12_000), 20);
    assert.equal(meter.perSecond(30_000), 0);
  });

  test("divides by the time since the start while less than a window has passed", () => {
    const meter = new RateMeter({ windowMs: 10_000, startMs: 1_000 });
    assert.equal(meter.perSecond(1_000), 0);
    meter.record(50, 1_500);
    assert.equal(meter.perSecond(3_000), 25);
  });

  test("refuses samples out of time order and negative counts", () => {
    const meter = new RateMeter({ windowMs: 1_000, startMs: 0 });
    meter.record(1, 500);
    assert.throws(() => meter.record(1, 400), /time order: 400 < 500/);
    assert.throws(() => meter.record(-1, 600), /count must be >= 0, got -1/);
    assert.throws(() => new RateMeter({ windowMs: 0, startMs: 0 }), /windowMs must be > 0/);
  });
});
