import { parseTransaction, type Hex } from "viem";
import { WITHDRAWAL_ADDRESS, withdrawalLeaf, withdrawalProof, withdrawalsRoot } from "../../protocol/withdrawals.ts";
import { ResourceNotFoundError } from "../errors.ts";
import { expectParams, hashParam, invalidParams, quantity, quantityParam } from "../params.ts";
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
 * committed transaction that withdrew, and the block's `withdrawalsRoot` the proof leads to
 * (src/protocol/withdrawals.ts: the leaf format and the sorted-pair Merkle tree the Bridge
 * recomputes). `finalized` says whether the block is final on L1 yet (as rollup_getFinality): the
 * Bridge pays only against finalized blocks.
 *
 * A transaction withdraws by sending value to WITHDRAWAL_ADDRESS itself (the recipient is its
 * sender) or by calling a contract that does (the recipient is that contract: msg.sender of the
 * call that sent the value); one transaction can make several withdrawals, and `position` (0 by
 * default) picks one. Execution records which transaction made each leaf. Leaves stored before it
 * did (transfers only) are found by walking the block's transfers to WITHDRAWAL_ADDRESS.
 */
export const rollup_getWithdrawalProof: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 2, "[transactionHash, position?]");
  const hash = hashParam(params[0], "transactionHash");
  const position = params[1] === undefined ? 0 : Number(quantityParam(params[1], "position", 0n, 1_000_000n));
  const found = ctx.receipt(hash);
  if (found === undefined) {
    if (ctx.transaction(hash) !== undefined) throw new ResourceNotFoundError(`transaction ${hash} is pending: its withdrawal proof exists once its block is committed`);
    throw new ResourceNotFoundError(`transaction ${hash} is not known to this node`);
  }
  const { receipt, blockHash } = found;
  const block = ctx.blockByNumber(receipt.blockNumber);
  if (block === undefined) throw new ResourceNotFoundError(`block ${quantity(receipt.blockNumber)} of transaction ${hash} is missing from this node's store`);
  const withdrawals = ctx.withdrawals(receipt.blockNumber);
  const recorded = withdrawals.some((w) => w.transactionHash !== undefined);
  let index: number;
  if (recorded) {
    const own = withdrawals.filter((w) => w.transactionHash?.toLowerCase() === hash.toLowerCase());
    if (own.length === 0) throw invalidParams(`transactionHash names a transaction that withdrew nothing (it sent no value to ${WITHDRAWAL_ADDRESS}, directly or from a contract, or it reverted)`, hash);
    if (position >= own.length) throw invalidParams(`position ${position} is past the transaction's ${own.length} withdrawal(s)`, params[1]);
    index = Number(own[position]!.index);
  } else {
    if (receipt.to?.toLowerCase() !== WITHDRAWAL || position !== 0) {
      throw invalidParams(`transactionHash names a transaction to ${receipt.to ?? "no address (a contract creation)"}, not a withdrawal (a transfer of value to ${WITHDRAWAL_ADDRESS})`, hash);
    }
    const amount = withdrawnValue(block.rawTransactions[receipt.transactionIndex]!);
    if (amount === 0n) throw invalidParams(`transactionHash names a transfer of no value to ${WITHDRAWAL_ADDRESS}, which withdraws nothing`, hash);
    index = 0;
    for (let i = 0; i < receipt.transactionIndex; i++) if (withdrawnValue(block.rawTransactions[i]!) > 0n) index++;
    const w = withdrawals[index];
    // The stored leaf must be this transaction's: the Bridge would refuse a proof of anything else.
    if (w === undefined || w.amount !== amount || w.recipient.toLowerCase() !== receipt.from.toLowerCase()) {
      throw new Error(`block ${receipt.blockNumber}: withdrawal ${index} is not transaction ${hash}'s (store and block disagree)`);
    }
  }
  const w = withdrawals[index]!;
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
    recipient: w.recipient,
    amount: quantity(w.amount),
    proof: withdrawalProof(leaves, index),
    withdrawalsRoot: root,
    finalized: blockFinality(receipt.blockNumber, blockHash, ctx).status === "finalized",
  };
};
