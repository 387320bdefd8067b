/**
 * A flooding peer's gossiped transactions (src/node/gossip.ts): repeats are dropped before
 * Redis, the peer pays for each from its verification budget and runs out, and the submissions
 * waiting on Redis are bounded whatever the peers send.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex } from "viem";
import { GossipFilter, MAX_GOSSIP_IN_FLIGHT, RECENT_GOSSIP_HASHES } from "../../src/node/gossip.ts";
import { BUDGET_BURST_UNITS, PeerBudget, TX_GOSSIP_COST } from "../../src/node/peer-budget.ts";

const tx = (k: number) => toHex(`transaction ${k}`);

test("the same transaction gossiped over and over reaches the intake once, and the flooder runs out of budget", () => {
  const budget = new PeerBudget();
  const gossip = new GossipFilter(budget);
  const verdicts = Array.from({ length: 100_000 }, () => gossip.admit(3, tx(1), 0));
  assert.equal(verdicts.filter((v) => v.admit).length, 1);
  assert.ok(verdicts.filter((v) => !v.admit && v.reason === "budget").length >= 100_000 - BUDGET_BURST_UNITS / TX_GOSSIP_COST - 1);
  assert.equal(budget.ready(3, 0), false, "out of credit: its consensus messages are not even decoded");
  assert.equal(gossip.admit(0, tx(1), 0).admit, false, "another peer relaying it is a duplicate too");
});

test("submissions waiting on Redis and remembered hashes stay bounded", () => {
  const gossip = new GossipFilter(new PeerBudget({ unitsPerSecond: 1e9, burstUnits: 1e9 }));
  let admitted = 0;
  for (let k = 0; k < 4 * RECENT_GOSSIP_HASHES; k++) if (gossip.admit(1, tx(k), 0).admit) admitted++;
  assert.equal(admitted, MAX_GOSSIP_IN_FLIGHT, "Redis answered none: the backlog stops at its bound");
  for (let k = 0; k < admitted; k++) gossip.settled();
  for (let k = 0; k < 4 * RECENT_GOSSIP_HASHES; k++) if (gossip.admit(1, tx(10 ** 6 + k), 0).admit) gossip.settled();
  assert.ok(gossip.footprint.gossipRecent <= RECENT_GOSSIP_HASHES);
  assert.equal(gossip.footprint.gossipInFlight, 0);
});
