/** Contracts on the L2: creation, calls, logs, reverts, out of gas and withdrawals through the EVM. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeEventLog, getContractAddress, keccak256, toHex, type Address, type Hex } from "viem";
import { WITHDRAWAL_ADDRESS } from "../../src/protocol/withdrawals.ts";
import { hashHeader, type Header } from "../../src/protocol/header.ts";
import { alice, bob, buildOn, config, deposit, executeOn, genesis, proposer, ROLLUP, totalSupply } from "./chain.ts";
import { callData, compiled, deployData, deployStoreAndToken, STORE, TOKEN } from "./contracts.ts";
import { ETHER, GWEI, testConfig, transfer } from "./fixtures.ts";

const slot = (i: bigint): Hex => toHex(i, { size: 32 });
const WITHDRAWAL = WITHDRAWAL_ADDRESS.toLowerCase() as Address;

describe("contracts through the EVM", () => {
  test("creation with a constructor argument: code, storage, nonce, receipt with contract address and log", () => {
    const g = genesis();
    const tx = transfer(alice, { to: "0x", value: 0n, gas: 300_000n, data: deployData("Store", [42n]) });
    const built = buildOn(g.header, g.state, { mempool: [tx] });
    assert.equal(built.transactions.length, 1);
    const receipt = built.receipts[0]!;
    const address = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
    assert.equal(receipt.status, "success");
    assert.equal(receipt.contractAddress, address);
    assert.equal(receipt.to, null);
    assert.equal(receipt.logs.length, 1);
    const event = decodeEventLog({ abi: compiled.Store.abi, ...receipt.logs[0]! } as unknown as Parameters<typeof decodeEventLog>[0]);
    const args = event.args as unknown as { by: Address; value: bigint };
    assert.equal(event.eventName, "Stored");
    assert.equal(args.by.toLowerCase(), alice.address);
    assert.equal(args.value, 42n);
    const after = g.state.extend(built.changes);
    assert.ok(after.getCode(address).length > 0);
    assert.equal(after.getStorage(address, slot(0n)), 42n);
    assert.equal(after.getAccount(address).nonce, 1n, "EIP-161: a new contract starts at nonce 1");
    assert.equal(after.getAccount(alice.address).nonce, 1n);
    assert.ok(receipt.gasUsed > 53_000n && receipt.gasUsed < 300_000n);
    // The fee: exactly gasUsed at the effective price, the tip to the proposer, the base fee burnt.
    const price = built.header.baseFee + GWEI;
    assert.equal(after.getAccount(alice.address).balance, ETHER - receipt.gasUsed * price);
    assert.equal(after.getAccount(proposer.address).balance, receipt.gasUsed * GWEI);
    assert.equal(built.header.gasUsed, receipt.gasUsed);
    // Every member re-executes it to the same header.
    assert.deepEqual(executeOn(g.header, g.state, built).header, built.header);
  });

  /** Deploys Store(1) and Token(1000) from alice, then builds `next` on top; every block is re-executed by a member. */
  function deployed(next: (store: Address, token: Address) => Hex[] | ReturnType<typeof transfer>[], overrides: Parameters<typeof buildOn>[2] = {}) {
    const g = genesis();
    const [store, token] = [STORE, TOKEN];
    const first = deployStoreAndToken(g, 1n);
    assert.deepEqual(first.receipts.map((r) => r.status), ["success", "success"]);
    const state = g.state.extend(first.changes);
    const block = buildOn(first.header, state, { mempool: next(store, token) as ReturnType<typeof transfer>[], ...overrides });
    // Another member, with its own state, re-executes both blocks to the leader's headers.
    const member = genesis();
    member.state.commit(executeOn(g.header, member.state, first).changes);
    const replayed = executeOn(first.header, member.state, block, overrides.config === undefined ? {} : { config: overrides.config });
    assert.deepEqual(replayed.header, block.header, "a member re-executes the leader's block identically");
    member.state.commit(replayed.changes);
    assert.equal(member.state.stateRoot(), block.header.stateRoot);
    return { before: state, after: state.extend(block.changes), block, store, token };
  }

  test("a call that changes storage, and an ERC-20 transfer emitting Transfer", () => {
    const { after, block, store, token } = deployed((store, token) => [
      transfer(bob, { nonce: 0n, to: store, value: 0n, gas: 100_000n, data: callData("Store", "set", [7n]) }),
      transfer(alice, { nonce: 2n, to: token, value: 0n, gas: 100_000n, data: callData("Token", "transfer", [bob.address, 250n]) }),
    ]);
    assert.deepEqual(block.receipts.map((r) => r.status), ["success", "success"]);
    assert.equal(after.getStorage(store, slot(0n)), 7n);
    const balanceSlot = (who: Address) => keccak256(`0x${who.slice(2).padStart(64, "0")}${"0".repeat(64)}` as Hex);
    assert.equal(after.getStorage(token, balanceSlot(alice.address)), 750n);
    assert.equal(after.getStorage(token, balanceSlot(bob.address)), 250n);
    const log = block.receipts.find((r) => r.to === token)!.logs[0]!;
    assert.equal(log.address, token);
    const event = decodeEventLog({ abi: compiled.Token.abi, ...log } as unknown as Parameters<typeof decodeEventLog>[0]);
    assert.equal(event.eventName, "Transfer");
    assert.deepEqual(Object.values(event.args as object).map((v) => (typeof v === "string" ? v.toLowerCase() : v)), [alice.address, bob.address, 250n]);
    assert.equal(block.header.gasUsed, block.receipts[0]!.gasUsed + block.receipts[1]!.gasUsed);
    // Log indexes run across the block: the transfer's Transfer log follows set's Stored log.
    assert.deepEqual(block.receipts.map((r) => [r.firstLogIndex, r.logs.length]), [[0, 1], [1, 1]]);
  });

  test("BLOCKHASH gives the hashes of the 256 blocks before this one, and 0 for this block, later ones and older ones", () => {
    const g = genesis();
    const hashes = new Map<bigint, Hex>();
    const blockHashes = (n: bigint) => hashes.get(n);
    let parent: Header = g.header;
    const grow = (mempool: ReturnType<typeof transfer>[] = []) => {
      hashes.set(parent.number, hashHeader(config.chainId, ROLLUP, parent));
      const block = buildOn(parent, g.state, { mempool, blockHashes });
      // Every member, with the same chain behind it, executes it to the same header.
      assert.deepEqual(executeOn(parent, g.state, block, { blockHashes }).header, block.header);
      g.state.commit(block.changes);
      parent = block.header;
      return block;
    };
    const contract = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
    grow([transfer(alice, { nonce: 0n, to: "0x", value: 0n, gas: 300_000n, data: deployData("Hashes") })]);
    for (let i = 0; i < 300; i++) grow();
    /** What BLOCKHASH(next block's number - back) gave, from a transaction in the next block. */
    const recorded = (back: bigint, nonce: bigint) => {
      const n = parent.number + 1n - back;
      grow([transfer(alice, { nonce, to: contract, value: 0n, gas: 100_000n, data: callData("Hashes", "record", [n]) })]);
      return { got: toHex(g.state.getStorage(contract, slot(0n)), { size: 32 }), want: hashes.get(n) };
    };
    const zero = toHex(0n, { size: 32 });
    let r = recorded(1n, 1n);
    assert.equal(r.got, r.want, "the parent's hash");
    r = recorded(200n, 2n);
    assert.equal(r.got, r.want);
    r = recorded(256n, 3n);
    assert.equal(r.got, r.want, "the oldest of the 256");
    assert.notEqual(r.want, undefined);
    assert.equal(recorded(257n, 4n).got, zero, "beyond 256 blocks: 0");
    assert.equal(recorded(0n, 5n).got, zero, "this block: 0");
    // A member that knew other hashes would compute another state: BLOCKHASH is part of consensus.
    hashes.set(parent.number, hashHeader(config.chainId, ROLLUP, parent));
    const block = buildOn(parent, g.state, { mempool: [transfer(alice, { nonce: 6n, to: contract, value: 0n, gas: 100_000n, data: callData("Hashes", "record", [parent.number]) })], blockHashes });
    assert.throws(() => executeOn(parent, g.state, block, { blockHashes: () => undefined }), /mismatch/);
  });

  test("a revert is included and charged, status reverted, no logs, state undone but nonce and fee", () => {
    const { before, after, block, token } = deployed((_, token) => [
      transfer(bob, { nonce: 0n, to: token, value: 0n, gas: 100_000n, data: callData("Token", "transfer", [alice.address, 1n]) }),
    ]);
    const receipt = block.receipts[0]!;
    assert.equal(receipt.status, "reverted");
    assert.deepEqual(receipt.logs, []);
    assert.ok(receipt.gasUsed > 21_000n && receipt.gasUsed < 100_000n, `${receipt.gasUsed}`);
    assert.equal(after.getAccount(bob.address).nonce, 1n);
    assert.equal(after.getAccount(bob.address).balance, before.getAccount(bob.address).balance - receipt.gasUsed * receipt.effectiveGasPrice);
    assert.equal(after.getStorage(token, keccak256(`0x${alice.address.slice(2).padStart(64, "0")}${"0".repeat(64)}` as Hex)), 1000n);
  });

  test("out of gas: included, the whole gas limit charged, storage unchanged", () => {
    const { after, block, store } = deployed((store) => [transfer(bob, { nonce: 0n, to: store, value: 0n, gas: 80_000n, data: callData("Store", "spin") })]);
    assert.equal(block.receipts[0]!.status, "reverted");
    assert.equal(block.receipts[0]!.gasUsed, 80_000n);
    assert.equal(after.getStorage(store, slot(0n)), 1n);
  });

  test("value sent to a contract without a payable fallback runs its code and reverts; the value stays with the sender", () => {
    const { before, after, block, token } = deployed((_, token) => [transfer(bob, { nonce: 0n, to: token, value: 5n, gas: 50_000n })]);
    assert.equal(block.receipts[0]!.status, "reverted");
    assert.equal(after.getAccount(token).balance, 0n);
    assert.equal(after.getAccount(bob.address).balance, before.getAccount(bob.address).balance - block.receipts[0]!.gasUsed * block.receipts[0]!.effectiveGasPrice);
  });

  test("a transaction that does not fit the block's remaining gas is left for the next block", () => {
    const { block } = deployed((store, token) => [
      transfer(bob, { nonce: 0n, to: store, value: 0n, gas: 200_000n, data: callData("Store", "spin"), maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: 2n * GWEI }),
      transfer(alice, { nonce: 2n, to: token, value: 0n, gas: 200_000n, data: callData("Token", "transfer", [bob.address, 1n]) }),
    ], { config: testConfig({ blockGasLimit: 300_000n }) });
    assert.equal(block.transactions.length, 1, "after a transaction that used 200k gas, one that may use 200k does not fit a 300k block");
    assert.equal(block.header.gasUsed, 200_000n);
    assert.deepEqual(block.skipped.map((s) => s.code), ["BLOCK_GAS_LIMIT_EXCEEDED"]);
  });
});

describe("withdrawals from contracts", () => {
  function withdrawer(calls: { fn: string; value: bigint }[]) {
    const g = genesis();
    const address = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
    const first = buildOn(g.header, g.state, { mempool: [transfer(alice, { nonce: 0n, to: "0x", value: 0n, gas: 500_000n, data: deployData("Withdrawer") })] });
    const state = g.state.extend(first.changes);
    const block = buildOn(first.header, state, { mempool: calls.map((c, i) => transfer(bob, { nonce: BigInt(i), to: address, value: c.value, gas: 200_000n, data: callData("Withdrawer", c.fn) })) });
    assert.deepEqual(executeOn(first.header, state, block).header, block.header);
    return { address, state, block, after: state.extend(block.changes) };
  }

  test("a contract's withdrawal is a leaf for the contract (msg.sender), burnt on L2, in the withdrawals root", () => {
    const { address, state, block, after } = withdrawer([{ fn: "withdraw", value: 1000n }]);
    assert.equal(block.receipts[0]!.status, "success");
    assert.deepEqual(block.withdrawals, [{ blockNumber: block.header.number, index: 0n, recipient: address, amount: 1000n, transactionHash: block.transactions[0]!.hash }]);
    assert.equal(after.getAccount(WITHDRAWAL).balance, 0n, "burnt, not held by the system address");
    const who = [alice.address, bob.address, proposer.address, address, WITHDRAWAL];
    assert.equal(totalSupply(state, who) - totalSupply(after, who), 1000n + block.receipts[0]!.gasUsed * block.header.baseFee);
  });

  test("a withdrawal in a reverted frame does not happen; one beside a reverted inner call does", () => {
    const { address, block } = withdrawer([{ fn: "withdrawAndRevert", value: 10n }, { fn: "withdrawTwiceOneReverted", value: 20n }]);
    assert.deepEqual(block.receipts.map((r) => r.status), ["reverted", "success"]);
    assert.deepEqual(block.withdrawals, [{ blockNumber: block.header.number, index: 0n, recipient: address, amount: 10n, transactionHash: block.transactions[1]!.hash }]);
  });
});

describe("deposits and precompiles", () => {
  test("a deposit to a contract credits its balance without running its code (an L1 deposit is not an L2 call)", () => {
    const g = genesis();
    const token = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
    const first = buildOn(g.header, g.state, { mempool: [transfer(alice, { nonce: 0n, to: "0x", value: 0n, gas: 600_000n, data: deployData("Token", [1n]) })] });
    const state = g.state.extend(first.changes);
    const block = buildOn(first.header, state, { inbox: [deposit(0n, token, 5n * ETHER)], l1Origin: first.header.l1Origin });
    const after = state.extend(block.changes);
    assert.deepEqual(block.inbox.map((o) => o.kind), ["deposit"]);
    assert.equal(after.getAccount(token).balance, 5n * ETHER, "the Token has no payable fallback: a call with value would have reverted");
    assert.equal(block.receipts.length, 0);
  });

  test("a transfer to a precompile runs it, as on Ethereum: ecrecover of nothing succeeds for 3,000 gas, blake2f of nothing fails and burns its gas", () => {
    const g = genesis();
    const built = buildOn(g.header, g.state, {
      mempool: [
        transfer(alice, { nonce: 0n, to: "0x0000000000000000000000000000000000000001", value: 1n, gas: 50_000n }),
        transfer(alice, { nonce: 1n, to: "0x0000000000000000000000000000000000000009", value: 1n, gas: 50_000n }),
      ],
    });
    assert.deepEqual(built.receipts.map((r) => [r.status, r.gasUsed]), [["success", 24_000n], ["reverted", 50_000n]]);
  });
});
