/**
 * The L1 follower against a real EVM: deposits and forced transactions become InboxEntry objects
 * whose accumulated hash is the Inbox contract's; blocks the committee builds on those entries
 * (cursor and hash from the follower) settle on L1, whose Inbox checks agree; the follower then
 * reports the finalized head with the L1 transaction, persists it, and a tampered log is caught.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { INBOX_DEPOSIT, INBOX_FORCED_TX, accumulateInboxHash, EMPTY_INBOX_HASH } from "../../src/protocol/inbox.ts";
import {
  connectL1,
  FINALIZED_FACT,
  L1Follower,
  parseFinality,
  SettlementError,
  SettlementWorker,
  StoredChain,
  TransactionSender,
  type FollowerUpdate,
} from "../../src/settlement/index.ts";
import { storeIdentityOf } from "../../src/deployment/contracts.ts";
import { eventually } from "../fixtures/redis.ts";
import { deploySystem } from "../contracts/fixtures.ts";
import { genesisBlock, inboxPayloadBuilder, openStore, recordCommit, runCommittee } from "./harness.ts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const { viem, provider } = await network.create();
const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

type Provider = { request(args: { method: string; params?: object | readonly unknown[] }): Promise<unknown> };

async function deployed() {
  const system = await deploySystem(viem, { n: 4, inclusionDeadline: 50n, seed: "follower" });
  const contracts = { rollup: system.rollup.address, committee: system.committee.address, bridge: system.bridge.address };
  const genesis = genesisBlock(system.genesis);
  const opened = openStore(storeIdentityOf(system.deployment), genesis);
  cleanups.push(opened.remove);
  const fromBlock = BigInt(system.deployment.deployBlock);
  return { ...system, contracts, genesis, store: opened.store, fromBlock };
}

describe("L1 follower", () => {
  test("reads deposits and forced transactions with the Inbox's accumulated hash; L1 settles blocks built on them; finality is reported and persisted", async () => {
    const system = await deployed();
    const updates: FollowerUpdate[] = [];
    const follower = new L1Follower({ l1: connectL1({ provider }), contracts: system.contracts, fromBlock: system.fromBlock, store: system.store, onUpdate: (u) => updates.push(u) });
    const [depositor, forcer, recipient] = [5, 6, 8].map((i) => getAddress(system.wallets[i]!.account.address)) as [Hex, Hex, Hex];
    const receipts = [];
    for (const [i, value] of [parseEther("1.5"), parseEther("0.25")].entries()) {
      const hash = await system.bridge.write.deposit([recipient], { value, account: depositor });
      receipts.push(await system.publicClient.waitForTransactionReceipt({ hash }));
      assert.equal(receipts[i]!.status, "success");
    }
    const signedL2Tx: Hex = "0x02f86f8203858084773594008477359400825208940000000000000000000000000000000000000001880de0b6b3a764000080c080a0";
    const forced = await system.publicClient.waitForTransactionReceipt({ hash: await system.bridge.write.forceInclude([signedL2Tx], { account: forcer }) });

    await follower.poll();
    const entries = follower.inboxEntries();
    assert.deepEqual(entries, [
      { index: 0n, kind: INBOX_DEPOSIT, sender: depositor, recipient: recipient, value: parseEther("1.5"), data: "0x", l1Block: receipts[0]!.blockNumber },
      { index: 1n, kind: INBOX_DEPOSIT, sender: depositor, recipient: recipient, value: parseEther("0.25"), data: "0x", l1Block: receipts[1]!.blockNumber },
      { index: 2n, kind: INBOX_FORCED_TX, sender: forcer, recipient: "0x0000000000000000000000000000000000000000", value: 0n, data: signedL2Tx, l1Block: forced.blockNumber },
    ]);
    assert.equal(entries.reduce(accumulateInboxHash, EMPTY_INBOX_HASH), await system.bridge.read.accumulatedHash([3n]));
    assert.equal(follower.l1Head(), await system.publicClient.getBlockNumber());
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.inbox.length, 3);
    assert.equal(follower.finalized()?.number, 0n, "genesis is final from the deployment on");
    assert.deepEqual(follower.epochs().map((e) => [e.epoch, e.members]), [[1n, [0, 1, 2, 3]]], "the genesis epoch");

    // The committee builds blocks that consume the entries the follower read, and L1 accepts them.
    const run = runCommittee({ keys: system.keys, domain: system.domain, genesis: system.genesis, onCommit: (a) => recordCommit(system.store, a), buildPayload: inboxPayloadBuilder(follower) });
    run.commitUntil(6n);
    const head = system.store.committedHead()!;
    const tip = new StoredChain(system.store, run.signers[0]!).block(head.number)!.block.header;
    assert.equal(tip.inboxCursor, 3n, "the blocks consumed every entry");
    const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 15 }) });
    const settled = await new SettlementWorker({ l1, rollup: system.rollup.address, chain: new StoredChain(system.store, run.signers[0]!), sender: new TransactionSender(l1), maxBatch: 4, log: () => {} }).settleCommitted();
    assert.equal(settled.finalized.number, head.number);

    await follower.poll();
    const last = settled.batches[settled.batches.length - 1]!;
    const finalized = { number: head.number, hash: head.hash as Hex, l1TxHash: last.transactionHash, l1Block: last.l1Block };
    assert.deepEqual(follower.finalized(), finalized);
    assert.deepEqual(updates[updates.length - 1]!.finalized, finalized);
    assert.deepEqual(parseFinality(system.store.getFact(FINALIZED_FACT)!), finalized, "persisted for the RPC");
    for (const b of settled.batches) {
      for (let n = b.from; n <= b.to; n++) {
        assert.deepEqual(follower.finality(n), { hash: system.store.canonicalHash(n), l1TxHash: b.transactionHash, l1Block: b.l1Block }, `block ${n}: L1's hash is the committed one`);
      }
    }
    assert.equal(follower.finality(head.number + 1n), undefined);

    // A restarted follower answers from the store at once, and re-reads the same Inbox.
    const restarted = new L1Follower({ l1: connectL1({ provider }), contracts: system.contracts, fromBlock: system.fromBlock, store: system.store });
    assert.deepEqual(restarted.finalized(), finalized);
    await restarted.poll();
    assert.deepEqual(restarted.inboxEntries(), entries);
    assert.deepEqual(restarted.finalized(), finalized);
  });

  test("started, it polls on its own and calls back with what arrived; stopped, it stays quiet", async () => {
    const system = await deployed();
    const updates: FollowerUpdate[] = [];
    const follower = new L1Follower({ l1: connectL1({ provider }), contracts: system.contracts, fromBlock: system.fromBlock, pollIntervalMs: 20, confirmations: 1n, onUpdate: (u) => updates.push(u) });
    follower.start();
    try {
      const hash = await system.bridge.write.deposit([system.wallets[8]!.account.address], { value: 5n, account: system.wallets[5]!.account });
      const { blockNumber } = await system.publicClient.waitForTransactionReceipt({ hash });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(follower.inboxEntries().length, 0, "one confirmation is needed before the entry counts");
      const test = await viem.getTestClient();
      await test.mine({ blocks: 1 });
      await eventually(() => follower.inboxEntries().length === 1, "the follower picks the deposit up by itself");
      assert.equal(follower.l1Head(), blockNumber);
      assert.equal(updates.flatMap((u) => u.inbox).length, 1);
    } finally {
      await follower.stop();
    }
    const seen = updates.length;
    await system.bridge.write.deposit([system.wallets[8]!.account.address], { value: 6n, account: system.wallets[5]!.account });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(updates.length, seen);
  });

  test("an RPC that leaves the Inbox's logs out is caught by the contract's own count (INBOX_MISMATCH)", async () => {
    const system = await deployed();
    const omitting: Provider = {
      async request(args) {
        const result = await provider.request(args);
        if (args.method !== "eth_getLogs") return result;
        return (result as { address: string }[]).filter((log) => log.address.toLowerCase() !== system.bridge.address.toLowerCase());
      },
    };
    const follower = new L1Follower({ l1: connectL1({ provider: omitting }), contracts: system.contracts, fromBlock: system.fromBlock });
    await follower.poll();
    await system.publicClient.waitForTransactionReceipt({
      hash: await system.bridge.write.deposit([system.wallets[8]!.account.address], { value: 7n, account: system.wallets[5]!.account }),
    });
    const scanned = follower.l1Head();
    const error = await follower.poll().then(() => assert.fail("accepted"), (e: unknown) => e);
    assert.ok(error instanceof SettlementError);
    assert.equal(error.code, "INBOX_MISMATCH");
    assert.match(error.message, /holds 1 entries/);
    assert.equal(follower.l1Head(), scanned, "the range stays unread");
  });

  test("a poll asks L1 for a range's events in one eth_getLogs, and for the Inbox's hash only when it grew; over HTTP, in one batch", async () => {
    const system = await deployed();
    const calls: string[] = [];
    const bodies: unknown[] = [];
    // An HTTP JSON-RPC endpoint in front of the in-process node, recording what arrives.
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", async () => {
        const parsed = JSON.parse(body) as { id: number; method: string; params?: unknown[] } | { id: number; method: string; params?: unknown[] }[];
        bodies.push(parsed);
        const answer = async (r: { id: number; method: string; params?: unknown[] }) => {
          calls.push(r.method);
          try {
            return { jsonrpc: "2.0", id: r.id, result: await provider.request({ method: r.method, params: r.params ?? [] }) };
          } catch (e) {
            return { jsonrpc: "2.0", id: r.id, error: { code: -32000, message: (e as Error).message } };
          }
        };
        const out = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const follower = new L1Follower({ l1: connectL1({ rpcUrl: url }), contracts: system.contracts, fromBlock: system.fromBlock });
    await follower.poll();

    const test = await viem.getTestClient();
    await test.mine({ blocks: 1 });
    calls.length = 0;
    bodies.length = 0;
    await follower.poll();
    assert.deepEqual(calls.filter((m) => m === "eth_getLogs").length, 1, "one log query for the five events");
    assert.deepEqual(calls.filter((m) => m === "eth_call").length, 1, "the Inbox's count only: it did not grow");
    assert.equal(bodies.length, 2, "the tip, then headers, logs and count in one batch");
    assert.ok(Array.isArray(bodies[1]) && bodies[1].length === 3, "the second request is a batch of three");

    await system.publicClient.waitForTransactionReceipt({
      hash: await system.bridge.write.deposit([system.wallets[8]!.account.address], { value: 9n, account: system.wallets[5]!.account }),
    });
    calls.length = 0;
    await follower.poll();
    assert.equal(calls.filter((m) => m === "eth_getLogs").length, 1);
    assert.equal(calls.filter((m) => m === "eth_call").length, 2, "count and accumulated hash: the Inbox grew");
    assert.equal(follower.inboxEntries().length, 1);
  });

  test("a log that does not add up to the Inbox's accumulated hash is refused (INBOX_MISMATCH), and nothing is taken from it", async () => {
    const system = await deployed();
    await system.publicClient.waitForTransactionReceipt({
      hash: await system.bridge.write.deposit([system.wallets[8]!.account.address], { value: parseEther("1"), account: system.wallets[5]!.account }),
    });
    // An RPC that lies about the deposit's value (the second word of the event data).
    const lying: Provider = {
      async request(args) {
        const result = await provider.request(args);
        if (args.method !== "eth_getLogs") return result;
        return (result as { address: string; data: string }[]).map((log) =>
          log.address.toLowerCase() === system.bridge.address.toLowerCase() ? { ...log, data: `${log.data.slice(0, 2 + 64 * 2 - 1)}1${log.data.slice(2 + 64 * 2)}` } : log,
        );
      },
    };
    const follower = new L1Follower({ l1: connectL1({ provider: lying }), contracts: system.contracts, fromBlock: system.fromBlock });
    const error = await follower.poll().then(() => assert.fail("accepted"), (e: unknown) => e);
    assert.ok(error instanceof SettlementError);
    assert.equal(error.code, "INBOX_MISMATCH");
    assert.deepEqual(follower.inboxEntries(), []);
    assert.equal(follower.l1Head(), system.fromBlock - 1n, "the range stays unread");
  });
});
