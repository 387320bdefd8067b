/**
 * A claim paid by the Bridge on L1 (a withdrawal, or an escaped balance in exit mode): simulated
 * first, so a refusal is a named ClientError before any gas is spent, then sent and awaited; the
 * payee's balance is read around the claim's own block, so the change shown is the claim's
 * (hardhat mines one transaction per block).
 */
import type { Address, Hex } from "viem";
import { BRIDGE_ABI, decodeRevert } from "../settlement/abi.ts";
import { formatRevert, type DecodedRevert } from "../settlement/errors.ts";
import { walletOn, type Endpoint } from "./endpoints.ts";
import { ClientError, shortMessage } from "./errors.ts";

export interface BridgeClaim {
  readonly transactionHash: Hex;
  readonly blockNumber: bigint;
  readonly claimer: Address;
  readonly balanceBefore: bigint;
  readonly balanceAfter: bigint;
}

export async function sendBridgeClaim(o: {
  l1: Endpoint;
  bridge: Address;
  key: Hex;
  functionName: "claimWithdrawal" | "claimBalance";
  args: readonly unknown[];
  /** Whose L1 balance the claim pays. */
  payee: Address;
  /** What the claim is, for messages: "Bridge.claimWithdrawal for 0x…". */
  what: string;
  /** A named error for an expected refusal; undefined makes it REFUSED with the revert. */
  refusal: (revert: DecodedRevert, cause: unknown) => ClientError | undefined;
}): Promise<BridgeClaim> {
  const wallet = walletOn(o.l1, o.key);
  // viem's types cannot follow a function name chosen at run time; the ABI checks the arguments when encoding.
  const call = { address: o.bridge, abi: BRIDGE_ABI, functionName: o.functionName, args: o.args, account: wallet.account } as never;
  try {
    await o.l1.client.simulateContract(call);
  } catch (cause) {
    const revert = decodeRevert(cause);
    const named = revert === undefined ? undefined : o.refusal(revert, cause);
    if (named !== undefined) throw named;
    throw new ClientError("REFUSED", `${o.what} was refused: ${revert === undefined ? shortMessage(cause) : formatRevert(revert)}`, { cause });
  }
  const hash = await wallet.writeContract({ ...(call as object), chain: o.l1.chain } as never);
  const receipt = await o.l1.client.waitForTransactionReceipt({ hash, timeout: 60_000 });
  if (receipt.status !== "success") throw new ClientError("REFUSED", `${o.what}: transaction ${hash} reverted on L1`);
  const [balanceBefore, balanceAfter] = await Promise.all([
    o.l1.client.getBalance({ address: o.payee, blockNumber: receipt.blockNumber - 1n }),
    o.l1.client.getBalance({ address: o.payee, blockNumber: receipt.blockNumber }),
  ]);
  return { transactionHash: hash, blockNumber: receipt.blockNumber, claimer: wallet.account.address, balanceBefore, balanceAfter };
}
