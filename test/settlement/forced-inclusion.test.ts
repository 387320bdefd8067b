/**
 * The settlement worker and forced inclusion (Rollup.sol: an entry posted in L1 block b is in the
 * settled chain by b + D). When a backlog makes a batch that leaves a due entry out refusable
 * (DueInboxEntryNotSettled), the worker settles the longer batch that reaches the first proven
 * block consuming the entry, instead of stalling on the short one.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { network } from "hardhat";
import { keccak256, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { BuildPayload } from "../../src/consensus/index.ts";
import { accumulateInboxHash, EMPTY_INBOX_HASH, INBOX_DEPOSIT, type InboxEntry } from "../../src/protocol/inbox.ts";
import { connectL1, SettlementWorker, StoredChain, TransactionSender } from "../../src/settlement/index.ts";
import { storeIdentityOf } from "../../src/deployment/contracts.ts";
import { deploySystem, l1Origin } from "../contracts/fixtures.ts";
import { genesisBlock, openStore, recordCommit, runCommittee } from "./harness.ts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const { viem, provider, networkHelpers } = await network.create();
const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

test("a batch that leaves a due entry out is widened to the first proof that consumes it, and settles", async () => {
  const D = 4n;
  const system = await deploySystem(viem, { n: 4, inclusionDeadline: D, seed: "forced-inclusion-worker" });
  const [sender, recipient] = [system.wallets[5]!.account, system.wallets[6]!.account.address];
  const { blockNumber: b } = await system.publicClient.waitForTransactionReceipt({ hash: await system.bridge.write.deposit([recipient], { value: 9n, account: sender }) });
  const entry: InboxEntry = { index: 0n, kind: INBOX_DEPOSIT, sender: sender.address, recipient, value: 9n, data: "0x", l1Block: b };
  const consumed = accumulateInboxHash(EMPTY_INBOX_HASH, entry);
  const origin = await l1Origin(system.publicClient, b);
  // The committee consumes the entry only in block 8: blocks 1..7 leave it out.
  const buildPayload: BuildPayload = (parent) => {
    const consume = parent.header.number + 1n >= 8n;
    return {
      payload: "0x",
      fields: { ...parent.header, ...origin, timestamp: parent.header.timestamp + 1n, inboxCursor: consume ? 1n : 0n, inboxHash: consume ? consumed : EMPTY_INBOX_HASH, dataHash: keccak256("0x"), gasUsed: 0n },
    };
  };
  const genesis = genesisBlock(system.genesis);
  const opened = openStore(storeIdentityOf(system.deployment), genesis);
  cleanups.push(opened.remove);
  const run = runCommittee({ keys: system.keys, domain: system.domain, genesis, onCommit: (a) => recordCommit(opened.store, a), buildPayload });
  run.commitUntil(12n);
  const head = opened.store.committedHead()!.number;

  // Settled late: the entry is due (b + D) by the time the worker runs.
  await networkHelpers.mine(D);
  const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 13 }), pollingIntervalMs: 20 });
  const deferred: string[] = [];
  const worker = new SettlementWorker({
    l1,
    rollup: system.rollup.address,
    chain: new StoredChain(opened.store, run.signers[0]!),
    sender: new TransactionSender(l1, { pollMs: 20 }),
    maxBatch: 3,
    log: (e) => void (e.level === "warn" && deferred.push(e.reason)),
  });
  const result = await worker.settleCommitted();
  assert.match(deferred[0]!, /^L1 refused to settle blocks 1\.\.3: DueInboxEntryNotSettled\(0, /);
  const first = result.batches[0]!;
  assert.equal(first.from, 1n);
  assert.ok(first.to >= 8n, `the first settled batch reaches block 8, which consumes the entry (it ends at ${first.to})`);
  assert.equal(result.finalized.number, head);
  for (let n = 1n; n <= head; n++) assert.equal(await system.rollup.read.isFinalized([n, opened.store.canonicalHash(n)! as Hex]), true, `block ${n}`);
});
