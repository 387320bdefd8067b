/** A value transfer on L2 from a wallet's point of view: sign locally, send, wait for the receipt. */
import { BaseError, HttpRequestError, TimeoutError, WaitForTransactionReceiptTimeoutError, type Address, type Hex } from "viem";
import { walletOn, type Endpoint } from "./endpoints.ts";
import { ClientError, rootCause, shortMessage } from "./errors.ts";
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

/** Whether viem got no JSON-RPC answer at all (connection refused or reset, timed out, HTTP error status). */
function noAnswer(error: unknown): boolean {
  return error instanceof BaseError && error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError) !== null;
}

/**
 * Sends with viem as any wallet would (nonce from the pending count, gas from eth_estimateGas,
 * EIP-1559 fees from the latest block) and waits for the receipt. Failing, it says which stage:
 * REFUSED when the L2 answered the sending with a refusal (its reason in the message),
 * RPC_FAILED when the L2's JSON-RPC did not answer (while sending, or while waiting: then the
 * transaction was accepted), TIMEOUT when the L2 kept answering but no receipt came in time
 * (with the height the L2 reached, so a stalled chain shows as one).
 */
export async function sendTransfer(o: SendTransferOptions): Promise<TransferResult> {
  const wallet = walletOn(o.l2, o.key);
  const what = `the transfer of ${o.value} wei from ${wallet.account.address} to ${o.to}`;
  let hash: Hex;
  try {
    hash = await wallet.sendTransaction({ to: o.to, value: o.value });
  } catch (cause) {
    if (noAnswer(cause)) throw new ClientError("RPC_FAILED", `the L2 JSON-RPC at ${o.l2.url} failed while sending ${what}, which may or may not have been accepted: ${rootCause(cause)}`, { cause });
    throw new ClientError("REFUSED", `the L2 at ${o.l2.url} refused ${what}: ${rpcErrorOf(cause)?.message ?? shortMessage(cause)}`, { cause });
  }
  o.onSent?.(hash);
  const timeoutMs = o.timeoutMs ?? 60_000;
  try {
    const receipt = await o.l2.client.waitForTransactionReceipt({ hash, timeout: timeoutMs });
    return { transactionHash: hash, from: wallet.account.address, to: o.to, value: o.value, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, status: receipt.status };
  } catch (cause) {
    const accepted = `transaction ${hash} was accepted by the L2 at ${o.l2.url}`;
    if (!(cause instanceof WaitForTransactionReceiptTimeoutError)) {
      throw new ClientError("RPC_FAILED", `${accepted}, but the JSON-RPC failed while waiting for its receipt: ${rpcErrorOf(cause)?.message ?? rootCause(cause)}`, { cause });
    }
    // viem's wait swallows failed polls: ask once more, so a dead endpoint is not reported as a slow chain.
    const head = await o.l2.client.getBlockNumber({ cacheTime: 0 }).catch((e: unknown) => e as Error);
    if (head instanceof Error) {
      throw new ClientError("RPC_FAILED", `${accepted} but has no receipt after ${timeoutMs / 1000} s, and the JSON-RPC no longer answers: ${rootCause(head)}`, { cause });
    }
    throw new ClientError(
      "TIMEOUT",
      `${accepted} but has no receipt after ${timeoutMs / 1000} s (the L2 is at block ${head}); look again with scripts/verify-finality.ts ${hash}`,
      { cause },
    );
  }
}
