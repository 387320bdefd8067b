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

/** A record L1 returned that a node cannot use as it is, and why (in words an operator can act on). */
export interface RefusedRecord {
  readonly memberId: number;
  /** Its position in the epoch's order. */
  readonly index: number;
  readonly field: "publicKey" | "endpoint";
  readonly reason: string;
}

/**
 * An epoch's records with each one checked, for a node that must keep going whatever L1 holds:
 * a record with a malformed key is left out of `records` (the epoch cannot be verified without
 * it: the node says so and does not follow that epoch), one with a malformed endpoint is kept
 * without its endpoint (the member's signatures still count; it just is not dialled). Every
 * refusal is in `refused`. Throws SettlementError only when L1 cannot answer or has no such epoch.
 * `blockNumber`: read the records as of that L1 block (the follower's scanned head).
 */
export async function readEpochCommittee(
  publicClient: PublicClient,
  committee: Address,
  epoch: bigint,
  blockNumber?: bigint,
): Promise<{ records: CommitteeRecord[]; refused: RefusedRecord[] }> {
  let raw: readonly { memberId: number; feeRecipient: Address; publicKey: Hex; endpoint: string }[];
  try {
    raw = (await publicClient.readContract({ address: committee, abi: COMMITTEE_ABI, functionName: "epochRecords", args: [epoch], ...(blockNumber === undefined ? {} : { blockNumber }) })) as typeof raw;
  } catch (error) {
    const revert = decodeRevert(error);
    if (revert === undefined) throw new SettlementError("L1_UNAVAILABLE", `cannot read epoch ${epoch}'s committee from ${committee}: ${(error as Error).message}`, { cause: error });
    throw new SettlementError("INVALID_ITEM", `L1 has no committee for epoch ${epoch}: ${formatRevert(revert)}`, { cause: error, revert });
  }
  const records: CommitteeRecord[] = [];
  const refused: RefusedRecord[] = [];
  raw.forEach((r, index) => {
    const keyProblem = checkKey(r.publicKey);
    if (keyProblem !== undefined) return void refused.push({ memberId: r.memberId, index, field: "publicKey", reason: keyProblem });
    let endpoint: string | undefined;
    if (r.endpoint !== "") {
      const endpointProblem = checkEndpoint(r.endpoint);
      if (endpointProblem === undefined) endpoint = r.endpoint;
      else refused.push({ memberId: r.memberId, index, field: "endpoint", reason: endpointProblem });
    }
    records.push({ memberId: r.memberId, publicKey: r.publicKey, feeRecipient: r.feeRecipient, endpoint });
  });
  return { records, refused };
}

/** Why `key` is not a 128-byte EIP-2537 point encoding, or undefined (the curve checks are the node's). */
function checkKey(key: Hex): string | undefined {
  return /^0x[0-9a-fA-F]{256}$/.test(key) ? undefined : `key is not a 128-byte EIP-2537 point (${key.slice(0, 20)}…)`;
}

/** Why `endpoint` is not a ws:// or wss:// URL a node can dial, or undefined. */
export function checkEndpoint(endpoint: string): string | undefined {
  const quoted = JSON.stringify(endpoint.length > 80 ? `${endpoint.slice(0, 80)}…` : endpoint);
  if (!ENDPOINT.test(endpoint)) return `endpoint ${quoted} is not a ws:// or wss:// URL`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `endpoint ${quoted} is not a valid URL`;
  }
  if (url.hostname === "" || url.username !== "" || url.password !== "") return `endpoint ${quoted} must name a host and no credentials`;
  return undefined;
}

/** The members of `epoch` in committee order, read in one call; any malformed record is an error naming the member. */
export async function readEpochRecords(publicClient: PublicClient, committee: Address, epoch: bigint): Promise<CommitteeRecord[]> {
  const { records, refused } = await readEpochCommittee(publicClient, committee, epoch);
  const first = refused[0];
  if (first !== undefined) throw new SettlementError("INVALID_ITEM", `epoch ${epoch} member ${first.index} (id ${first.memberId}): ${first.reason}`);
  return records;
}
