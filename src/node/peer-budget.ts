/**
 * What each peer may make this member spend on verification, in units of work: one unit is
 * about one BLS signature check (hash to G2 and a pairing, ~1 ms with blst). The transport
 * already bounds bytes per peer; this bounds what the bytes cost once decoded, because a 300-byte
 * vote with a bad signature costs as much as a pairing, and a 40-byte sync request can ask for
 * megabytes of disk reads and encoding. One bucket per member (config) index, never reset: a peer
 * that reconnects, or changes epoch index, keeps its debt.
 *
 * Sized so that honest traffic never hits it (test/node/peer-budget.test.ts replays it): at
 * DESIGN §8 loads, a peer that leads every view (10 blocks/s of 500 tx/s), votes, relays
 * certificates, gossips all its wallets' transactions and syncs as a lagging member costs about
 * 220 units/s; and so that a flooding peer gets at most BUDGET_UNITS_PER_SECOND units (~0.25 of
 * one core) after one burst. The member applies it after decoding and before stepping the core:
 *
 *   if (!budget.ready(from, now)) return;            // no credit left: not even decoded
 *   message = decodeMessage(...);                     // (malformed: budget.count(from, "malformed"))
 *   if (!budget.admit(from, message, now)) return;    // refused and counted as `budget`
 *   ...and on sending a sync-request to p: budget.expectAnswer(p)
 *
 * Answers to our own sync requests are not charged: they are work this member chose to ask for
 * (at most MAX_UNANSWERED_SYNC_REQUESTS per peer at a time), and a lagging member must catch up
 * at the speed of its CPU, not of a budget sized against floods. Answering a peer's sync request
 * happens synchronously in the member (no queue), so its cost is charged to the request.
 */
import { MAX_SYNC_PROPOSALS, type Message, type Proposal, type QC, type TC } from "../consensus/index.ts";
import { RefusalCounts, TokenBucket, type PeerRefusal, type RefusalReason } from "../network/index.ts";

/** Sustained verification work one peer may cause, in units (~signature checks) per second. */
export const BUDGET_UNITS_PER_SECOND = 250;
/** Held in reserve per peer: above the costliest legitimate message (a ~2 MiB sync page, ~1,600). */
export const BUDGET_BURST_UNITS = 2_500;
/** Payload bytes per unit: decoding, hashing and executing a block's transactions (~10 transfers). */
export const PAYLOAD_BYTES_PER_UNIT = 1024;
/** Blocks per unit of a sync request: each is a store read and its JSON encoding for the answer. */
export const SYNC_BLOCKS_PER_UNIT = 4;
/** A gossiped transaction: its sender's signature is recovered (secp256k1) at intake. */
export const TX_GOSSIP_COST = 0.1;
/** Our sync requests to one peer whose answers are admitted free, at a time. */
export const MAX_UNANSWERED_SYNC_REQUESTS = 2;
/**
 * What a refused message is charged: it was decoded (its signatures decompressed) before it was
 * refused, so a peer cannot make us decode without paying; `ready` then needs this much credit.
 */
const REFUSED_COST = 1;

/** A QC costs one aggregate check; the genesis QC has no signature and is trusted. */
function qcCost(qc: QC): number {
  return qc.signature === null ? 0 : 1;
}

/** One multi-pairing over the distinct high-QC views (each its own hash to G2), and the high QC. */
function tcCost(tc: TC): number {
  return new Set(tc.highQcViews.map(String)).size + qcCost(tc.highQc);
}

/** The leader's signature, the justify QC, the TC, and the payload's share (execution). */
function proposalCost(p: Proposal): number {
  const payloadBytes = Math.max(0, (p.block.payload.length - 2) / 2);
  return 1 + qcCost(p.block.justify) + (p.tc === undefined ? 0 : tcCost(p.tc)) + Math.ceil(payloadBytes / PAYLOAD_BYTES_PER_UNIT);
}

/** The verification work `message` can make this member do, in units; at least 1 per message. */
export function costOf(message: Message): number {
  switch (message.kind) {
    case "vote":
      return 1;
    case "timeout":
      // Its signature, its high QC, and the leader's signature it carries when it differs from ours.
      return 1 + qcCost(message.timeout.highQc) + (message.seen === undefined ? 0 : 1);
    case "qc":
      return Math.max(1, qcCost(message.qc));
    case "tc":
      return tcCost(message.tc);
    case "proposal":
      return proposalCost(message.proposal);
    case "sync-request":
      return 1 + Math.ceil(Math.min(message.limit, MAX_SYNC_PROPOSALS) / SYNC_BLOCKS_PER_UNIT);
    case "sync-response":
      return 1 + message.proposals.reduce((sum, p) => sum + proposalCost(p), 0);
  }
}

export interface PeerBudgetOptions {
  readonly unitsPerSecond?: number;
  readonly burstUnits?: number;
}

export class PeerBudget {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<number, TokenBucket>();
  readonly #unanswered = new Map<number, number>();
  readonly #refusals = new RefusalCounts();

  constructor(options: PeerBudgetOptions = {}) {
    this.#rate = options.unitsPerSecond ?? BUDGET_UNITS_PER_SECOND;
    this.#burst = options.burstUnits ?? BUDGET_BURST_UNITS;
  }

  /** Peers with a bucket (one per configured member that ever sent: bounded by the committee). */
  get size(): number {
    return this.#buckets.size + this.#unanswered.size;
  }

  costOf(message: Message): number {
    return costOf(message);
  }

  /** Whether `peer` has credit for one more message at `now`; false is counted as `budget`. */
  ready(peer: number, now: number): boolean {
    if (this.#bucket(peer, now).available(now) >= REFUSED_COST) return true;
    this.#refusals.add(peer, "budget");
    return false;
  }

  /** Takes `cost` units from `peer`'s budget at `now`; false (counted as `budget`) means drop. */
  take(peer: number, cost: number, now: number): boolean {
    const bucket = this.#bucket(peer, now);
    if (bucket.take(cost, now)) return true;
    bucket.charge(Math.min(cost, REFUSED_COST), now);
    this.#refusals.add(peer, "budget");
    return false;
  }

  /** `take` with the message's cost; an answer to one of our sync requests is admitted free. */
  admit(peer: number, message: Message, now: number): boolean {
    if (message.kind === "sync-response") {
      const unanswered = this.#unanswered.get(peer) ?? 0;
      if (unanswered > 0) {
        this.#unanswered.set(peer, unanswered - 1);
        return true;
      }
    }
    return this.take(peer, costOf(message), now);
  }

  /** We sent `peer` a sync request: its answer is work we asked for. */
  expectAnswer(peer: number): void {
    this.#unanswered.set(peer, Math.min(MAX_UNANSWERED_SYNC_REQUESTS, (this.#unanswered.get(peer) ?? 0) + 1));
  }

  /** Counts a refusal decided elsewhere (a message that failed to decode: `malformed`). */
  count(peer: number, reason: RefusalReason): void {
    this.#refusals.add(peer, reason);
  }

  /** Refusals per peer and reason, for `hotstuff_messages_dropped_total{peer,reason}`. */
  refusals(): PeerRefusal[] {
    return this.#refusals.list();
  }

  #bucket(peer: number, now: number): TokenBucket {
    let bucket = this.#buckets.get(peer);
    if (bucket === undefined) this.#buckets.set(peer, (bucket = new TokenBucket(this.#rate, this.#burst, now)));
    return bucket;
  }
}
