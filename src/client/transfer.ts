/** A value transfer on L2 from a wallet's point of view: sign locally, send, wait for the receipt. */
import type { Address, Hex } from "viem";
import { walletOn, type Endpoint } from "./endpoints.ts";
import { ClientError, shortMessage } from "./errors.ts";
import { rpcErrorOf } from "./rpc-errors.ts";

export interface TransferResult {
  readonly transactionHash: Hex;
  readonly from: Address;
  readonly to: Address;
  readonly value: bigint;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly status: "success" | "reverted";
}

export interface SendTransferOptions {
  readonly l2: Endpoint;
  /** The sender's private key. */
  readonly key: Hex;
  readonly to: Address;
  /** Wei. */
  readonly value: bigint;
  /** How long to wait for the receipt (default 60 s). */
  readonly timeoutMs?: number;
  /** Called once the L2 accepted the transaction, before the wait. */
  readonly onSent?: (hash: Hex) => void;
}

/**
 * Sends with viem as any wallet would (nonce from the pending count, gas from eth_estimateGas,
 * EIP-1559 fees from the latest block) and waits for the receipt. REFUSED when the L2 refuses
 * the transaction (its reason in the message), TIMEOUT when no receipt comes in time.
 */
export async function sendTransfer(o: SendTransferOptions): Promise<TransferResult> {
  const wallet = walletOn(o.l2, o.key);
  let hash: Hex;
  try {
    hash = await wallet.sendTransaction({ to: o.to, value: o.value });
  } catch (cause) {
    throw new ClientError("REFUSED", `the L2 at ${o.l2.url} refused the transfer of ${o.value} wei from ${wallet.account.address} to ${o.to}: ${rpcErrorOf(cause)?.message ?? shortMessage(cause)}`, { cause });
  }
  o.onSent?.(hash);
  const timeoutMs = o.timeoutMs ?? 60_000;
  try {
    const receipt = await o.l2.client.waitForTransactionReceipt({ hash, timeout: timeoutMs });
    return { transactionHash: hash, from: wallet.account.address, to: o.to, value: o.value, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, status: receipt.status };
  } catch (cause) {
    throw new ClientError("TIMEOUT", `transaction ${hash} was accepted but has no receipt after ${timeoutMs / 1000} s (${shortMessage(cause)}); look again with scripts/verify-finality.ts ${hash}`, { cause });
  }
}
