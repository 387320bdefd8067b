/**
 * Committee membership on a running chain, as its parties do it on L1 (contracts/committee/):
 * an operator applies with a bond, its BLS key, a proof of possession naming the operator, a fee
 * recipient and its p2p endpoint; governance admits the applicant (it joins at the next epoch,
 * which the Rollup starts at its next settle); a member announces its exit (it leaves at the next
 * epoch) and, once the unbonding delay has passed, withdraws its bond. Each step waits for its
 * receipt and turns a revert into a DevnetError naming the contract's custom error.
 * `npm run devnet -- admit | exit | withdraw` (scripts/devnet.ts) and the tests use these.
 */
import { BaseError, ContractFunctionRevertedError, type Address, type Hex } from "viem";
import type { SecretKey } from "../crypto/index.ts";
import { popDigest } from "../protocol/digests.ts";
import { COMMITTEE_ABI } from "../settlement/abi.ts";
import { connectL1 } from "./clients.ts";
import { DevnetError } from "./errors.ts";

/** Committee.Status, in the contract's order. */
export const MEMBER_STATUS = ["None", "Pending", "Active", "Ejected", "Applied", "Exiting", "Exited", "Withdrawn"] as const;
export type MemberStatus = (typeof MEMBER_STATUS)[number];

export interface MemberRecordOnL1 {
  readonly owner: Address;
  readonly feeRecipient: Address;
  readonly bond: bigint;
  readonly status: MemberStatus;
  readonly publicKey: Hex;
  readonly endpoint: string;
  /** Unix seconds; 0 until it has left. */
  readonly withdrawableAt: bigint;
}

interface Target {
  readonly rpcUrl: string;
  readonly committee: Address;
}

/** Sends one Committee call from `privateKey` and waits for its receipt; a revert names its custom error. */
async function send(target: Target, privateKey: Hex, functionName: string, args: readonly unknown[], value?: bigint): Promise<{ hash: Hex; result: unknown }> {
  const { publicClient, walletClient } = await connectL1(target.rpcUrl, privateKey);
  try {
    const { request, result } = await publicClient.simulateContract({ account: walletClient.account, address: target.committee, abi: COMMITTEE_ABI, functionName, args, ...(value === undefined ? {} : { value }) });
    const hash = await walletClient.writeContract(request);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new DevnetError("L1_REVERTED", `Committee.${functionName} reverted (transaction ${hash})`);
    return { hash, result };
  } catch (e) {
    if (e instanceof DevnetError) throw e;
    const reverted = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : undefined;
    if (reverted instanceof ContractFunctionRevertedError && reverted.data !== undefined) {
      const args = (reverted.data.args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : JSON.stringify(a))).join(", ");
      throw new DevnetError("L1_REVERTED", `Committee.${functionName} reverted with ${reverted.data.errorName}(${args})`);
    }
    throw new DevnetError("L1_REVERTED", `Committee.${functionName} failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
}

export interface ApplyOptions extends Target {
  /** The operator's L1 key: it pays the bond, owns it, and is the account the proof of possession names. */
  readonly operator: Hex;
  readonly secretKey: SecretKey;
  readonly l2ChainId: bigint;
  readonly feeRecipient: Address;
  /** ws:// URL of the member's p2p listener. */
  readonly endpoint: string;
  /** Wei; default the Committee's minimumBond. */
  readonly bond?: bigint;
}

/** `applyForSeat` with a proof of possession bound to the operator; returns the new member id. */
export async function applyForSeat(o: ApplyOptions): Promise<{ memberId: number; hash: Hex }> {
  const { publicClient, walletClient } = await connectL1(o.rpcUrl, o.operator);
  const bond = o.bond ?? ((await publicClient.readContract({ address: o.committee, abi: COMMITTEE_ABI, functionName: "minimumBond" })) as bigint);
  const publicKey = o.secretKey.publicKey.toEip2537();
  const proof = o.secretKey.signPossession(popDigest(o.l2ChainId, o.committee, walletClient.account.address, publicKey)).toEip2537();
  const { hash, result } = await send(o, o.operator, "applyForSeat", [publicKey, proof, o.feeRecipient, o.endpoint], bond);
  return { memberId: Number(result as bigint), hash };
}

/** Governance admits applicant `memberId`: it joins the committee at the next epoch. */
export async function admitMember(o: Target & { readonly governance: Hex; readonly memberId: number }): Promise<Hex> {
  return (await send(o, o.governance, "admit", [BigInt(o.memberId)])).hash;
}

/** The member's operator announces its exit: it leaves at the next epoch; its bond unlocks after the unbonding delay. */
export async function announceExit(o: Target & { readonly operator: Hex; readonly memberId: number }): Promise<Hex> {
  return (await send(o, o.operator, "announceExit", [BigInt(o.memberId)])).hash;
}

/** The operator takes its bond back (after the unbonding delay; BondStillLocked before). */
export async function withdrawBond(o: Target & { readonly operator: Hex; readonly memberId: number }): Promise<Hex> {
  return (await send(o, o.operator, "withdrawBond", [BigInt(o.memberId)])).hash;
}

export async function readMember(o: Target & { readonly memberId: number }): Promise<MemberRecordOnL1> {
  const { publicClient } = await connectL1(o.rpcUrl, `0x${"11".repeat(32)}`);
  const r = (await publicClient.readContract({ address: o.committee, abi: COMMITTEE_ABI, functionName: "member", args: [BigInt(o.memberId)] })) as readonly [Address, Address, bigint, number, Hex, string, bigint];
  return { owner: r[0], feeRecipient: r[1], bond: r[2], status: MEMBER_STATUS[r[3]] ?? "None", publicKey: r[4], endpoint: r[5], withdrawableAt: r[6] };
}

/** The L1 block's timestamp (unix seconds): when a bond unlocks is judged by L1's clock, not ours. */
export async function l1Time(rpcUrl: string): Promise<bigint> {
  const { publicClient } = await connectL1(rpcUrl, `0x${"11".repeat(32)}`);
  return (await publicClient.getBlock({ blockTag: "latest" })).timestamp;
}
