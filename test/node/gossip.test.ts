/**
 * A peer's gossip on its way in (src/node/gossip.ts): repeats are dropped before decoding, the
 * peer pays for every transaction of a batch from its verification budget (so a batch costs what
 * its transactions sent one by one would), and a batch over a bound or over the peer's credit is
 * refused whole, with a reason, without throwing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex, type Hex } from "viem";
import { encodeTxBatchEnvelope, encodeTxEnvelope, MAX_GOSSIP_BATCH_CHARS, MAX_GOSSIP_BATCH_TXS } from "../../src/node/envelope.ts";
import { GossipFilter, GossipReceiver, RECENT_GOSSIP_HASHES } from "../../src/node/gossip.ts";
import { BUDGET_BURST_UNITS, PeerBudget, TX_GOSSIP_COST } from "../../src/node/peer-budget.ts";

const tx = (k: number) => toHex(`transaction ${k}`);

test("the same transaction gossiped over and over passes once, and the flooder runs out of budget", () => {
  const budget = new PeerBudget();
  const gossip = new GossipFilter(budget);
  const verdicts = Array.from({ length: 100_000 }, () => gossip.admitBatch(3, [tx(1)], 0));
  assert.equal(verdicts.filter((v) => v.admit && v.fresh.length === 1).length, 1);
  assert.ok(verdicts.filter((v) => !v.admit).length >= 100_000 - BUDGET_BURST_UNITS / TX_GOSSIP_COST - 1);
  assert.equal(budget.ready(3, 0), false, "out of credit: its consensus messages are not even decoded");
  const relayed = gossip.admitBatch(0, [tx(1)], 0);
  assert.ok(relayed.admit && relayed.fresh.length === 0 && relayed.duplicates === 1, "another peer relaying it is a duplicate too");
});

test("batches buy a flooder nothing: its credit covers as many transactions batched as sent one by one", () => {
  const passed = (batch: number) => {
    const gossip = new GossipFilter(new PeerBudget());
    let n = 0;
    for (let k = 0; k < 60_000; k += batch) {
      const v = gossip.admitBatch(2, Array.from({ length: batch }, (_, i) => tx(k + i)), 0);
      if (v.admit) n += batch;
    }
    return n;
  };
  const single = passed(1);
  assert.ok(single <= BUDGET_BURST_UNITS / TX_GOSSIP_COST + 1, `${single} passed one by one`);
  assert.ok(passed(1_000) <= single, "batched, no more pass");
});

test("remembered hashes stay bounded", () => {
  const gossip = new GossipFilter(new PeerBudget({ unitsPerSecond: 1e9, burstUnits: 1e9 }));
  for (let k = 0; k < 4 * RECENT_GOSSIP_HASHES; k += 100) gossip.admitBatch(1, Array.from({ length: 100 }, (_, i) => tx(k + i)), 0);
  assert.equal(gossip.footprint.gossipRecent, RECENT_GOSSIP_HASHES);
});

function receiver(budget = new PeerBudget()) {
  const admitted: Hex[] = [];
  const logged: Record<string, unknown>[] = [];
  const r = new GossipReceiver({
    budget,
    admission: { gossipedBatch: (txs) => (admitted.push(...txs.map((t) => t.raw)), txs.length) },
    log: (_level, event, fields) => void logged.push({ event, ...fields }),
  });
  return { r, admitted, logged, budget };
}

test("a batch reaches admission in one pass; a lone `tx` frame is a batch of one", () => {
  const { r, admitted } = receiver();
  assert.deepEqual(r.receive(1, encodeTxBatchEnvelope([tx(1), tx(2), tx(3)]), 0), { admitted: 3, duplicates: 0 });
  assert.deepEqual(r.receive(2, encodeTxEnvelope(tx(4)), 0), { admitted: 1, duplicates: 0 });
  assert.deepEqual(r.receive(2, encodeTxBatchEnvelope([tx(1), tx(5)]), 0), { admitted: 1, duplicates: 1 });
  assert.deepEqual(admitted, [tx(1), tx(2), tx(3), tx(4), tx(5)]);
});

test("a batch over the count bound is refused whole, unscanned, counted as oversize, with its reason logged", () => {
  const { r, admitted, logged, budget } = receiver();
  const outcome = r.receive(3, encodeTxBatchEnvelope(Array.from({ length: MAX_GOSSIP_BATCH_TXS + 1 }, (_, i) => tx(i))), 0);
  assert.deepEqual(outcome, { refused: "oversize", reason: `tx batch of ${MAX_GOSSIP_BATCH_TXS + 1} transactions, at most ${MAX_GOSSIP_BATCH_TXS}` });
  const big = `txs ${"0x00".repeat(MAX_GOSSIP_BATCH_CHARS / 4 + 1)}`;
  assert.match((r.receive(3, big, 5_000) as { reason: string }).reason, /tx batch of \d+ characters, at most 1048576/);
  assert.equal(admitted.length, 0);
  assert.deepEqual(budget.refusals(), [{ peer: 3, reason: "oversize", count: 2 }]);
  assert.deepEqual(logged[0], { event: "gossip.refused", from: 3, refused: "oversize", reason: outcome.reason });
});

test("a batch beyond the peer's credit is refused whole, with the reason; smaller ones pass again as credit returns", () => {
  const { r, admitted, budget } = receiver(new PeerBudget({ unitsPerSecond: 10, burstUnits: 50 }));
  const batch = (from: number, n: number) => encodeTxBatchEnvelope(Array.from({ length: n }, (_, i) => tx(from + i)));
  const outcome = r.receive(1, batch(0, 1_000), 0);
  assert.deepEqual(outcome, { refused: "budget", reason: "a batch of 1000 transactions costs 100.0 units, more than peer 1 has left" });
  assert.equal(admitted.length, 0);
  assert.deepEqual(r.receive(1, batch(10_000, 400), 0), { admitted: 400, duplicates: 0 });
  assert.deepEqual(budget.refusals(), [{ peer: 1, reason: "budget", count: 1 }]);
});

test("malformed gossip is refused and counted, never thrown; refusals are logged at most once a second per peer", () => {
  const { r, logged, budget } = receiver();
  for (let t = 0; t < 100; t++) assert.equal((r.receive(2, "txs 0x12 nothex", t) as { refused: string }).refused, "malformed");
  assert.deepEqual(r.receive(2, "tx zz", 200), { refused: "malformed", reason: "tx envelope is not bounded 0x hex" });
  assert.deepEqual(budget.refusals(), [{ peer: 2, reason: "malformed", count: 101 }]);
  assert.equal(logged.length, 1);
  r.receive(2, "txs ", 1_000);
  assert.equal(logged.length, 2);
  assert.equal(logged[1]!.unlogged, 100);
});
