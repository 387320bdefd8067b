/**
 * rollup_getWithdrawalProof for withdrawals made by contracts (the leaf's recipient is the
 * contract) beside an EOA's in the same block: each transaction's proof leads to the block's
 * withdrawals root, with the index execution gave the leaf.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getContractAddress, type Address, type Hex } from "viem";
import type { Block } from "../../src/consensus/index.ts";
import type { RpcContext } from "../../src/rpc/context.ts";
import { rollup_getWithdrawalProof } from "../../src/rpc/methods/rollup_getWithdrawalProof.ts";
import { RpcError } from "../../src/rpc/errors.ts";
import { rootFromProof, WITHDRAWAL_ADDRESS, withdrawalLeaf } from "../../src/protocol/withdrawals.ts";
import { alice, bob, buildOn, carol, genesis } from "../execution/chain.ts";
import { callData, deployData } from "../execution/contracts.ts";
import { transfer } from "../execution/fixtures.ts";

const g = genesis();
const withdrawer = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
const first = buildOn(g.header, g.state, { mempool: [transfer(alice, { nonce: 0n, to: "0x", value: 0n, gas: 500_000n, data: deployData("Withdrawer") })] });
g.state.commit(first.changes);
const fee = { maxFeePerGas: 3_000_000_000n };
const built = buildOn(first.header, g.state, {
  mempool: [
    transfer(bob, { nonce: 0n, to: withdrawer, value: 30n, gas: 200_000n, data: callData("Withdrawer", "withdraw"), ...fee, maxPriorityFeePerGas: 3n }),
    transfer(carol, { nonce: 0n, to: WITHDRAWAL_ADDRESS, value: 7n, ...fee, maxPriorityFeePerGas: 2n }),
    transfer(bob, { nonce: 1n, to: withdrawer, value: 10n, gas: 200_000n, data: callData("Withdrawer", "withdrawAndRevert"), ...fee, maxPriorityFeePerGas: 1n }),
  ],
});
const blockHash = `0x${"ab".repeat(32)}` as Hex;
const ctx = {
  receipt: (hash: Hex) => {
    const receipt = built.receipts.find((r) => r.transactionHash === hash.toLowerCase());
    return receipt === undefined ? undefined : { receipt, blockHash };
  },
  transaction: () => undefined,
  blockByNumber: (n: bigint) => (n === built.header.number ? { hash: blockHash, block: { header: built.header } as Block, transactionHashes: built.transactions.map((t) => t.hash), rawTransactions: built.transactions.map((t) => t.raw) } : undefined),
  withdrawals: (n: bigint) => (n === built.header.number ? built.withdrawals : []),
  finality: () => undefined,
  settlement: () => undefined,
} as Partial<RpcContext> as RpcContext;

describe("rollup_getWithdrawalProof with contract withdrawals", () => {
  test("a contract's withdrawal and an EOA's, each proven to the block's root with its own recipient and index", () => {
    assert.deepEqual(built.transactions.map((t) => t.from), [bob.address, carol.address, bob.address], "ordered by tip");
    const byContract = rollup_getWithdrawalProof([built.transactions[0]!.hash], ctx) as Record<string, unknown>;
    const byEoa = rollup_getWithdrawalProof([built.transactions[1]!.hash], ctx) as Record<string, unknown>;
    assert.deepEqual([byContract.recipient, byContract.amount, byContract.index], [withdrawer, "0x1e", "0x0"]);
    assert.deepEqual([byEoa.recipient, byEoa.amount, byEoa.index], [carol.address, "0x7", "0x1"]);
    for (const p of [byContract, byEoa]) {
      const leaf = withdrawalLeaf({ blockNumber: built.header.number, index: BigInt(p.index as Hex), recipient: p.recipient as Address, amount: BigInt(p.amount as Hex) });
      assert.equal(rootFromProof(leaf, p.proof as Hex[]), built.header.withdrawalsRoot);
    }
  });

  test("a transaction whose withdrawal reverted withdrew nothing", () => {
    assert.equal(built.receipts[2]!.status, "reverted");
    assert.throws(() => rollup_getWithdrawalProof([built.transactions[2]!.hash], ctx), (e: unknown) => e instanceof RpcError && /withdrew nothing/.test(e.message));
  });
});
