import { parseTransaction, type Hex } from "viem";
import { WITHDRAWAL_ADDRESS, withdrawalLeaf, withdrawalProof, withdrawalsRoot } from "../../protocol/withdrawals.ts";
import { ResourceNotFoundError } from "../errors.ts";
import { expectParams, hashParam, invalidParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { blockFinality } from "./finality.ts";

const WITHDRAWAL = WITHDRAWAL_ADDRESS.toLowerCase();

/** The value a transaction of the block withdraws (0 when it is not a withdrawal: another recipient, or no value). */
function withdrawnValue(raw: Hex): bigint {
  const tx = parseTransaction(raw);
  return tx.to?.toLowerCase() === WITHDRAWAL ? (tx.value ?? 0n) : 0n;
}

/**
 * What `Bridge.claimWithdrawal(blockNumber, index, recipient, amount, proof)` needs on L1 for a
 * committed transaction that withdrew (a transfer of value > 0 to WITHDRAWAL_ADDRESS), and the
 * block's `withdrawalsRoot` the proof leads to (src/protocol/withdrawals.ts: the leaf format and
 * the sorted-pair Merkle tree the Bridge recomputes). `finalized` says whether the block is final
 * on L1 yet (as rollup_getFinality): the Bridge pays only against finalized blocks.
 *
 * The withdrawal's `index` is its position among the block's withdrawals, which execution
 * numbers in transaction order (forced transactions first), counting only transfers with value:
 * so it is found by walking the block's transactions, and checked against the stored leaf.
 */
export const rollup_getWithdrawalProof: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[transactionHash]");
  const hash = hashParam(params[0], "transactionHash");
  const found = ctx.receipt(hash);
  if (found === undefined) {
    if (ctx.transaction(hash) !== undefined) throw new ResourceNotFoundError(`transaction ${hash} is pending: its withdrawal proof exists once its block is committed`);
    throw new ResourceNotFoundError(`transaction ${hash} is not known to this node`);
  }
  const { receipt, blockHash } = found;
  if (receipt.to?.toLowerCase() !== WITHDRAWAL) {
    throw invalidParams(`transactionHash names a transaction to ${receipt.to ?? "no address (a contract creation)"}, not a withdrawal (a transfer of value to ${WITHDRAWAL_ADDRESS})`, hash);
  }
  const block = ctx.blockByNumber(receipt.blockNumber);
  if (block === undefined) throw new ResourceNotFoundError(`block ${quantity(receipt.blockNumber)} of transaction ${hash} is missing from this node's store`);
  const amount = withdrawnValue(block.rawTransactions[receipt.transactionIndex]!);
  if (amount === 0n) throw invalidParams(`transactionHash names a transfer of no value to ${WITHDRAWAL_ADDRESS}, which withdraws nothing`, hash);
  let index = 0;
  for (let i = 0; i < receipt.transactionIndex; i++) if (withdrawnValue(block.rawTransactions[i]!) > 0n) index++;

  const withdrawals = ctx.withdrawals(receipt.blockNumber);
  const w = withdrawals[index];
  // The stored leaf must be this transaction's: the Bridge would refuse a proof of anything else.
  if (w === undefined || w.amount !== amount || w.recipient.toLowerCase() !== receipt.from.toLowerCase()) {
    throw new Error(`block ${receipt.blockNumber}: withdrawal ${index} is not transaction ${hash}'s (store and block disagree)`);
  }
  const leaves = withdrawals.map(withdrawalLeaf);
  const root = withdrawalsRoot(leaves);
  if (root !== block.block.header.withdrawalsRoot.toLowerCase()) {
    throw new Error(`block ${receipt.blockNumber}: stored withdrawals give root ${root}, the header has ${block.block.header.withdrawalsRoot}`);
  }
  return {
    transactionHash: hash,
    blockNumber: quantity(receipt.blockNumber),
    blockHash,
    index: quantity(index),
    recipient: receipt.from,
    amount: quantity(amount),
    proof: withdrawalProof(leaves, index),
    withdrawalsRoot: root,
    finalized: blockFinality(receipt.blockNumber, blockHash, ctx).status === "finalized",
  };
};
