import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkTransactionAgainstAccount } from "../../src/execution/admission.ts";
import { ExecutionError, type ExecutionErrorCode } from "../../src/execution/errors.ts";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../../src/execution/mempool.ts";
import { MemoryState, type Account } from "../../src/execution/state.ts";
import { ETHER, GWEI, key, transfer } from "./fixtures.ts";

const alice = key("alice");
const bob = key("bob");
const carol = key("carol");
const rich: Account = { nonce: 0n, balance: ETHER };
const fails = (code: ExecutionErrorCode, detail?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof ExecutionError, String(e));
  assert.equal(e.code, code, e.message);
  if (detail) assert.match(e.message, detail);
  return true;
};

describe("stateful checks (building and applying)", () => {
  const tx = transfer(alice, { nonce: 5n, value: 10n, gas: 21_000n, maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI });
  test("NONCE_TOO_LOW names both nonces", () =>
    assert.throws(() => checkTransactionAgainstAccount(tx, { nonce: 6n, balance: ETHER }, GWEI), fails("NONCE_TOO_LOW", /expected 6, got 5/)));
  test("NONCE_TOO_HIGH", () =>
    assert.throws(() => checkTransactionAgainstAccount(tx, { nonce: 3n, balance: ETHER }, GWEI), fails("NONCE_TOO_HIGH", /expected 3, got 5/)));
  test("FEE_CAP_BELOW_BASE_FEE", () =>
    assert.throws(() => checkTransactionAgainstAccount(tx, { nonce: 5n, balance: ETHER }, 3n * GWEI), fails("FEE_CAP_BELOW_BASE_FEE", /fee cap 2000000000, base fee 3000000000/)));
  test("INSUFFICIENT_FUNDS: value + gas limit x fee cap, even though less is charged", () => {
    const cost = 10n + 21_000n * 2n * GWEI;
    assert.throws(() => checkTransactionAgainstAccount(tx, { nonce: 5n, balance: cost - 1n }, GWEI), fails("INSUFFICIENT_FUNDS", new RegExp(`cost ${cost}`)));
    checkTransactionAgainstAccount(tx, { nonce: 5n, balance: cost }, GWEI);
  });
});

describe("Mempool", () => {
  test("add, get, remove by hash; transactions() lists them", () => {
    const pool = new Mempool();
    const tx = transfer(alice);
    pool.add(tx, rich);
    assert.equal(pool.get(tx.hash), tx);
    assert.equal(pool.get(tx.hash.toUpperCase().replace("0X", "0x") as `0x${string}`), tx);
    assert.deepEqual(pool.transactions(), [tx]);
    assert.equal(pool.remove(tx.hash), true);
    assert.equal(pool.remove(tx.hash), false);
    assert.equal(pool.size, 0);
  });

  test("ALREADY_KNOWN", () => {
    const pool = new Mempool();
    const tx = transfer(alice);
    pool.add(tx, rich);
    assert.throws(() => pool.add(tx, rich), fails("ALREADY_KNOWN"));
  });

  test("replacement needs +10% on both fee cap and tip; it returns the replaced transaction", () => {
    const pool = new Mempool();
    const first = transfer(alice, { maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 10n * GWEI });
    pool.add(first, rich);
    const low = transfer(alice, { maxFeePerGas: 109n * GWEI, maxPriorityFeePerGas: 11n * GWEI });
    assert.throws(() => pool.add(low, rich), fails("REPLACEMENT_UNDERPRICED", /fee cap >= 110000000000 and tip >= 11000000000/));
    const tipOnly = transfer(alice, { maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 50n * GWEI });
    assert.throws(() => pool.add(tipOnly, rich), fails("REPLACEMENT_UNDERPRICED"));
    const bumped = transfer(alice, { maxFeePerGas: 110n * GWEI, maxPriorityFeePerGas: 11n * GWEI });
    assert.equal(pool.add(bumped, rich), first);
    assert.equal(pool.has(first.hash), false);
    assert.deepEqual(pool.transactions(), [bumped]);
  });

  test("MEMPOOL_FULL when the pool is at its bound (a replacement still fits)", () => {
    const pool = new Mempool({ ...DEFAULT_MEMPOOL_LIMITS, maxTransactions: 2 });
    pool.add(transfer(alice, { nonce: 0n }), rich);
    pool.add(transfer(bob, { nonce: 0n }), rich);
    assert.throws(() => pool.add(transfer(alice, { nonce: 1n }), rich), fails("MEMPOOL_FULL", /2 transactions, at most 2/));
    pool.add(transfer(alice, { nonce: 0n, maxFeePerGas: 4n * GWEI, maxPriorityFeePerGas: 2n * GWEI }), rich);
    assert.equal(pool.size, 2);
  });

  test("MEMPOOL_FULL when the raw bytes held would pass the byte bound, whatever the count; removal frees them", () => {
    const data = `0x${"ab".repeat(4_000)}` as const;
    const big = (signer: typeof alice, nonce: bigint) => transfer(signer, { nonce, data, gas: 200_000n });
    const first = big(alice, 0n);
    const size = (first.raw.length - 2) / 2;
    const pool = new Mempool({ ...DEFAULT_MEMPOOL_LIMITS, maxBytes: 2 * size + 200 });
    pool.add(first, rich);
    pool.add(big(bob, 0n), rich);
    assert.equal(pool.bytes, 2 * size);
    assert.throws(() => pool.add(big(alice, 1n), rich), fails("MEMPOOL_FULL", /would pass the \d+-byte bound/));
    pool.add(transfer(alice, { nonce: 1n }), rich); // a plain transfer still fits in what is left
    assert.equal(pool.remove(first.hash), true);
    pool.add(big(carol, 0n), rich);
    assert.equal(pool.size, 3);
  });

  test("SENDER_LIMIT and NONCE_TOO_HIGH bound one sender's share", () => {
    const pool = new Mempool({ ...DEFAULT_MEMPOOL_LIMITS, maxTransactions: 100, maxPerSender: 2 });
    pool.add(transfer(alice, { nonce: 0n }), rich);
    pool.add(transfer(alice, { nonce: 1n }), rich);
    assert.throws(() => pool.add(transfer(alice, { nonce: 1n, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: 1n }), rich), fails("REPLACEMENT_UNDERPRICED"));
    assert.throws(() => pool.add(transfer(alice, { nonce: 2n }), { nonce: 1n, balance: ETHER }), fails("SENDER_LIMIT"));
    assert.throws(() => pool.add(transfer(bob, { nonce: 2n }), rich), fails("NONCE_TOO_HIGH", /at most 1/));
  });

  test("NONCE_TOO_LOW and INSUFFICIENT_FUNDS at the door", () => {
    const pool = new Mempool();
    assert.throws(() => pool.add(transfer(alice, { nonce: 0n }), { nonce: 1n, balance: ETHER }), fails("NONCE_TOO_LOW"));
    assert.throws(() => pool.add(transfer(alice, { nonce: 0n }), { nonce: 0n, balance: 1n }), fails("INSUFFICIENT_FUNDS"));
  });

  test("pending nonce skips past consecutive queued nonces only", () => {
    const pool = new Mempool();
    for (const nonce of [3n, 4n, 6n]) pool.add(transfer(alice, { nonce }), { nonce: 3n, balance: ETHER });
    assert.equal(pool.pendingNonce(alice.address, 3n), 5n);
    assert.equal(pool.pendingNonce(bob.address, 7n), 7n);
  });

  test("prune after a commit drops what the state's nonces have passed", () => {
    const pool = new Mempool();
    const txs = [0n, 1n, 2n].map((nonce) => transfer(alice, { nonce }));
    for (const tx of txs) pool.add(tx, rich);
    const state = MemoryState.fromAccounts([[alice.address, { nonce: 2n, balance: ETHER }]]);
    assert.equal(pool.prune(state, [alice.address]), 2);
    assert.deepEqual(pool.transactions(), [txs[2]]);
  });
});
