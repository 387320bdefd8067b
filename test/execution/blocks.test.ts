/** Blocks: EIP-1559 base fee, fees and burn, ordering and limits, withdrawals, build/execute round trips. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keccak256, type Address, type Hex } from "viem";
import { computeBaseFee } from "../../src/execution/baseFee.ts";
import { receiptFromJson, receiptToJson } from "../../src/execution/receipts.ts";
import type { MemoryState } from "../../src/execution/state.ts";
import type { Header } from "../../src/protocol/header.ts";
import { rootFromProof, WITHDRAWAL_ADDRESS, withdrawalLeaf, withdrawalProof, withdrawalsRoot } from "../../src/protocol/withdrawals.ts";
import { ETHER, GWEI, testConfig, transfer } from "./fixtures.ts";
import { alice, bob, carol, buildOn, config, executeOn, genesis, proposer, totalSupply } from "./chain.ts";

describe("EIP-1559 base fee (geth's CalcBaseFee vectors)", () => {
  test("at, below and above target with a 20M limit (target 10M) from 1 gwei", () => {
    assert.equal(computeBaseFee(GWEI, 10_000_000n, 20_000_000n), 1_000_000_000n);
    assert.equal(computeBaseFee(GWEI, 9_000_000n, 20_000_000n), 987_500_000n);
    assert.equal(computeBaseFee(GWEI, 11_000_000n, 20_000_000n), 1_012_500_000n);
  });
  test("full block +12.5%, empty block -12.5%, and the +1 minimum step", () => {
    assert.equal(computeBaseFee(GWEI, 30_000_000n, 30_000_000n), 1_125_000_000n);
    assert.equal(computeBaseFee(GWEI, 0n, 30_000_000n), 875_000_000n);
    assert.equal(computeBaseFee(7n, 15_000_001n, 30_000_000n), 8n);
  });
});

describe("build then execute", () => {
  test("round trip: every member re-derives the leader's exact header; state changes only on commit", () => {
    const g = genesis();
    const txs = [
      transfer(alice, { nonce: 0n, to: bob.address, value: 1000n }),
      transfer(alice, { nonce: 1n, to: carol.address, value: 2000n, type: "legacy" }),
      transfer(bob, { nonce: 0n, to: alice.address, value: 3000n, type: "eip2930" }),
    ];
    const built = buildOn(g.header, g.state, { mempool: txs });
    assert.equal(built.transactions.length, 3);
    assert.equal(built.header.gasUsed, 63_000n);
    assert.equal(built.header.baseFee, 875_000_000n);
    assert.equal(built.header.dataHash, keccak256(built.blockData));
    const rootBefore = g.state.stateRoot();
    const executed = executeOn(g.header, g.state, built);
    assert.deepEqual(executed.header, built.header);
    assert.equal(g.state.stateRoot(), rootBefore, "execution must not touch the committed state");
    g.state.commit(executed.changes);
    assert.equal(g.state.stateRoot(), built.header.stateRoot);
    assert.equal(g.state.getAccount(alice.address).nonce, 2n);
  });

  test("fees: sender pays 21,000 x effective price, the proposer gets the tip, the base fee is burned", () => {
    const g = genesis();
    const tx = transfer(alice, { to: bob.address, value: 5n, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: 2n * GWEI });
    const built = buildOn(g.header, g.state, { mempool: [tx] });
    const baseFee = built.header.baseFee;
    const price = baseFee + 2n * GWEI;
    const after = g.state.extend(built.changes);
    assert.equal(after.getAccount(alice.address).balance, ETHER - 5n - 21_000n * price);
    assert.equal(after.getAccount(bob.address).balance, ETHER + 5n);
    assert.equal(after.getAccount(proposer.address).balance, 21_000n * 2n * GWEI);
    const who = [alice.address, bob.address, carol.address, proposer.address];
    assert.equal(totalSupply(g.state, who) - totalSupply(after, who), 21_000n * baseFee, "exactly the base fee leaves the supply");
    const receipt = built.receipts[0]!;
    assert.deepEqual(receiptFromJson(receiptToJson(receipt)), receipt, "receipts survive the store's JSON");
    assert.deepEqual(
      [receipt.status, receipt.gasUsed, receipt.cumulativeGasUsed, receipt.effectiveGasPrice, receipt.from, receipt.to, receipt.transactionHash, receipt.transactionIndex, receipt.type],
      ["success", 21_000n, 21_000n, price, alice.address, bob.address, tx.hash, 0, "eip1559"],
    );
  });

  test("the leader orders by nonce per sender and by tip across senders, within the transaction limit", () => {
    const g = genesis();
    const cheap = [0n, 1n].map((nonce) => transfer(alice, { nonce, maxPriorityFeePerGas: 1n }));
    const rich = [1n, 0n].map((nonce) => transfer(bob, { nonce, maxPriorityFeePerGas: 5n * GWEI, maxFeePerGas: 10n * GWEI }));
    const built = buildOn(g.header, g.state, { mempool: [...cheap, ...rich], config: testConfig({ maxTransactionsPerBlock: 3 }) });
    assert.deepEqual(built.transactions.map((t) => [t.from, t.nonce]), [[bob.address, 0n], [bob.address, 1n], [alice.address, 0n]]);
  });

  test("the gas limit bounds the block", () => {
    const g = genesis();
    const small = testConfig({ blockGasLimit: 42_000n });
    const mempool = [0n, 1n, 2n].map((nonce) => transfer(alice, { nonce }, small));
    const built = buildOn(g.header, g.state, { mempool, config: small });
    assert.equal(built.header.gasUsed, 42_000n);
    assert.equal(built.transactions.length, 2);
  });

  test("transactions invalid at build time are skipped and reported; a sender's later nonces wait", () => {
    const g = genesis([[alice, ETHER], [bob, 1000n], [carol, ETHER]]);
    g.state.commit(new Map([[alice.address, { nonce: 1n, balance: ETHER }]]));
    const stale = transfer(alice, { nonce: 0n });
    const fresh = transfer(alice, { nonce: 1n });
    const gap = transfer(carol, { nonce: 1n });
    const poor = transfer(bob, { nonce: 0n });
    const lowCap = transfer(carol, { nonce: 0n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n });
    const built = buildOn(g.header, g.state, { mempool: [stale, fresh, gap, poor, lowCap] });
    assert.deepEqual(built.transactions.map((t) => t.hash), [fresh.hash]);
    const reasons = new Map(built.skipped.map((s) => [s.hash, s.code]));
    assert.equal(reasons.get(stale.hash), "NONCE_TOO_LOW");
    assert.equal(reasons.get(poor.hash), "INSUFFICIENT_FUNDS");
    assert.equal(reasons.get(lowCap.hash), "FEE_CAP_BELOW_BASE_FEE");
    assert.equal(reasons.has(gap.hash), false, "carol's nonce 1 waits behind her refused nonce 0, it is not stale");
  });

  test("a child proposal builds and executes on its uncommitted parent (state.extend)", () => {
    const g = genesis();
    const b1 = buildOn(g.header, g.state, { mempool: [transfer(alice, { nonce: 0n, to: bob.address, value: 10n })] });
    const s1 = g.state.extend(executeOn(g.header, g.state, b1).changes);
    const b2 = buildOn(b1.header, s1, { mempool: [transfer(alice, { nonce: 1n, to: bob.address, value: 10n })] });
    assert.equal(b2.header.baseFee, computeBaseFee(b1.header.baseFee, 21_000n, config.blockGasLimit));
    const r2 = executeOn(b1.header, s1, b2);
    g.state.commit(b1.changes);
    g.state.commit(r2.changes);
    assert.equal(g.state.stateRoot(), b2.header.stateRoot);
    assert.equal(g.state.getAccount(bob.address).balance, ETHER + 20n);
  });
});

describe("withdrawals", () => {
  test("a transfer to WITHDRAWAL_ADDRESS burns the value and adds a leaf for the sender", () => {
    const g = genesis();
    const txs = [
      transfer(alice, { to: WITHDRAWAL_ADDRESS, value: 100n }),
      transfer(bob, { to: WITHDRAWAL_ADDRESS.toLowerCase() as Hex, value: 200n }),
      transfer(carol, { to: bob.address, value: 1n }),
    ];
    const built = buildOn(g.header, g.state, { mempool: txs });
    const after = g.state.extend(built.changes);
    assert.equal(after.getAccount(WITHDRAWAL_ADDRESS.toLowerCase() as Address).balance, 0n, "burned, not credited");
    const withdrawals = built.withdrawals;
    assert.equal(withdrawals.length, 2);
    const leaves = withdrawals.map(withdrawalLeaf);
    assert.equal(built.header.withdrawalsRoot, withdrawalsRoot(leaves));
    const w = withdrawals.find((x) => x.recipient === bob.address)!;
    assert.deepEqual([w.blockNumber, w.amount], [1n, 200n]);
    assert.equal(rootFromProof(withdrawalLeaf(w), withdrawalProof(leaves, Number(w.index))), built.header.withdrawalsRoot);
    assert.deepEqual(executeOn(g.header, g.state, built).withdrawals, withdrawals);
  });

  test("a zero-value transfer to WITHDRAWAL_ADDRESS pays its fee but adds no leaf", () => {
    const g = genesis();
    const built = buildOn(g.header, g.state, { mempool: [transfer(alice, { to: WITHDRAWAL_ADDRESS, value: 0n })] });
    assert.equal(built.transactions.length, 1);
    assert.equal(built.withdrawals.length, 0);
    assert.equal(g.state.extend(built.changes).getAccount(alice.address).nonce, 1n);
  });

  test("no withdrawals: root is zero", () => {
    const g = genesis();
    assert.equal(buildOn(g.header, g.state).header.withdrawalsRoot, `0x${"00".repeat(32)}`);
  });
});

describe("Inbox-only and empty blocks", () => {
  test("an empty block round-trips and lowers the base fee", () => {
    const g: { header: Header; state: MemoryState } = genesis();
    const built = buildOn(g.header, g.state);
    assert.equal(built.header.gasUsed, 0n);
    assert.equal(built.blockData, "0xc0");
    assert.deepEqual(executeOn(g.header, g.state, built).header, built.header);
  });
});
