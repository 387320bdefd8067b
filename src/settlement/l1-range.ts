/**
 * One L1 range as the follower reads it: the Inbox entries appended in it (each checked against
 * its event's accumulated hash, and the total against the contract's own count and
 * `accumulatedHash` at the range's last block), the finalized head and settled batches, the
 * slashings and the epochs started. All or nothing: a range that fails a check yields nothing.
 */
import { getAbiItem, type AbiEvent, type Address, type Hex, type PublicClient } from "viem";
import { PROPOSAL_TAG } from "../protocol/digests.ts";
import { accumulateInboxHash, type InboxEntry, type InboxEntryKind } from "../protocol/inbox.ts";
import { BRIDGE_ABI, COMMITTEE_ABI, ROLLUP_ABI } from "./abi.ts";
import type { CommitteeRecord, RefusedRecord } from "./committee-records.ts";
import { SettlementError } from "./errors.ts";
import type { L1Contracts } from "./l1.ts";

export interface Finality {
  readonly number: bigint;
  readonly hash: Hex;
  /** The L1 transaction that settled the batch holding the block (none for genesis). */
  readonly l1TxHash: Hex;
  readonly l1Block: bigint;
}

export interface SlashedMember {
  readonly memberId: bigint;
  readonly reporter: Address;
  readonly kind: "vote" | "proposal";
  readonly epoch: bigint;
  readonly view: bigint;
  readonly reward: bigint;
  readonly burned: bigint;
  readonly l1TxHash: Hex;
  readonly l1Block: bigint;
}

export interface EpochStart {
  readonly epoch: bigint;
  /** Member ids in committee order: bit i of a signer bitmap (and signer index i) is members[i]. */
  readonly members: readonly number[];
  readonly l1Block: bigint;
  /**
   * The epoch's member records (keys, fee recipients, endpoints) as L1 held them when the
   * follower read the event (committee-records.ts), and the ones it refused. Set by L1Follower;
   * absent where an epoch is made up without L1 (the simulator).
   */
  readonly records?: readonly CommitteeRecord[];
  readonly refused?: readonly RefusedRecord[];
}


/** A settled range [from, to] and the L1 transaction that settled it. */
export interface SettledRange {
  readonly from: bigint;
  readonly to: bigint;
  readonly l1TxHash: Hex;
  readonly l1Block: bigint;
}

const kindOfTag = (tag: Hex): "vote" | "proposal" => (tag === PROPOSAL_TAG ? "proposal" : "vote");

/** Where a range read starts: its blocks, and the Inbox as read before it. */
export interface RangeStart {
  readonly fromBlock: bigint;
  readonly toBlock: bigint;
  /** Inbox entries read before this range. */
  readonly entries: number;
  /** The accumulated hash after them. */
  readonly accumulated: Hex;
}

export interface L1Range {
  readonly entries: readonly InboxEntry[];
  readonly accumulated: Hex;
  readonly settled: readonly SettledRange[];
  readonly finalized: Finality | undefined;
  /** Every block the range's BlockFinalized events made final, by number. */
  readonly finalizedHashes: ReadonlyMap<bigint, Hex>;
  readonly slashed: readonly SlashedMember[];
  readonly epochs: readonly EpochStart[];
}

/** The five events a range is read for, one eth_getLogs for all of them (each checked against its emitter below). */
const RANGE_EVENTS = [
  getAbiItem({ abi: BRIDGE_ABI, name: "InboxEntryAppended" }),
  getAbiItem({ abi: ROLLUP_ABI, name: "BlockFinalized" }),
  getAbiItem({ abi: ROLLUP_ABI, name: "BatchSettled" }),
  getAbiItem({ abi: COMMITTEE_ABI, name: "MemberSlashed" }),
  getAbiItem({ abi: COMMITTEE_ABI, name: "EpochStarted" }),
] as AbiEvent[];

/**
 * Reads a range with one eth_getLogs for every event and, alongside it, the Inbox's count at the
 * range's end (its accumulated hash too when the range appended entries): two or three requests
 * per range, where one query per event made seven, per member and per L1 block (BENCHMARKS.md,
 * issue 11: L1 reads were a fifth of a member's CPU on the devnet).
 */
export async function readL1Range(client: PublicClient, contracts: L1Contracts, at: RangeStart): Promise<L1Range> {
  const { fromBlock, toBlock } = at;
  const [logs, onChainCount] = await Promise.all([
    client.getLogs({ address: [contracts.bridge, contracts.rollup, contracts.committee], events: RANGE_EVENTS, fromBlock, toBlock, strict: true }),
    client.readContract({ address: contracts.bridge, abi: BRIDGE_ABI, functionName: "inboxCount", blockNumber: toBlock }) as Promise<bigint>,
  ]);
  // The query matches any of the addresses with any of the events: keep each event from its own contract.
  const from = (address: Address, eventName: string) => logs.filter((l) => l.eventName === eventName && l.address.toLowerCase() === address.toLowerCase());
  const appended = from(contracts.bridge, "InboxEntryAppended");
  const finalizedLogs = from(contracts.rollup, "BlockFinalized");
  const batches = from(contracts.rollup, "BatchSettled");
  const slashings = from(contracts.committee, "MemberSlashed");
  const started = from(contracts.committee, "EpochStarted");
  const entries: InboxEntry[] = [];
  let accumulated = at.accumulated;
  for (const log of appended) {
    const a = log.args as unknown as { index: bigint; kind: number; sender: Address; recipient: Address; value: bigint; data: Hex; l1Block: bigint; accumulatedHash: Hex };
    const expected = BigInt(at.entries + entries.length);
    if (a.index !== expected) throw new SettlementError("INBOX_MISMATCH", `Inbox entry ${a.index} arrived where entry ${expected} was expected (L1 block ${log.blockNumber})`);
    const entry: InboxEntry = { index: a.index, kind: a.kind as InboxEntryKind, sender: a.sender, recipient: a.recipient, value: a.value, data: a.data, l1Block: a.l1Block };
    accumulated = accumulateInboxHash(accumulated, entry);
    if (accumulated !== a.accumulatedHash) {
      throw new SettlementError("INBOX_MISMATCH", `Inbox entry ${a.index}: recomputed accumulated hash ${accumulated}, the event says ${a.accumulatedHash}`);
    }
    entries.push(entry);
  }
  await checkInbox(client, contracts.bridge, toBlock, onChainCount, entries.length > 0, BigInt(at.entries + entries.length), accumulated);
  const settled: SettledRange[] = batches.map((log) => {
    const a = log.args as unknown as { firstNumber: bigint; lastNumber: bigint };
    return { from: a.firstNumber, to: a.lastNumber, l1TxHash: log.transactionHash!, l1Block: log.blockNumber! };
  });
  let finalized: Finality | undefined;
  const finalizedHashes = new Map<bigint, Hex>();
  for (const log of finalizedLogs) {
    const a = log.args as unknown as { number: bigint; hash: Hex };
    finalizedHashes.set(a.number, a.hash);
    if (finalized === undefined || a.number > finalized.number) finalized = { number: a.number, hash: a.hash, l1TxHash: log.transactionHash!, l1Block: log.blockNumber! };
  }
  const slashed: SlashedMember[] = slashings.map((log) => {
    const a = log.args as unknown as { memberId: bigint; reporter: Address; tag: Hex; epoch: bigint; viewNumber: bigint; reward: bigint; burned: bigint };
    return { memberId: a.memberId, reporter: a.reporter, kind: kindOfTag(a.tag), epoch: a.epoch, view: a.viewNumber, reward: a.reward, burned: a.burned, l1TxHash: log.transactionHash!, l1Block: log.blockNumber! };
  });
  const epochs: EpochStart[] = started.map((log) => {
    const a = log.args as unknown as { epoch: bigint; members: readonly number[] };
    return { epoch: a.epoch, members: [...a.members], l1Block: log.blockNumber! };
  });
  return { entries, accumulated, settled, finalized, finalizedHashes, slashed, epochs };
}

/**
 * The contract's own count and accumulated hash at `blockNumber` must match what the events added
 * up to: an RPC that omits, reorders or forges an entry is caught. The hash is read only when the
 * range appended entries: with the count unchanged it is the one the previous range checked.
 */
async function checkInbox(client: PublicClient, bridge: Address, blockNumber: bigint, onChainCount: bigint, appended: boolean, count: bigint, accumulated: Hex): Promise<void> {
  if (onChainCount !== count) {
    throw new SettlementError("INBOX_MISMATCH", `the Inbox holds ${onChainCount} entries at L1 block ${blockNumber}, its events gave ${count}`);
  }
  if (!appended) return;
  const onChain = (await client.readContract({ address: bridge, abi: BRIDGE_ABI, functionName: "accumulatedHash", args: [count], blockNumber })) as Hex;
  if (onChain !== accumulated) {
    throw new SettlementError("INBOX_MISMATCH", `the Inbox's accumulated hash at L1 block ${blockNumber} is ${onChain}, the events add up to ${accumulated}`);
  }
}
