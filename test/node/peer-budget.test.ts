/**
 * The per-peer verification budget (src/node/peer-budget.ts), driven by a virtual clock: what each
 * message costs, that honest traffic at DESIGN §8 loads is never refused, that a flooding peer is
 * held to the rate whatever it sends, and that answers to our own sync requests are free.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createGenesisBlock, type Message, type Proposal, type QC, type Sig, type TC } from "../../src/consensus/index.ts";
import {
  BUDGET_BURST_UNITS,
  BUDGET_UNITS_PER_SECOND,
  costOf,
  MAX_UNANSWERED_SYNC_REQUESTS,
  PAYLOAD_BYTES_PER_UNIT,
  PeerBudget,
  TX_GOSSIP_COST,
} from "../../src/node/peer-budget.ts";

// Costs depend on shapes only (counts, sizes), never on signature bytes: a stand-in signature will do.
const sig: Sig = { toHex: () => `0x${"ab".repeat(96)}` };
const hash = `0x${"11".repeat(32)}` as const;
const genesisQc: QC = { view: 0n, blockHash: hash, signers: 0n, signature: null };
const qc: QC = { view: 7n, blockHash: hash, signers: 0b0111n, signature: sig };
const tc = (highQcViews: bigint[]): TC => ({ view: 8n, signers: 0b0111n, highQcViews, signature: sig, highQc: qc });
const genesis = createGenesisBlock();

function proposal(payloadBytes: number, withTc = false): Proposal {
  const block = { header: { ...genesis.header, number: 1n, view: 9n }, justify: qc, payload: `0x${"00".repeat(payloadBytes)}` as const };
  return withTc ? { block, proposer: 0, signature: sig, tc: tc([7n, 7n, 7n]) } : { block, proposer: 0, signature: sig };
}

const vote: Message = { kind: "vote", vote: { view: 9n, blockHash: hash, signer: 1, signature: sig } };
const timeout: Message = { kind: "timeout", timeout: { view: 9n, highQc: qc, signer: 1, signature: sig } };
const syncRequest: Message = { kind: "sync-request", blockHash: hash, limit: 128, above: 0n };
const syncResponse = (proposals: Proposal[]): Message => ({ kind: "sync-response", proposals });

describe("what a message costs, in signature checks", () => {
  test("votes, timeouts, certificates and proposals cost their pairings, plus the payload's share", () => {
    assert.equal(costOf(vote), 1);
    assert.equal(costOf(timeout), 2, "its signature and its high QC");
    assert.equal(costOf({ ...timeout, seen: { blockHash: hash, signature: sig } } as Message), 3, "and the leader signature it carries");
    assert.equal(costOf({ kind: "qc", qc }), 1);
    assert.equal(costOf({ kind: "qc", qc: genesisQc }), 1, "every message costs at least one unit");
    assert.equal(costOf({ kind: "tc", tc: tc([7n, 7n, 7n]) }), 2, "one distinct high-QC view and the high QC");
    assert.equal(costOf({ kind: "tc", tc: tc([5n, 6n, 7n]) }), 4, "each distinct view is one more hash to G2 and Miller loop");
    assert.equal(costOf({ kind: "proposal", proposal: proposal(0) }), 2);
    assert.equal(costOf({ kind: "proposal", proposal: proposal(0, true) }), 4);
    assert.equal(costOf({ kind: "proposal", proposal: proposal(10 * PAYLOAD_BYTES_PER_UNIT + 1) }), 2 + 11);
  });

  test("a sync request costs what answering it costs; a sync answer, each proposal it carries", () => {
    assert.equal(costOf(syncRequest), 33);
    assert.equal(costOf({ ...syncRequest, limit: 1 } as Message), 2);
    assert.equal(costOf(syncResponse([proposal(0), proposal(2048, true)])), 1 + 2 + 6);
  });

  test("the costliest legitimate message fits in one burst: a ~2 MiB sync page of 128 blocks", () => {
    // 1 MiB of payload (2 MiB as hex on the wire) spread over 128 proposals, each with a TC.
    const page = syncResponse(Array.from({ length: 128 }, () => proposal(8 * 1024, true)));
    assert.ok(costOf(page) <= BUDGET_BURST_UNITS, `page costs ${costOf(page)}, burst is ${BUDGET_BURST_UNITS}`);
  });
});

describe("per-peer budget", () => {
  test("honest traffic at DESIGN §8 loads is never refused", () => {
    // Worst case for one peer: it leads every view (10 blocks/s of 500 tx/s, ~110 bytes each),
    // sends us a vote and a QC each view, a timeout every second, gossips all 500 tx/s from its
    // wallets, and lags behind, asking for 128 blocks twice a second: for ten minutes.
    const budget = new PeerBudget();
    const block = { kind: "proposal", proposal: proposal(50 * 110) } as const;
    for (let ms = 0; ms < 600_000; ms += 100) {
      for (const m of [block, vote, { kind: "qc", qc } as const]) assert.ok(budget.admit(1, m, ms), `${m.kind} at ${ms} ms`);
      for (let i = 0; i < 50; i++) assert.ok(budget.take(1, TX_GOSSIP_COST, ms), `transaction at ${ms} ms`);
      if (ms % 1000 === 0) assert.ok(budget.admit(1, timeout, ms), `timeout at ${ms} ms`);
      if (ms % 500 === 0) assert.ok(budget.admit(1, syncRequest, ms), `sync request at ${ms} ms`);
    }
    assert.deepEqual(budget.refusals(), []);
  });

  test("a flooding peer gets one burst and then the rate, whatever it sends; the others are untouched", () => {
    const budget = new PeerBudget();
    const seconds = 20;
    let admitted = 0;
    const kinds = [vote, timeout, syncRequest, { kind: "tc", tc: tc([5n, 6n, 7n]) } as Message];
    for (let ms = 0; ms < seconds * 1000; ms += 1) {
      // 4,000 messages/s, cycling through kinds; the member decodes only what `ready` lets through.
      for (const m of kinds) if (budget.ready(3, ms) && budget.admit(3, m, ms)) admitted += costOf(m);
    }
    const bound = BUDGET_BURST_UNITS + BUDGET_UNITS_PER_SECOND * seconds;
    assert.ok(admitted <= bound, `flooder was admitted ${admitted} units in ${seconds} s, bound ${bound}`);
    assert.ok(admitted >= BUDGET_UNITS_PER_SECOND * seconds * 0.9, `flooder still gets its rate: ${admitted} units`);
    const refused = budget.refusals();
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.peer, 3);
    assert.equal(refused[0]!.reason, "budget");
    assert.ok(budget.admit(1, vote, seconds * 1000), "another peer's vote");
  });

  test("a refused message still costs its decoding: a peer cannot make us decode for free", () => {
    const budget = new PeerBudget({ unitsPerSecond: 10, burstUnits: 20 });
    const big = { kind: "proposal", proposal: proposal(40 * PAYLOAD_BYTES_PER_UNIT) } as const;
    let decoded = 0;
    for (let i = 0; i < 1000; i++) {
      if (!budget.ready(2, 0)) continue;
      decoded++;
      assert.equal(budget.admit(2, big, 0), false, "costs more than the burst");
    }
    assert.equal(decoded, 20, "one unit per refused decode, out of a burst of 20");
  });

  test("answers to our own sync requests are admitted free, at most MAX_UNANSWERED_SYNC_REQUESTS of them", () => {
    const budget = new PeerBudget({ unitsPerSecond: 10, burstUnits: 20 });
    const page = syncResponse(Array.from({ length: 128 }, () => proposal(1024)));
    assert.equal(budget.admit(1, page, 0), false, "an unsolicited page is charged, and costs more than this budget");
    for (let i = 0; i < MAX_UNANSWERED_SYNC_REQUESTS + 3; i++) budget.expectAnswer(1);
    for (let i = 0; i < MAX_UNANSWERED_SYNC_REQUESTS; i++) assert.ok(budget.admit(1, page, 0), `answer ${i}`);
    assert.equal(budget.admit(1, page, 0), false, "requests beyond the cap earn nothing");
    assert.equal(budget.admit(2, page, 0), false, "a request to one peer is no credit for another");
  });

  test("refusals are counted per peer and reason", () => {
    const budget = new PeerBudget({ unitsPerSecond: 1, burstUnits: 1 });
    assert.ok(budget.admit(0, vote, 0));
    assert.equal(budget.admit(0, vote, 0), false);
    budget.count(2, "malformed");
    budget.count(2, "malformed");
    assert.deepEqual(budget.refusals(), [
      { peer: 0, reason: "budget", count: 1 },
      { peer: 2, reason: "malformed", count: 2 },
    ]);
  });
});
