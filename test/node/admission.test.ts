/**
 * Admission of gossiped transactions by a member whose committed state lags the member that took
 * them from the wallet. Gossip is heard once: a transaction refused for a reason that catching up
 * removes must be kept and retried, or it lives only on the accepting member (issue 9).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Address, Hex } from "viem";
import { ExecutionError, Mempool, type Account } from "../../src/execution/index.ts";
import { Admission, DEFERRED_LIMIT, type AdmissionChain } from "../../src/node/admission.ts";
import type { TxIntake } from "../../src/queues/index.ts";
import { RejectedTransaction } from "../../src/queues/index.ts";
import { ETHER, key, signTransaction, testConfig, transfer } from "../execution/fixtures.ts";

/** A chain whose committed accounts the test sets: what a lagging member knows. */
function laggingChain(): AdmissionChain & { accounts: Map<Address, Account>; mempool: Mempool } {
  const accounts = new Map<Address, Account>();
  const mempool = new Mempool();
  const account = (a: Address) => accounts.get(a) ?? { nonce: 0n, balance: 0n };
  return {
    accounts,
    mempool,
    checkAdmission: () => {},
    addToMempool: (tx) => void mempool.add(tx, account(tx.from)),
  };
}

function admission(chain: AdmissionChain, logged: string[] = []): Admission {
  return new Admission({
    config: { execution: testConfig() } as never,
    chain,
    intake: {} as TxIntake,
    gossip: { add: () => {} },
    log: (_level, event) => void logged.push(event),
    onAdmitted: () => {},
  });
}

const alice = key("admission-alice");

describe("gossip refused only because this member lags is retried, not forgotten", () => {
  test("a transfer funded by a deposit this member has not committed yet enters its mempool once it has", () => {
    const chain = laggingChain();
    const logged: string[] = [];
    const a = admission(chain, logged);
    const tx = transfer(alice, { nonce: 0n, value: ETHER });
    // Member 0 committed alice's deposit and took her transfer; this member has not, yet.
    assert.doesNotThrow(() => a.consume(tx.hash, { raw: tx.raw, source: "peer:0" }), "not refused for good");
    assert.equal(chain.mempool.has(tx.hash), false);
    assert.ok(logged.includes("tx.deferred"));
    assert.equal(a.deferredCount, 1);
    // It commits the deposit's block.
    chain.accounts.set(alice.address, { nonce: 0n, balance: 2n * ETHER });
    a.retryDeferred();
    assert.equal(chain.mempool.has(tx.hash), true);
    assert.equal(a.deferredCount, 0);
  });

  test("a nonce too far ahead of this member's committed nonce waits for the sender's earlier transactions to commit", () => {
    const chain = laggingChain();
    chain.accounts.set(alice.address, { nonce: 0n, balance: 100n * ETHER });
    const a = admission(chain);
    const tx = transfer(alice, { nonce: 64n });
    a.consume(tx.hash, { raw: tx.raw, source: "peer:2" });
    a.retryDeferred();
    assert.equal(chain.mempool.has(tx.hash), false, "still too far ahead");
    chain.accounts.set(alice.address, { nonce: 10n, balance: 100n * ETHER });
    a.retryDeferred();
    assert.equal(chain.mempool.has(tx.hash), true);
  });

  test("a deferred transaction whose nonce got used meanwhile (included elsewhere) leaves the list", () => {
    const chain = laggingChain();
    const a = admission(chain);
    const tx = transfer(alice, { nonce: 0n });
    a.consume(tx.hash, { raw: tx.raw, source: "peer:1" });
    chain.accounts.set(alice.address, { nonce: 1n, balance: ETHER });
    a.retryDeferred();
    assert.equal(chain.mempool.has(tx.hash), false);
    assert.equal(a.deferredCount, 0);
  });

  test("refusals catching up cannot change stay final, and so does anything from this member's own RPC", () => {
    const chain = laggingChain();
    chain.accounts.set(alice.address, { nonce: 5n, balance: ETHER });
    const a = admission(chain);
    const stale = transfer(alice, { nonce: 1n });
    assert.throws(() => a.consume(stale.hash, { raw: stale.raw, source: "peer:0" }), (e) => e instanceof RejectedTransaction && /nonce too low/.test(e.message));
    const broke = transfer(alice, { nonce: 5n, value: 10n * ETHER });
    assert.throws(() => a.consume(broke.hash, { raw: broke.raw, source: "rpc" }), RejectedTransaction);
    assert.equal(a.deferredCount, 0);
  });

  test(`at most ${DEFERRED_LIMIT} are kept, oldest dropped first (a peer decides what it gossips)`, () => {
    const chain = laggingChain();
    const logged: string[] = [];
    const a = admission(chain, logged);
    const first = signTransaction(alice, { nonce: 0n });
    const firstHash = transfer(alice, { nonce: 0n }).hash;
    a.consume(firstHash, { raw: first, source: "peer:3" });
    for (let i = 1; i <= DEFERRED_LIMIT; i++) {
      const tx = transfer(key(`admission-flood-${i % 64}`), { nonce: BigInt(Math.floor(i / 64)) });
      a.consume(tx.hash, { raw: tx.raw, source: "peer:3" });
    }
    assert.equal(a.deferredCount, DEFERRED_LIMIT);
    assert.ok(logged.includes("tx.deferred_dropped"));
    chain.accounts.set(alice.address, { nonce: 0n, balance: ETHER });
    a.retryDeferred();
    assert.equal(chain.mempool.has(firstHash as Hex), false, "the oldest was dropped");
  });
});

describe("the path of a transaction a wallet submits", () => {
  test("durably queued, then in the mempool at once (not when the intake worker gets to the job), whose later consumption does nothing", async () => {
    const chain = laggingChain();
    chain.accounts.set(alice.address, { nonce: 0n, balance: 2n * ETHER });
    const queued: Hex[] = [];
    const gossip: Hex[] = [];
    const a = new Admission({
      config: { execution: testConfig() } as never,
      chain,
      intake: { submit: async (hash: Hex) => void queued.push(hash), willRun: async () => true } as unknown as TxIntake,
      gossip: { add: (raw: Hex) => void gossip.push(raw) },
      log: () => {},
      onAdmitted: () => {},
    });
    const tx = transfer(alice, { nonce: 0n, value: ETHER });
    assert.equal(await a.submit(tx.raw), tx.hash);
    assert.deepEqual(queued, [tx.hash], "queued in Redis first");
    assert.equal(chain.mempool.has(tx.hash), true, "in the mempool without the worker");
    assert.equal(gossip.length, 1, "gossiped at once");
    assert.doesNotThrow(() => a.consume(tx.hash, { raw: tx.raw, source: "rpc" }));
    assert.equal(gossip.length, 1, "the job's consumption gossips nothing again");
  });

  test("refused by a full pool: answered with its hash while its job is still to run, refused to the wallet when the job already ran (a resubmission)", async () => {
    const full: AdmissionChain = {
      checkAdmission: () => {},
      addToMempool: () => {
        throw new ExecutionError("MEMPOOL_FULL", "mempool is full", "test");
      },
      mempool: { has: () => false },
    };
    let runs = true;
    const a = new Admission({
      config: { execution: testConfig() } as never,
      chain: full,
      intake: { submit: async () => {}, willRun: async () => runs } as unknown as TxIntake,
      gossip: { add: () => {} },
      log: () => {},
      onAdmitted: () => {},
    });
    const tx = transfer(alice, { nonce: 0n, value: ETHER });
    assert.equal(await a.submit(tx.raw), tx.hash, "the intake worker decides later");
    runs = false;
    await assert.rejects(a.submit(tx.raw), (e: unknown) => e instanceof ExecutionError && e.code === "MEMPOOL_FULL", "nothing would hold it: the wallet hears why");
  });

  test("gossip a peer sends goes straight into the mempool; garbage from a peer is dropped without a throw", () => {
    const chain = laggingChain();
    chain.accounts.set(alice.address, { nonce: 0n, balance: 2n * ETHER });
    const logged: string[] = [];
    const a = admission(chain, logged);
    const tx = transfer(alice, { nonce: 0n, value: ETHER });
    assert.equal(a.gossipedBatch([{ hash: tx.hash, raw: tx.raw }], 2), 1);
    assert.equal(chain.mempool.has(tx.hash), true);
    assert.doesNotThrow(() => a.gossipedBatch([{ hash: tx.hash, raw: "0xdeadbeef" }], 2));
    assert.ok(logged.includes("tx.refused"));
  });
});
