/**
 * The checks that need the sender's account and the block's base fee: done when a block is built
 * or re-executed (and by the mempool against the latest state, to refuse hopeless transactions
 * early). A transaction that passed these can always be applied: a transfer cannot fail halfway.
 */
import { TRANSFER_GAS } from "./config.ts";
import { ExecutionError } from "./errors.ts";
import type { Account } from "./state.ts";
import type { Transfer } from "./transaction.ts";

/** EIP-1559: what the sender pays per gas, the base fee plus as much tip as the fee cap leaves. */
export function effectiveGasPrice(tx: Transfer, baseFee: bigint): bigint {
  const withTip = baseFee + tx.maxPriorityFeePerGas;
  return withTip < tx.maxFeePerGas ? withTip : tx.maxFeePerGas;
}

/** The tip per gas the proposer gets at this base fee (0 if the fee cap does not reach it). */
export function priorityFeePerGas(tx: Transfer, baseFee: bigint): bigint {
  const price = effectiveGasPrice(tx, baseFee) - baseFee;
  return price > 0n ? price : 0n;
}

/**
 * The most the transaction can cost, which the balance must cover up front (as in Ethereum: the
 * whole gas limit at the fee cap, though only 21,000 gas at the effective price is charged).
 */
export function maxTransactionCost(tx: Transfer): bigint {
  return tx.value + tx.gasLimit * tx.maxFeePerGas;
}

export function checkTransactionAgainstAccount(tx: Transfer, account: Account, baseFee: bigint): void {
  if (tx.nonce < account.nonce) {
    throw new ExecutionError("NONCE_TOO_LOW", "nonce too low", `expected ${account.nonce}, got ${tx.nonce}`);
  }
  if (tx.nonce > account.nonce) {
    throw new ExecutionError("NONCE_TOO_HIGH", "nonce too high", `expected ${account.nonce}, got ${tx.nonce}`);
  }
  if (tx.maxFeePerGas < baseFee) {
    throw new ExecutionError("FEE_CAP_BELOW_BASE_FEE", "max fee per gas less than block base fee", `fee cap ${tx.maxFeePerGas}, base fee ${baseFee}`);
  }
  const cost = maxTransactionCost(tx);
  if (account.balance < cost) {
    throw new ExecutionError("INSUFFICIENT_FUNDS", "insufficient funds for gas * price + value", `balance ${account.balance}, cost ${cost}`);
  }
}

/** What a transfer is charged: exactly the intrinsic gas, at the effective price. */
export function transferFee(tx: Transfer, baseFee: bigint): bigint {
  return TRANSFER_GAS * effectiveGasPrice(tx, baseFee);
}
