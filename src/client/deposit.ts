/**
 * A deposit as a user makes it: `Bridge.deposit(l2Recipient)` with value on L1 (a real L1
 * transaction from the user's key, src/devnet/fund.ts), then a wait until the recipient's L2
 * balance has grown by the amount: the members read the Inbox entry from L1 and the first L2
 * block that consumes it mints the value (DESIGN §5).
 */
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { fundByDeposits } from "../devnet/fund.ts";
import { decodeRevert } from "../settlement/abi.ts";
import { formatRevert } from "../settlement/errors.ts";
import { POLL_MS, type Endpoint } from "./endpoints.ts";
import { ClientError, shortMessage } from "./errors.ts";

export interface DepositResult {
  readonly l1: {
    readonly transactionHash: Hex;
    /** The L1 block of the deposit (the Inbox entry's l1Block). */
    readonly blockNumber: bigint;
    readonly from: Address;
    readonly inboxIndex: bigint;
    readonly amount: bigint;
    readonly balanceBefore: bigint;
    readonly balanceAfter: bigint;
  };
  readonly l2: {
    readonly recipient: Address;
    readonly balanceBefore: bigint;
    readonly balanceAfter: bigint;
  };
}

export interface DepositOptions {
  readonly l1: Endpoint;
  readonly l2: Endpoint;
  readonly bridge: Address;
  /** The L1 account paying (value and gas). */
  readonly key: Hex;
  readonly to: Address;
  /** Wei, > 0. */
  readonly amount: bigint;
  /** How long to wait for the value on L2 (default 60 s). */
  readonly timeoutMs?: number;
  readonly onDeposited?: (l1TxHash: Hex, inboxIndex: bigint) => void;
}

export async function depositToL2(o: DepositOptions): Promise<DepositResult> {
  const from = privateKeyToAccount(o.key).address;
  const [l1Before, l2Before] = await Promise.all([o.l1.client.getBalance({ address: from }), o.l2.client.getBalance({ address: o.to })]);
  let entry;
  try {
    [entry] = await fundByDeposits({ rpcUrl: o.l1.url, bridge: o.bridge, from: o.key, recipients: [{ address: o.to, amount: o.amount }] });
  } catch (cause) {
    const revert = decodeRevert(cause);
    const reason = revert === undefined ? shortMessage(cause) : formatRevert(revert);
    throw new ClientError("REFUSED", `Bridge.deposit of ${o.amount} wei from ${from} to ${o.to} failed on L1: ${reason}`, { cause });
  }
  o.onDeposited?.(entry!.transactionHash, entry!.index);
  const l1After = await o.l1.client.getBalance({ address: from });
  const timeoutMs = o.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let l2After = l2Before;
  while ((l2After = await o.l2.client.getBalance({ address: o.to })) < l2Before + o.amount) {
    if (Date.now() > deadline) {
      throw new ClientError(
        "TIMEOUT",
        `the deposit is on L1 (transaction ${entry!.transactionHash}, Inbox entry ${entry!.index}) but ${o.to} holds ${l2After} wei on L2 after ${timeoutMs / 1000} s, ` +
          `not ${l2Before + o.amount}: are the members following L1?`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return {
    l1: { transactionHash: entry!.transactionHash, blockNumber: entry!.l1Block, from, inboxIndex: entry!.index, amount: o.amount, balanceBefore: l1Before, balanceAfter: l1After },
    l2: { recipient: o.to, balanceBefore: l2Before, balanceAfter: l2After },
  };
}
