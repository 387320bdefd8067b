/**
 * The peer set follows the committee at runtime (Network.setPeers): a member learnt from L1 is
 * dialled and authenticated by its key without a restart; one no committee names any more has
 * its link closed and its handshakes refused; a member that is not followed cannot link at all.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventually, members } from "./support.ts";

describe("a peer set that changes at runtime", () => {
  test("a member added to the set is dialled and linked; dropped, its link is closed and it stays out", async () => {
    const { ports, make } = await members();
    const url = (i: number) => `ws://127.0.0.1:${ports[i]}`;
    const events: { event: string; fields: Record<string, unknown> }[] = [];
    const zero = make(0, { log: (event, fields) => events.push({ event, fields }) });
    // Member 0 starts knowing only member 1 (member 2 is not in its committee yet).
    zero.setPeers([{ index: 1, url: url(1) }]);
    const one = make(1);
    const two = make(2);
    await Promise.all([zero.start(), one.start(), two.start()]);
    await eventually(() => zero.connectedPeers().includes(1), "member 0 linked to member 1");
    assert.deepEqual(zero.connectedPeers(), [1], "member 2 is not linked to member 0 while member 0 does not follow it");
    // L1 seats member 2: member 0 (the lower id) dials it.
    zero.setPeers([{ index: 1, url: url(1) }, { index: 2, url: url(2) }]);
    await eventually(() => zero.connectedPeers().includes(2) && two.connectedPeers().includes(0), "member 0 and member 2 linked");
    assert.ok(events.some((e) => e.event === "network.followed" && e.fields.peer === 2));
    // Member 2 leaves every committee member 0 follows: the link is closed and not redialled.
    zero.setPeers([{ index: 1, url: url(1) }]);
    await eventually(() => !two.connectedPeers().includes(0), "member 2 to see its link to member 0 closed");
    assert.deepEqual(zero.connectedPeers(), [1]);
    assert.ok(events.some((e) => e.event === "network.unfollowed" && e.fields.peer === 2));
    assert.equal(zero.send(2, "to a member no longer followed"), false);
  });

  test("an acceptor refuses a member it does not follow, though its key is known", async () => {
    const { ports, make } = await members();
    const one = make(1);
    one.setPeers([{ index: 2, url: `ws://127.0.0.1:${ports[2]}` }]);
    const zero = make(0);
    await Promise.all([one.start(), zero.start()]);
    await eventually(() => one.counters.refusedHandshakes > 0, "member 1 to refuse member 0's hello");
    assert.deepEqual(one.connectedPeers(), []);
    assert.deepEqual(zero.connectedPeers(), []);
  });

  test("a peer without an endpoint is never dialled, only accepted", async () => {
    const { make } = await members();
    const events: string[] = [];
    const zero = make(0, { log: (event) => events.push(event) });
    zero.setPeers([{ index: 2, url: undefined }]);
    await zero.start();
    await eventually(() => events.includes("network.no_endpoint"), "member 0 to say it cannot dial member 2");
    assert.deepEqual(zero.connectedPeers(), []);
  });
});
