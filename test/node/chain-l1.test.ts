/**
 * The execution wiring's L1 rules (src/node/chain.ts with an L1View): a leader's block takes the
 * origin its L1 view offers (never below the parent's) and the Inbox entries up to it, and a
 * member does not vote for a block whose l1Origin is beyond the L1 it has read.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { keccak256, toHex, type Address, type Hex } from "viem";
import { createBlsSigner, type Block } from "../../src/consensus/index.ts";
import { Chain, storeIdentity, type L1View } from "../../src/node/chain.ts";
import { loadNodeConfig } from "../../src/node/config.ts";
import { writeDevnet } from "../../src/node/devnet.ts";
import { INBOX_DEPOSIT, type InboxEntry } from "../../src/protocol/inbox.ts";
import { Store } from "../../src/store/index.ts";

const dir = mkdtempSync(join(tmpdir(), "hotstuff-chain-l1-"));
const stores: Store[] = [];
after(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});
const devnet = writeDevnet({ nodes: 4, dir, redisUrl: "redis://127.0.0.1:1", redisPrefix: "unused", ports: (i) => ({ p2p: 1 + 3 * i, rpc: 2 + 3 * i, metrics: 3 + 3 * i }), seed: "chain-l1" });
const config = loadNodeConfig(devnet.configFiles[0]!);
const recipient: Address = "0x00000000000000000000000000000000000000d1";
const deposit: InboxEntry = { index: 0n, kind: INBOX_DEPOSIT, sender: "0x00000000000000000000000000000000000000e1", recipient, value: 7n, data: "0x", l1Block: 3n };

/** The hash this test's L1 has at `number` (every view below agrees on it). */
const hashOfL1 = (number: bigint): Hex => keccak256(toHex(`l1 block ${number}`));

/** An L1 view with a settable head; originAt offers `origin`. */
function l1View(head: bigint, origin: bigint, entries: InboxEntry[]) {
  const view = { head, origin, refreshes: 0 };
  const l1: L1View = {
    head: () => view.head,
    originAt: () => view.origin,
    hashAt: (n) => (n <= view.head ? hashOfL1(n) : undefined),
    inboxEntries: () => entries,
    refresh: () => void view.refreshes++,
  };
  return { view, l1 };
}

function chainWith(l1: L1View): Chain {
  const store = Store.open(":memory:", storeIdentity(config));
  stores.push(store);
  return new Chain(config, store, createBlsSigner(config.secretKey, config.committee.map((c) => c.publicKey)), l1);
}

function build(chain: Chain, parent: Block, view: bigint, now: number): Block {
  const { payload, fields } = chain.buildPayload(parent, view, now);
  return { header: { ...fields, number: parent.header.number + 1n, view, parentHash: chain.hashOf(parent.header) }, justify: parent.justify, payload };
}

test("a leader's block takes its L1 view's origin and the Inbox entries up to it: the deposit is minted", () => {
  const leader = chainWith(l1View(5n, 4n, [deposit]).l1);
  const genesis = leader.genesis.block;
  const block = build(leader, genesis, 1n, Date.now());
  assert.equal(block.header.l1Origin, 4n);
  assert.equal(block.header.inboxCursor, 1n);
  assert.equal(leader.states.stateAfter(leader.hashOf(block.header)).getAccount(recipient).balance, 7n);
  // An origin below the parent's is never used (execution refuses it): the parent's is kept.
  const { view, l1 } = l1View(5n, 4n, [deposit]);
  const other = chainWith(l1);
  const child = build(other, other.genesis.block, 1n, Date.now());
  view.origin = 2n;
  const grandchild = build(other, child, 2n, Date.now());
  assert.equal(child.header.l1Origin, 4n);
  assert.equal(grandchild.header.l1Origin, 4n);
  assert.equal(grandchild.header.inboxCursor, 1n, "the deposit is consumed once");
});

test("a member does not vote for a block whose l1Origin is beyond the L1 it has read, and reads L1 again", () => {
  const leader = chainWith(l1View(9n, 9n, [deposit]).l1);
  const block = build(leader, leader.genesis.block, 1n, Date.now());
  const { view, l1 } = l1View(8n, 8n, [deposit]);
  const member = chainWith(l1);
  const refused = member.validateBlock(block, member.genesis.block, Date.now());
  assert.deepEqual(refused, { ok: false, reason: "l1Origin 9 is beyond this member's L1 head 8" });
  assert.equal(view.refreshes, 1);
  view.head = 9n;
  assert.deepEqual(member.validateBlock(block, member.genesis.block, Date.now()), { ok: true });
});

test("a member refuses a block whose l1OriginHash is not the hash its L1 view has at l1Origin (the leader read another fork)", () => {
  const leaderView = l1View(5n, 4n, [deposit]);
  const leader = chainWith(leaderView.l1);
  const block = build(leader, leader.genesis.block, 1n, Date.now());
  assert.equal(block.header.l1OriginHash, hashOfL1(4n), "the leader fills the hash of its origin");
  const { l1 } = l1View(5n, 5n, [deposit]);
  const member = chainWith(l1);
  assert.deepEqual(member.validateBlock(block, member.genesis.block, Date.now()), { ok: true });
  const forked = { ...block, header: { ...block.header, l1OriginHash: `0x${"0f".repeat(32)}` as const } };
  assert.deepEqual(member.validateBlock(forked, member.genesis.block, Date.now()), {
    ok: false,
    reason: `l1OriginHash 0x${"0f".repeat(32)} is not L1 block 4's hash ${hashOfL1(4n)} as this member read it: the block was built on another L1 fork`,
  });
});

test("an origin below the L1 block hashes a member keeps is not checked: a member catching up on old blocks is not stuck", () => {
  const leader = chainWith(l1View(5n, 4n, [deposit]).l1);
  const block = build(leader, leader.genesis.block, 1n, Date.now());
  // A member whose L1 head is 5000 keeps the hashes of blocks 3977..5000 only (HASH_WINDOW).
  const forgetful: L1View = { ...l1View(5000n, 5000n, [deposit]).l1, hashAt: (n) => (n + 1024n > 5000n && n <= 5000n ? hashOfL1(n) : undefined) };
  const member = chainWith(forgetful);
  assert.deepEqual(member.validateBlock(block, member.genesis.block, Date.now()), { ok: true });
});

test("once L1 has started the next epoch, a member votes up to the old epoch's last block and its child, never past them", () => {
  const { view, l1 } = l1View(9n, 4n, []);
  const leader = chainWith(l1);
  const member = chainWith(l1);
  // Blocks 1 (origin 4, view 1), 2 (origin 9, view 2), 3 (view 4: view 3 timed out), 4 (view 5), 5 (view 6).
  const b1 = build(leader, leader.genesis.block, 1n, Date.now());
  view.origin = 9n;
  const b2 = build(leader, b1, 2n, Date.now());
  const b3 = build(leader, b2, 4n, Date.now());
  const b4 = build(leader, b3, 5n, Date.now());
  const b5 = build(leader, b4, 6n, Date.now());
  // The next epoch started in L1 block 9: block 2 (origin 9) is the epoch-change block. Its
  // descendants in the old epoch only certify it: empty, no Inbox entries, its l1Origin.
  const end = { epoch: 2n, members: [0, 1, 2], l1Block: 9n };
  member.setEpochEnd(() => end);
  for (const [block, parent] of [[b1, member.genesis.block], [b2, b1], [b3, b2], [b4, b3], [b5, b4]] as const) {
    assert.deepEqual(member.validateBlock(block, parent, Date.now()), { ok: true }, `block ${block.header.number} gets a vote`);
  }
  // The leader builds the suffix empty even with transactions waiting and L1 moving on.
  leader.setEpochEnd(() => end);
  view.origin = 12n;
  const suffix = build(leader, b5, 7n, Date.now());
  assert.equal(suffix.header.l1Origin, 9n);
  assert.equal(leader.rawTransactions(suffix).length, 0);
  assert.deepEqual(member.validateBlock(suffix, b5, Date.now()), { ok: true });
});
