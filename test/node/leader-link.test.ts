/** Giving up a view early when the member it waits on has no link (src/node/leader-link.ts), on a manual clock. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Clock, Links } from "../../src/node/io.ts";
import { LeaderLinkWatch } from "../../src/node/leader-link.ts";

function manualClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const clock: Clock = {
    now: () => now,
    after(ms, fn) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => (t.live = false);
    },
  };
  const advance = (to: number) => {
    now = to;
    for (const t of timers.filter((x) => x.live && x.at <= to).sort((a, b) => a.at - b.at)) {
      t.live = false;
      t.fn();
    }
  };
  return { clock, advance, pending: () => timers.filter((t) => t.live).map((t) => t.at) };
}

function linksWith(down: Map<number, number>): Links {
  return { send: () => {}, broadcast: () => {}, connectedPeers: () => [], unreachableSince: (peer) => down.get(peer) };
}

describe("leader link watch", () => {
  test("a peer with a link is never given up on", () => {
    const { clock } = manualClock();
    const watch = new LeaderLinkWatch(linksWith(new Map()), clock, 1_000, () => assert.fail("no recheck"));
    assert.equal(watch.downFor(2), undefined);
  });

  test("a link down for less than the grace is not yet a crash: a recheck is set for when the grace ends", () => {
    const { clock, advance, pending } = manualClock();
    const down = new Map([[2, 0]]);
    let rechecks = 0;
    const watch = new LeaderLinkWatch(linksWith(down), clock, 1_000, () => rechecks++);
    advance(400);
    assert.equal(watch.downFor(2), undefined);
    assert.deepEqual(pending(), [1_000]);
    assert.equal(watch.downFor(2), undefined, "asking again sets no second timer");
    assert.deepEqual(pending(), [1_000]);
    advance(1_000);
    assert.equal(rechecks, 1);
    assert.equal(watch.downFor(2), 1_000);
  });

  test("a link that came back within the grace is reachable at the recheck", () => {
    const { clock, advance } = manualClock();
    const down = new Map([[1, 0]]);
    const watch = new LeaderLinkWatch(linksWith(down), clock, 1_000, () => {});
    assert.equal(watch.downFor(1), undefined);
    down.delete(1);
    advance(1_000);
    assert.equal(watch.downFor(1), undefined);
  });

  test("a link-down report schedules a recheck one grace later, when nothing else may happen", () => {
    const { clock, advance, pending } = manualClock();
    let rechecks = 0;
    const watch = new LeaderLinkWatch(linksWith(new Map()), clock, 500, () => rechecks++);
    advance(100);
    watch.linkDown();
    assert.deepEqual(pending(), [600]);
    advance(600);
    assert.equal(rechecks, 1);
  });

  test("a grace of 0 turns the watch off", () => {
    const { clock, pending } = manualClock();
    const watch = new LeaderLinkWatch(linksWith(new Map([[3, -10_000]])), clock, 0, () => {});
    assert.equal(watch.downFor(3), undefined);
    watch.linkDown();
    assert.deepEqual(pending(), []);
  });
});
