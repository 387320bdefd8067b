/**
 * Reads an epoch's committee from L1 (`Committee.epochRecords`): each seated member's id, key,
 * fee recipient and p2p endpoint, in the epoch's order (bit i of a QC's signer bitmap is entry
 * i). One call per epoch, so a node can learn a new epoch's members and where to reach them
 * from L1 instead of from its config. The records are checked at this boundary: a key that is
 * not 128 bytes or an endpoint that is not a ws:// or wss:// URL is an error naming the member.
 */
import { type Address, type Hex, type PublicClient } from "viem";
import { COMMITTEE_ABI, decodeRevert } from "./abi.ts";
import { formatRevert, SettlementError } from "./errors.ts";

export interface CommitteeRecord {
  readonly memberId: number;
  /** The member's BLS key, 128-byte EIP-2537 G1 encoding (the contract validated it at admission). */
  readonly publicKey: Hex;
  readonly feeRecipient: Address;
  /** ws:// or wss:// URL of the member's p2p listener; undefined for a genesis member seated without one. */
  readonly endpoint: string | undefined;
}

const ENDPOINT = /^wss?:\/\/[^\s/]+/;

/** The members of `epoch` in committee order, read in one call. */
export async function readEpochRecords(publicClient: PublicClient, committee: Address, epoch: bigint): Promise<CommitteeRecord[]> {
  let raw: readonly { memberId: number; feeRecipient: Address; publicKey: Hex; endpoint: string }[];
  try {
    raw = (await publicClient.readContract({ address: committee, abi: COMMITTEE_ABI, functionName: "epochRecords", args: [epoch] })) as typeof raw;
  } catch (error) {
    const revert = decodeRevert(error);
    if (revert === undefined) throw new SettlementError("L1_UNAVAILABLE", `cannot read epoch ${epoch}'s committee from ${committee}: ${(error as Error).message}`, { cause: error });
    throw new SettlementError("INVALID_ITEM", `L1 has no committee for epoch ${epoch}: ${formatRevert(revert)}`, { cause: error, revert });
  }
  return raw.map((r, i) => {
    if (!/^0x[0-9a-fA-F]{256}$/.test(r.publicKey)) {
      throw new SettlementError("INVALID_ITEM", `epoch ${epoch} member ${i} (id ${r.memberId}): key is not a 128-byte EIP-2537 point (${r.publicKey.slice(0, 20)}…)`);
    }
    if (r.endpoint !== "" && !ENDPOINT.test(r.endpoint)) {
      throw new SettlementError("INVALID_ITEM", `epoch ${epoch} member ${i} (id ${r.memberId}): endpoint ${JSON.stringify(r.endpoint)} is not a ws:// or wss:// URL`);
    }
    return { memberId: r.memberId, publicKey: r.publicKey, feeRecipient: r.feeRecipient, endpoint: r.endpoint === "" ? undefined : r.endpoint };
  });
}
