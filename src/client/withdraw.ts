/**
 * A withdrawal, end to end (DESIGN §5): a transfer of value to WITHDRAWAL_ADDRESS on L2 burns it
 * and records a leaf in its block's withdrawals root; once that block is final on L1, anyone
 * may call `Bridge.claimWithdrawal(blockNumber, index, recipient, amount, proof)` with the proof
 * the L2 serves (rollup_getWithdrawalProof), and the Bridge pays the recipient (the L2 sender)
 * on L1, once: a second claim is refused with `WithdrawalAlreadyClaimed(blockNumber, index)`.
 */
import { getAddress, type Address, type Hex } from "viem";
import { WITHDRAWAL_ADDRESS } from "../protocol/withdrawals.ts";
import { ROLLUP_ABI } from "../settlement/abi.ts";
import { formatRevert } from "../settlement/errors.ts";
import { POLL_MS, type Endpoint } from "./endpoints.ts";
import { sendBridgeClaim } from "./bridge-claim.ts";
import { ClientError } from "./errors.ts";
import { rpcErrorOf } from "./rpc-errors.ts";
import { sendTransfer, type TransferResult } from "./transfer.ts";

export { WITHDRAWAL_ADDRESS };

/** rollup_getWithdrawalProof's answer, with quantities as bigints. */
export interface WithdrawalProof {
  readonly transactionHash: Hex;
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly index: bigint;
  readonly recipient: Address;
  readonly amount: bigint;
  readonly proof: readonly Hex[];
  readonly withdrawalsRoot: Hex;
  readonly finalized: boolean;
}

/** Sends `amount` wei to WITHDRAWAL_ADDRESS on L2 and waits for the receipt. */
export function sendWithdrawal(o: { l2: Endpoint; key: Hex; amount: bigint; timeoutMs?: number; onSent?: (hash: Hex) => void }): Promise<TransferResult> {
  return sendTransfer({ l2: o.l2, key: o.key, to: WITHDRAWAL_ADDRESS, value: o.amount, ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }), ...(o.onSent === undefined ? {} : { onSent: o.onSent }) });
}

/** Polls `Rollup.isFinalized(number, hash)` on L1 until true; TIMEOUT after `timeoutMs`. */
export async function waitUntilFinal(o: { l1: Endpoint; rollup: Address; number: bigint; hash: Hex; timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const final = (await o.l1.client.readContract({ address: o.rollup, abi: ROLLUP_ABI, functionName: "isFinalized", args: [o.number, o.hash] })) as boolean;
    if (final) return;
    if (Date.now() > deadline) {
      throw new ClientError(
        "TIMEOUT",
        `L2 block ${o.number} (${o.hash}) is not final on L1 after ${o.timeoutMs / 1000} s: the devnet settles on its own; ` +
          "scripts/settle.ts --data-dir .devnet/members/member-0 --deployments .devnet/deployments.json settles now",
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** rollup_getWithdrawalProof(txHash): NOT_FOUND for an unknown or pending transaction, NOT_A_WITHDRAWAL for any other. */
export async function getWithdrawalProof(l2: Endpoint, transactionHash: Hex): Promise<WithdrawalProof> {
  let p: Record<string, unknown>;
  try {
    p = (await l2.client.request({ method: "rollup_getWithdrawalProof" as never, params: [transactionHash] as never })) as Record<string, unknown>;
  } catch (cause) {
    const answer = rpcErrorOf(cause);
    if (answer?.code === -32001) throw new ClientError("NOT_FOUND", answer.message, { cause });
    if (answer?.code === -32602) throw new ClientError("NOT_A_WITHDRAWAL", answer.message, { cause });
    throw cause;
  }
  return {
    transactionHash: p.transactionHash as Hex,
    blockNumber: BigInt(p.blockNumber as Hex),
    blockHash: p.blockHash as Hex,
    index: BigInt(p.index as Hex),
    recipient: getAddress(p.recipient as Address),
    amount: BigInt(p.amount as Hex),
    proof: p.proof as Hex[],
    withdrawalsRoot: p.withdrawalsRoot as Hex,
    finalized: p.finalized as boolean,
  };
}

export interface ClaimResult {
  readonly transactionHash: Hex;
  readonly blockNumber: bigint;
  /** Who paid the claim's gas (anyone may claim; the ETH always goes to the recipient). */
  readonly claimer: Address;
  readonly recipient: Address;
  readonly amount: bigint;
  readonly balanceBefore: bigint;
  readonly balanceAfter: bigint;
}

/**
 * Claims on L1. The call is simulated first, so a refusal costs nothing and comes back decoded:
 * ALREADY_CLAIMED for `WithdrawalAlreadyClaimed`, REFUSED for any other (`BlockNotFinalized`,
 * `InvalidWithdrawalProof`...).
 */
export async function claimWithdrawal(o: { l1: Endpoint; bridge: Address; key: Hex; proof: WithdrawalProof }): Promise<ClaimResult> {
  const { proof: w } = o;
  const sent = await sendBridgeClaim({
    ...o,
    functionName: "claimWithdrawal",
    args: [w.blockNumber, w.index, w.recipient, w.amount, w.proof],
    payee: w.recipient,
    what: `Bridge.claimWithdrawal for ${w.transactionHash}`,
    refusal: (revert, cause) =>
      revert.errorName === "WithdrawalAlreadyClaimed"
        ? new ClientError("ALREADY_CLAIMED", `withdrawal ${w.index} of L2 block ${w.blockNumber} (${w.amount} wei to ${w.recipient}, transaction ${w.transactionHash}) is already claimed: the Bridge refused with ${formatRevert(revert)}`, { cause })
        : undefined,
  });
  return { ...sent, recipient: w.recipient, amount: w.amount };
}
