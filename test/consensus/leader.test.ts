/** The leader rules (leader.ts): round-robin, and Carousel over a committed chain built by hand. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Hex } from "viem";
import { carousel, roundRobin, type CommittedChain, type CommittedEntry } from "../../src/consensus/leader.ts";
import { createGenesisBlock, type Proposal } from "../../src/consensus/index.ts";

const genesis = createGenesisBlock();
const sig = { toHex: (): Hex => "0x00" };
const h = (n: bigint): Hex => `0x${n.toString(16).padStart(64, "0")}`;

/** A committed chain with one block per listed view: [view, proposer, justify signers]. */
function chain(blocks: readonly (readonly [view: bigint, proposer: number, signers: readonly number[]])[]): CommittedChain {
  const entries: CommittedEntry[] = [{ block: genesis, proposal: null }];
  for (const [i, [view, proposer, signers]] of blocks.entries()) {
    const bitmap = signers.reduce((b, m) => b | (1n << BigInt(m)), 0n);
    const block = {
      ...genesis,
      header: { ...genesis.header, number: BigInt(i + 1), view, parentHash: h(BigInt(i)) },
      justify: { view: view - 1n, blockHash: h(BigInt(i)), signers: bitmap, signature: sig },
    };
    const proposal: Proposal = { block, proposer, signature: sig };
    entries.push({ block, proposal });
  }
  return {
    root: entries.at(-1)!,
    committedAt: (view) => entries.find((e) => e.block.header.view === view),
    parentOf: (entry) => (entry.proposal === null ? undefined : entries[entries.indexOf(entry) - 1]),
  };
}

/** Views 1..k committed back to back, member view % 4 proposing, everyone but `absent` signing. */
function healthy(k: number, absent: readonly number[] = []): CommittedChain {
  const signers = [0, 1, 2, 3].filter((m) => !absent.includes(m));
  return chain(Array.from({ length: k }, (_, i) => [BigInt(i + 1), (i + 1) % 4, signers] as const));
}

describe("leader rules", () => {
  test("round-robin: member view mod n, whatever is committed", () => {
    const rule = roundRobin(4);
    assert.deepEqual([0n, 1n, 5n, 7n].map((v) => rule.leaderOf(v, healthy(3))), [0, 1, 1, 3]);
  });

  test("carousel is deterministic: two members holding the same committed chain name the same leaders", () => {
    const a = carousel(4);
    const b = carousel(4);
    const views = Array.from({ length: 20 }, (_, i) => BigInt(i + 4));
    assert.deepEqual(views.map((v) => a.leaderOf(v, healthy(30))), views.map((v) => b.leaderOf(v, healthy(30))));
    // ... and reading it later (more committed) does not change the answer for a past view.
    assert.deepEqual(views.map((v) => a.leaderOf(v, healthy(23))), views.map((v) => a.leaderOf(v, healthy(40))));
  });

  test("carousel never names a member that did not sign the committed block's justify", () => {
    const rule = carousel(4);
    const committed = healthy(60, [2]);
    for (let v = 4n; v <= 63n; v++) assert.notEqual(rule.leaderOf(v, committed), 2, `view ${v}`);
  });

  test("carousel excludes the proposers of the last f committed blocks (f = 2 for n = 7)", () => {
    const rule = carousel(7);
    const all = [0, 1, 2, 3, 4, 5, 6];
    // The committed block of view v - 3 was proposed by 5, its parent by 6.
    for (let v = 10n; v < 60n; v++) {
      const committed = chain([[v - 4n, 6, all], [v - 3n, 5, all]]);
      assert.ok(![5, 6].includes(rule.leaderOf(v, committed)), `view ${v}: ${rule.leaderOf(v, committed)}`);
    }
    // Among the rest, the pick spreads (it is seeded by the view, not fixed).
    const picks = new Set(Array.from({ length: 50 }, (_, i) => rule.leaderOf(BigInt(i + 10), chain([[BigInt(i + 6), 6, all], [BigInt(i + 7), 5, all]]))));
    assert.deepEqual([...picks].sort(), [0, 1, 2, 3, 4]);
  });

  test("carousel falls back to round-robin off the happy path", () => {
    const rule = carousel(4);
    // No committed block at exactly view - 3 (view 5 timed out: blocks of views 4 and 6).
    const gap = chain([[1n, 1, [0, 1, 2]], [2n, 2, [0, 1, 2]], [3n, 3, [0, 1, 2]], [4n, 0, [0, 1, 2]], [6n, 2, [0, 1, 2]]]);
    assert.equal(rule.leaderOf(8n, gap), 0);
    // View 6 is committed: back on Carousel, among its justify's signers but its proposer (2).
    assert.ok([0, 1].includes(rule.leaderOf(9n, gap)));
    // Not yet committed here (the head is below view - 3), and genesis: round-robin.
    assert.equal(rule.leaderOf(13n, healthy(5)), 1);
    assert.equal(rule.leaderOf(3n, healthy(5)), 3);
    assert.equal(rule.leaderOf(4n, chain([])), 0);
    assert.equal(rule.settled(9n, healthy(5)), false);
    assert.equal(rule.settled(8n, healthy(5)), true);
  });
});

describe("core with a one-member committee", () => {
  test("its member certifies its own block at once, yet proposes once per step (no recursion)", async () => {
    const { committee, createCore, sent } = await import("../support/fixtures.ts");
    const core = createCore(committee(1), 0);
    const first = core.step({ type: "start", now: 0 });
    assert.equal(sent(first, "proposal").length, 1);
    assert.equal(core.view, 2n, "its own vote formed the QC of view 1");
    const second = core.step({ type: "propose", now: 1 });
    assert.deepEqual(sent(second, "proposal").map((p) => p.message.kind === "proposal" && p.message.proposal.block.header.view), [2n]);
    assert.ok(second.some((a) => a.type === "commit"), "QC(2) over block 2 commits block 1");
  });
});
