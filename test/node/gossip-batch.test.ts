/**
 * Gossip in batches (src/node/gossip-batch.ts, gossip.ts): what a member accepted goes to its
 * peers many to a frame, over real authenticated links, into each peer's mempool in one pass;
 * a bad transaction in a batch costs only itself; a batch over a bound is refused with its reason
 * and the link carries on.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Address, Hex } from "viem";
import { Mempool, type Account } from "../../src/execution/index.ts";
import { Admission } from "../../src/node/admission.ts";
import { encodeTxBatchEnvelope, MAX_GOSSIP_BATCH_CHARS, MAX_GOSSIP_BATCH_TXS } from "../../src/node/envelope.ts";
import { GossipBatch } from "../../src/node/gossip-batch.ts";
import { GossipReceiver, type GossipOutcome } from "../../src/node/gossip.ts";
import { PeerBudget } from "../../src/node/peer-budget.ts";
import type { TxIntake } from "../../src/queues/index.ts";
import { ETHER, keys, signTransaction, testConfig, transfer } from "../execution/fixtures.ts";
import { eventually, members } from "../network/support.ts";

/** A fake clock and timer queue: `later` records, `run()` fires what is due. */
function fakeTimers() {
  let now = 0;
  let timers: { at: number; run: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    later: (ms: number, run: () => void) => {
      const t = { at: now + ms, run, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.live && t.at <= now);
      timers = timers.filter((t) => t.live && t.at > now);
      for (const t of due) t.run();
    },
    get waiting() {
      return timers.filter((t) => t.live).map((t) => t.at - now);
    },
  };
}

const raw = (k: number): Hex => `0x${k.toString(16).padStart(200, "0")}`;
const entries = (frame: string) => frame.slice(4).split(" ");

describe("a member's outgoing gossip", () => {
  test("a lone transaction on an idle member leaves at the end of the turn, not after a window", () => {
    const clock = fakeTimers();
    const frames: string[] = [];
    const out = new GossipBatch({ broadcast: (d) => frames.push(d), ...clock });
    out.add(raw(1));
    assert.deepEqual(clock.waiting, [0], "scheduled for the end of this turn");
    clock.advance(0);
    assert.deepEqual(frames, [`txs ${raw(1)}`]);
  });

  test("while transactions keep coming, one frame per window carries all the window gathered", () => {
    const clock = fakeTimers();
    const frames: string[] = [];
    const out = new GossipBatch({ broadcast: (d) => frames.push(d), windowMs: 5, ...clock });
    out.add(raw(0));
    clock.advance(0);
    for (let k = 1; k <= 30; k++) {
      out.add(raw(k));
      clock.advance(0.5);
    }
    assert.equal(frames.length, 4, "at 0, 5, 10 and 15 ms");
    clock.advance(5);
    assert.deepEqual(frames.flatMap(entries), Array.from({ length: 31 }, (_, k) => raw(k)), "every transaction once, in order");
  });

  test("a full batch leaves at once; frames never pass the peers' bounds", () => {
    const clock = fakeTimers();
    const frames: string[] = [];
    const out = new GossipBatch({ broadcast: (d) => frames.push(d), ...clock });
    for (let k = 0; k < MAX_GOSSIP_BATCH_TXS; k++) out.add(raw(k));
    assert.equal(frames.length, 1, "sent without waiting for a timer");
    assert.equal(entries(frames[0]!).length, MAX_GOSSIP_BATCH_TXS);
    const big = (k: number): Hex => `0x${k.toString(16).padStart(8192, "0")}`;
    for (let k = 0; k < 300; k++) out.add(big(k));
    out.flush();
    assert.ok(frames.every((f) => f.length <= 4 + MAX_GOSSIP_BATCH_CHARS));
    assert.equal(frames.slice(1).flatMap(entries).length, 300);
  });
});

/** A peer's chain: a real mempool over committed accounts the test funds. */
function peerChain(funded: readonly Address[]) {
  const mempool = new Mempool();
  const accounts = new Map<Address, Account>(funded.map((a) => [a, { nonce: 0n, balance: 10n * ETHER }]));
  return {
    mempool,
    checkAdmission: () => {},
    addToMempool: (tx: Parameters<Mempool["add"]>[0]) => void mempool.add(tx, accounts.get(tx.from) ?? { nonce: 0n, balance: 0n }),
  };
}

describe("batches between members over real links", () => {
  test("many accepted transactions cross in one frame and each reaches the peer's mempool; a bad one is refused alone; an oversized batch is refused and the link survives", async () => {
    const senders = keys(50, "batch");
    const { make } = await members();
    const [a, b] = [make(0), make(1)];
    await Promise.all([a.start(), b.start()]);
    await eventually(() => a.connectedPeers().includes(1) && b.connectedPeers().includes(0), "the link");

    // Member 1's side: its budget, its mempool, one propose nudge per batch.
    const chain = peerChain(senders.map((s) => s.address));
    let nudges = 0;
    const logged: string[] = [];
    const admission = new Admission({
      config: { execution: testConfig() } as never,
      chain,
      intake: {} as TxIntake,
      gossip: { add: () => assert.fail("a peer's gossip is not gossiped again") },
      log: (_level, event) => void logged.push(event),
      onAdmitted: () => void nudges++,
    });
    const budget = new PeerBudget();
    const receiver = new GossipReceiver({ budget, admission, log: (_level, event) => void logged.push(event) });
    const outcomes: GossipOutcome[] = [];
    b.onMessage((from, data) => void outcomes.push(receiver.receive(from, data, Date.now())));

    // Member 0 accepted 200 transfers (4 per sender) and a transfer for another chain.
    const good = senders.flatMap((s) => [0n, 1n, 2n, 3n].map((nonce) => transfer(s, { nonce })));
    const foreign = signTransaction(senders[0]!, { nonce: 4n, chainId: 1n });
    const out = new GossipBatch({ broadcast: (d) => a.broadcast(d) });
    for (const tx of good.slice(0, 100)) out.add(tx.raw);
    out.add(foreign);
    for (const tx of good.slice(100)) out.add(tx.raw);
    await eventually(() => outcomes.length >= 1, "the batch at member 1");
    assert.deepEqual(outcomes, [{ admitted: 200, duplicates: 0 }], "one frame, every good transaction admitted");
    assert.equal(chain.mempool.size, 200);
    for (const tx of good) assert.ok(chain.mempool.has(tx.hash));
    assert.equal(nudges, 1, "one propose nudge for the batch");
    assert.ok(logged.includes("tx.refused"), "the foreign transaction refused on its own");

    // A peer's batch over the count bound: refused with its reason, and the next frame on the same link is read.
    a.send(1, encodeTxBatchEnvelope(Array.from({ length: MAX_GOSSIP_BATCH_TXS + 1 }, (_, k) => raw(k))));
    await eventually(() => outcomes.length >= 2, "the oversized batch at member 1");
    assert.deepEqual(outcomes[1], { refused: "oversize", reason: `tx batch of ${MAX_GOSSIP_BATCH_TXS + 1} transactions, at most ${MAX_GOSSIP_BATCH_TXS}` });
    const late = transfer(senders[1]!, { nonce: 4n });
    out.add(late.raw);
    await eventually(() => outcomes.length >= 3, "the next batch at member 1");
    assert.deepEqual(outcomes[2], { admitted: 1, duplicates: 0 });
    assert.ok(chain.mempool.has(late.hash));
    assert.ok(b.connectedPeers().includes(0), "the link is still up");
    assert.deepEqual(budget.refusals(), [{ peer: 0, reason: "oversize", count: 1 }]);
  });
});
