/** Deposits and forced transactions from the L1 Inbox: order, consumption, and the inclusion deadline. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Hex } from "viem";
import { encodeBlockData } from "../../src/execution/blockData.ts";
import { accumulateInboxHash } from "../../src/protocol/inbox.ts";
import { ETHER, key, signTransaction, testConfig, transfer } from "./fixtures.ts";
import { alice, bob, carol, buildOn, deposit, executeOn, forced, genesis, refusedWith } from "./chain.ts";

describe("the Inbox: deposits and forced transactions, in order, at the start of the block", () => {
  const dave = key("dave");

  test("deposit mints; valid forced tx executes first; invalid one is skipped with its reason but consumed", () => {
    const g = genesis();
    const forcedOk = signTransaction(alice, { nonce: 0n, to: carol.address, value: 7n });
    const forcedBad = signTransaction(bob, { nonce: 9n });
    const inbox = [deposit(0n, dave.address, 5n * ETHER), forced(1n, forcedOk), forced(2n, forcedBad)];
    const mempoolTx = transfer(alice, { nonce: 1n, to: dave.address, value: 1n });
    const built = buildOn(g.header, g.state, { inbox, mempool: [mempoolTx] });
    assert.equal(built.header.inboxCursor, 3n);
    const expectedHash = inbox.reduce<Hex>((h, e) => accumulateInboxHash(h, e), g.header.inboxHash);
    assert.equal(built.header.inboxHash, expectedHash);
    assert.deepEqual(built.inbox.map((o) => (o.kind === "deposit" ? "deposit" : o.status === "skipped" ? `skipped:${o.code}` : "executed")), [
      "deposit", "executed", "skipped:NONCE_TOO_HIGH",
    ]);
    assert.deepEqual(built.transactions.map((t) => t.raw), [forcedOk, mempoolTx.raw], "forced transactions come first");
    assert.equal(built.receipts[0]!.inboxIndex, 1n);
    assert.equal(built.receipts[1]!.inboxIndex, undefined);
    assert.equal(built.blockData, encodeBlockData([mempoolTx.raw]), "block data holds only the non-Inbox transactions");
    const after = g.state.extend(built.changes);
    assert.equal(after.getAccount(dave.address).balance, 5n * ETHER + 1n);
    assert.equal(after.getAccount(bob.address).nonce, 0n);
    assert.deepEqual(executeOn(g.header, g.state, built, { inbox }).header, built.header);
  });

  test("entries not yet at the block's l1Origin wait; the per-block limit holds", () => {
    const g = genesis();
    const inbox = [deposit(0n, dave.address, 1n), deposit(1n, dave.address, 1n), deposit(2n, dave.address, 1n, 50n)];
    assert.equal(buildOn(g.header, g.state, { inbox }).header.inboxCursor, 2n);
    assert.equal(buildOn(g.header, g.state, { inbox, l1Origin: 50n }).header.inboxCursor, 3n);
    assert.equal(buildOn(g.header, g.state, { inbox, l1Origin: 50n, config: testConfig({ maxInboxEntriesPerBlock: 1 }) }).header.inboxCursor, 1n);
  });
});

describe("the Inbox inclusion deadline (the Rollup's DueInboxEntrySkipped rule)", () => {
  const dave = key("dave");
  // testConfig: inclusion deadline 100 L1 blocks, so an entry from L1 block 10 is due at 110.
  const inbox = [10n, 10n, 10n, 50n, 50n].map((l1Block, i) => deposit(BigInt(i), dave.address, 1n, l1Block));
  const capped = testConfig({ maxInboxEntriesPerBlock: 1 });

  test("due entries are all consumed, past the per-block limit; the limit applies to the rest", () => {
    const g = genesis();
    const built = buildOn(g.header, g.state, { inbox, l1Origin: 110n, config: capped });
    assert.equal(built.header.inboxCursor, 3n);
    assert.deepEqual(executeOn(g.header, g.state, built, { inbox, config: capped }).header, built.header);
  });

  test("a block that leaves a due entry unconsumed is refused (L1 would never settle it)", () => {
    const g = genesis();
    const blind = buildOn(g.header, g.state, { inbox: [], l1Origin: 110n });
    assert.equal(blind.header.inboxCursor, 0n);
    refusedWith("INBOX_DUE_ENTRY_SKIPPED", () => executeOn(g.header, g.state, blind, { inbox }), /entry 0 from L1 block 10 is due at 110, l1Origin 110/);
  });

  test("an entry not yet due may wait", () => {
    const g = genesis();
    const blind = buildOn(g.header, g.state, { inbox: [], l1Origin: 109n });
    assert.equal(executeOn(g.header, g.state, blind, { inbox }).header.inboxCursor, 0n);
  });
});
