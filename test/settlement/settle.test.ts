/**
 * The settlement worker against a real EVM (Hardhat's in-process EDR, Prague), a real Store on
 * disk and real Redis, with a chain committed by four real consensus Cores signing with the
 * deployed committee's BLS keys: batches settle and every block becomes final; a worker killed
 * after sending continues from where L1 says without settling anything twice; an L1 outage only
 * delays; a replayed batch is harmless; a stuck transaction is replaced with higher fees.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { createEmptyPayloadBuilder, type BuildPayload } from "../../src/consensus/index.ts";
import { L1Outbox } from "../../src/queues/index.ts";
import {
  connectL1,
  createOutboxConsumer,
  EvidenceWorker,
  SettlementError,
  SettlementWorker,
  StoredChain,
  toSolidityCommitProof,
  TransactionSender,
  type CommittedChain,
  type SentTransaction,
} from "../../src/settlement/index.ts";
import { toSolidityHeader } from "../../src/protocol/solidity.ts";
import { storeIdentityOf } from "../../src/deployment/contracts.ts";
import { deploySystem } from "../contracts/fixtures.ts";
import { eventually, redisUrl, uniquePrefix } from "../fixtures/redis.ts";
import { genesisBlock, openStore, recordCommit, runCommittee } from "./harness.ts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const { viem, provider } = await network.create();
const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

type Provider = { request(args: { method: string; params?: object | readonly unknown[] }): Promise<unknown> };

/** A deployment and a chain of `height` blocks committed by the committee, in a store on disk. */
async function committedChain(height: bigint, options: { withGenesis?: boolean; existing?: Omit<Awaited<ReturnType<typeof deploySystem>>, "chain">; buildPayload?: BuildPayload } = {}) {
  const system = options.existing ?? (await deploySystem(viem, { n: 4, inclusionDeadline: 10_000n, seed: "settlement" }));
  const genesis = genesisBlock(system.genesis);
  const opened = openStore(storeIdentityOf(system.deployment), genesis, options);
  cleanups.push(opened.remove);
  const run = runCommittee({ keys: system.keys, domain: system.domain, genesis, onCommit: (a) => recordCommit(opened.store, a), ...(options.buildPayload ? { buildPayload: options.buildPayload } : {}) });
  run.commitUntil(height);
  const chain = new StoredChain(opened.store, run.signers[0]!);
  const final = async (n: bigint) => system.rollup.read.isFinalized([n, opened.store.canonicalHash(n)! as Hex]);
  return { ...system, store: opened.store, chain, run, final };
}

function worker(system: Awaited<ReturnType<typeof committedChain>>, account: number, options: { provider?: Provider; maxBatch?: number; onSent?: (s: SentTransaction) => void; receiptTimeoutMs?: number } = {}) {
  const l1 = connectL1({ provider: options.provider ?? provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: account }), pollingIntervalMs: 20 });
  const sender = new TransactionSender(l1, { pollMs: 20, ...(options.onSent ? { onSent: options.onSent } : {}), ...(options.receiptTimeoutMs ? { receiptTimeoutMs: options.receiptTimeoutMs } : {}) });
  const settlement = new SettlementWorker({ l1, rollup: system.rollup.address, chain: system.chain, sender, maxBatch: options.maxBatch ?? 5, log: () => {} });
  const evidence = new EvidenceWorker({ l1, rollup: system.rollup.address, sender, signer: system.run.signers[0]!, log: () => {} });
  return { l1, sender, settlement, evidence };
}

async function settledRanges(system: Awaited<ReturnType<typeof committedChain>>) {
  const events = await system.rollup.getEvents.BatchSettled({}, { fromBlock: 0n });
  return events.map((e) => [e.args.firstNumber!, e.args.lastNumber!] as const);
}

describe("settlement worker", () => {
  test("settles 24 committed blocks in batches of at most 5, and every block is final on L1", async () => {
    const system = await committedChain(24n);
    const head = system.store.committedHead()!.number;
    assert.ok(head >= 24n);
    const { settlement } = worker(system, 10);
    const result = await settlement.settleCommitted();
    assert.equal(result.finalized.number, head);
    let next = 1n;
    for (const b of result.batches) {
      assert.equal(b.from, next, "batches are contiguous");
      assert.ok(b.to - b.from + 1n <= 5n, `batch ${b.from}..${b.to} is at most 5 blocks`);
      next = b.to + 1n;
    }
    assert.equal(next, head + 1n);
    for (let n = 0n; n <= head; n++) assert.equal(await system.final(n), true, `block ${n} is final`);
    const offChain = keccak256(toHex("a block the committee never certified"));
    assert.equal(await system.rollup.read.isFinalized([3n, offChain]), false, "a block off the chain is not final");
    assert.deepEqual(await settledRanges(system), result.batches.map((b) => [b.from, b.to]));
    assert.deepEqual((await settlement.settleCommitted()).batches, [], "nothing left to settle");

    // A replay of the first batch, by anyone: accepted as a no-op, nothing changes.
    const first = result.batches[0]!;
    const headers = [];
    const data: Hex[] = [];
    for (let n = first.from; n <= first.to; n++) {
      headers.push(toSolidityHeader(system.chain.block(n)!.block.header));
      data.push(system.chain.block(n)!.block.payload);
    }
    const proof = toSolidityCommitProof(system.chain.commitProof(first.to)!.proof, 1n);
    const hash = await system.rollup.write.settle([headers, data, proof], { account: system.wallets[7]!.account });
    const receipt = await system.publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    assert.equal(receipt.logs.length, 0, "a replay emits nothing");
    assert.deepEqual(await system.rollup.read.finalizedHead(), [head, system.store.canonicalHash(head)]);
    assert.deepEqual(await settledRanges(system), result.batches.map((b) => [b.from, b.to]));
  });

  test("a worker that dies after sending a batch is replaced by one that continues where L1 says, settling nothing twice", async () => {
    const system = await committedChain(20n);
    const head = system.store.committedHead()!.number;
    let sent = 0;
    // The process "dies" right after its first transaction left: every later call fails.
    const dying: Provider = {
      async request(args) {
        if (sent > 0) throw new Error("worker process killed");
        if (args.method === "eth_sendRawTransaction") sent++;
        return provider.request(args);
      },
    };
    await assert.rejects(worker(system, 11, { provider: dying, maxBatch: 4 }).settlement.settleCommitted(), /killed/);
    assert.equal(sent, 1);
    const [afterCrash] = await system.rollup.read.finalizedHead();
    assert.equal(afterCrash, 4n, "the first batch landed although its sender never saw the receipt");

    const restarted = await worker(system, 11, { maxBatch: 4 }).settlement.settleCommitted();
    assert.equal(restarted.batches[0]!.from, 5n, "the new worker starts after L1's finalized head");
    assert.equal(restarted.finalized.number, head);
    const ranges = await settledRanges(system);
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]![0], ranges[i - 1]![1] + 1n, "no block settled twice, none skipped");
    assert.equal(ranges[0]![0], 1n);
    for (let n = 1n; n <= head; n++) assert.equal(await system.final(n), true);
  });

  test("an L1 outage delays settlement through the outbox's retries; nothing is lost", async () => {
    const system = await committedChain(8n);
    const head = system.store.committedHead()!.number;
    let down = true;
    const flaky: Provider = {
      async request(args) {
        if (down) throw new Error("connect ECONNREFUSED 127.0.0.1:8545");
        return provider.request(args);
      },
    };
    const { settlement, evidence } = worker(system, 12, { provider: flaky });
    const outbox = new L1Outbox({ url: redisUrl, prefix: uniquePrefix("settle-outage"), retryDelayMs: 20, maxRetryDelayMs: 100 });
    cleanups.push(async () => {
      await outbox.obliterate();
      await outbox.close();
    });
    const failures: unknown[] = [];
    outbox.start(createOutboxConsumer({ settlement, evidence, onRetry: (_item, _attempt, error) => failures.push(error), onAlert: () => assert.fail("an outage is not a refusal") }));
    await outbox.enqueue({ kind: "settle", number: head.toString() });
    await eventually(() => failures.length >= 3, "three failed attempts while L1 is down");
    assert.equal((await system.rollup.read.finalizedHead())[0], 0n);
    down = false;
    await eventually(async () => (await system.rollup.read.finalizedHead())[0] === head, `L1 finalizes up to ${head} once it is back`, 30_000);
    for (let n = 1n; n <= head; n++) assert.equal(await system.final(n), true);
    await eventually(async () => (await outbox.depth()) === 0, "the item is done");
  });

  test("a transaction stuck in the mempool is replaced with fees at least 12.5% higher", async () => {
    const system = await committedChain(3n);
    const test = await viem.getTestClient();
    const sent: SentTransaction[] = [];
    await test.setAutomine(false);
    try {
      const { settlement } = worker(system, 13, { onSent: (s) => sent.push(s), receiptTimeoutMs: 150 });
      const settling = settlement.settleCommitted();
      await eventually(() => sent.length >= 2, "a replacement is sent");
      await test.mine({ blocks: 1 });
      const result = await settling;
      const mined = sent.find((s) => s.hash === result.batches[0]!.transactionHash);
      assert.ok(mined !== undefined && mined.replaces !== undefined, "the replacement is what was mined");
      assert.equal(mined.nonce, sent[0]!.nonce, "same nonce");
      assert.ok(mined.maxFeePerGas * 1000n >= sent[0]!.maxFeePerGas * 1125n);
      assert.ok(mined.maxPriorityFeePerGas * 1000n >= sent[0]!.maxPriorityFeePerGas * 1125n);
      assert.equal(result.finalized.number, system.store.committedHead()!.number);
    } finally {
      await test.setAutomine(true);
    }
  });

  test("a backup settler holding off finds the batch settled by another and sends nothing", async () => {
    const system = await committedChain(6n);
    const primary = worker(system, 19).settlement;
    const backupSent: SentTransaction[] = [];
    const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 9 }) });
    const backup = new SettlementWorker({
      l1,
      rollup: system.rollup.address,
      chain: system.chain,
      sender: new TransactionSender(l1, { onSent: (s) => backupSent.push(s) }),
      log: () => {},
      holdOff: async () => void (await primary.settleCommitted()), // the primary settles while the backup waits
    });
    const result = await backup.settleCommitted();
    assert.deepEqual(result.batches, []);
    assert.deepEqual(backupSent, []);
    assert.equal(result.finalized.number, system.store.committedHead()!.number);
  });

  test("an aborted sender stops waiting for its receipt; the transaction still lands, and the next run finds it settled", async () => {
    const system = await committedChain(3n);
    const test = await viem.getTestClient();
    const abort = new AbortController();
    const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 8 }) });
    const sent: SentTransaction[] = [];
    const settlement = new SettlementWorker({ l1, rollup: system.rollup.address, chain: system.chain, sender: new TransactionSender(l1, { signal: abort.signal, pollMs: 20, onSent: (s) => sent.push(s) }), log: () => {} });
    await test.setAutomine(false);
    try {
      const settling = settlement.settleCommitted();
      await eventually(() => sent.length === 1, "the batch is sent");
      abort.abort();
      await assert.rejects(settling, { name: "AbortError" });
      await test.mine({ blocks: 1 });
    } finally {
      await test.setAutomine(true);
    }
    const again = await worker(system, 8).settlement.settleCommitted();
    assert.deepEqual(again.batches, []);
    assert.equal(again.finalized.number, system.store.committedHead()!.number);
  });

  test("a store that does not hold genesis as block 0 still settles from it", async () => {
    const system = await committedChain(3n, { withGenesis: false });
    const result = await worker(system, 17).settlement.settleCommitted();
    assert.equal(result.finalized.number, system.store.committedHead()!.number);
    assert.equal(result.batches[0]!.from, 1n);
  });

  test("a node whose committed chain differs from L1's finalized one stops with FINALIZED_CONFLICT and an alert", async () => {
    const system = await committedChain(4n);
    await worker(system, 18).settlement.settleCommitted();
    // The same deployment, another committed history (other proposers make other blocks).
    const other = await committedChain(6n, { existing: system, buildPayload: createEmptyPayloadBuilder("0x00000000000000000000000000000000000000aa") });
    const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 18 }) });
    const alerts: { event: string }[] = [];
    const settlement = new SettlementWorker({ l1, rollup: system.rollup.address, chain: other.chain, sender: new TransactionSender(l1), log: (e) => e.level === "alert" && alerts.push(e) });
    await assert.rejects(settlement.settleCommitted(), (e: unknown) => e instanceof SettlementError && e.code === "FINALIZED_CONFLICT");
    assert.deepEqual(alerts.map((a) => a.event), ["finalized-conflict"]);
    assert.equal((await system.rollup.read.finalizedHead())[0], system.store.committedHead()!.number, "L1 is untouched");
  });

  test("only proofs of the worker's epoch settle: proofs signed in another epoch are left alone", async () => {
    const system = await committedChain(3n);
    const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 14 }) });
    const settlement = new SettlementWorker({ l1, rollup: system.rollup.address, chain: system.chain, sender: new TransactionSender(l1), epoch: 2n });
    const before = (await system.rollup.read.finalizedHead())[0];
    const result = await settlement.settleCommitted();
    assert.deepEqual(result.batches, [], "the stored proofs are epoch 1's");
    assert.equal((await system.rollup.read.finalizedHead())[0], before, "L1 is untouched");
  });

  test("a batch L1 refuses for good is a SETTLEMENT_REFUSED with the decoded custom error", async () => {
    const system = await committedChain(3n);
    // A proof whose QC over the child names one signer: L1 says InsufficientQuorum, and retrying cannot change that.
    const oneSigner: CommittedChain = {
      committedHead: () => system.chain.committedHead(),
      hashAt: (n) => system.chain.hashAt(n),
      block: (n) => system.chain.block(n),
      commitProof: (n) => {
        const found = system.chain.commitProof(n);
        return found === undefined ? undefined : { ...found, proof: { ...found.proof, childQc: { ...found.proof.childQc, signers: 1n } } };
      },
    };
    const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 14 }) });
    const alerts: unknown[] = [];
    const settlement = new SettlementWorker({ l1, rollup: system.rollup.address, chain: oneSigner, sender: new TransactionSender(l1), log: (e) => e.level === "alert" && alerts.push(e) });
    const error = await settlement.settleCommitted().then(() => assert.fail("settled"), (e: unknown) => e);
    assert.ok(error instanceof SettlementError);
    assert.equal(error.code, "SETTLEMENT_REFUSED");
    assert.deepEqual(error.revert, { errorName: "InsufficientQuorum", args: [1n, 1n, 3n] });
    assert.equal(alerts.length, 1, "refusals are raised as alerts");
  });
});
