/**
 * What a peer's gossiped transactions may cost this member before they reach the Redis intake.
 * A gossiped transaction costs a hash here and a Redis round trip (then, once, decoding and
 * sender recovery in the intake worker), and nothing else bounded it: a peer repeating one
 * transaction at the transport's frame rate (thousands a second) queued as many Redis commands
 * and pending promises in this process, faster than Redis answered them. So, in order:
 *
 *   1. the peer's verification budget is charged TX_GOSSIP_COST (peer-budget.ts): a flooding
 *      peer runs out of credit, and then none of its messages are even decoded;
 *   2. a hash seen recently is dropped here (the intake deduplicates by hash too, but in Redis);
 *   3. at most MAX_GOSSIP_IN_FLIGHT submissions wait on Redis at a time; beyond, gossip is
 *      dropped (best effort: the transaction also reaches the leader from its own member).
 */
import { keccak256, type Hex } from "viem";
import { TX_GOSSIP_COST, type PeerBudget } from "./peer-budget.ts";

/** Hashes remembered to drop repeats before Redis (oldest forgotten first). */
export const RECENT_GOSSIP_HASHES = 8_192;
/** Gossiped transactions waiting on Redis at once, from all peers. */
export const MAX_GOSSIP_IN_FLIGHT = 512;

export type GossipVerdict = { readonly admit: true; readonly hash: Hex } | { readonly admit: false; readonly reason: "budget" | "duplicate" | "busy" };

export class GossipFilter {
  readonly #budget: PeerBudget;
  readonly #recent = new Set<Hex>();
  #inFlight = 0;

  constructor(budget: PeerBudget) {
    this.#budget = budget;
  }

  /** Whether `raw` from `peer` goes to the intake; on `admit`, call `settled()` once its submission ends. */
  admit(peer: number, raw: Hex, now: number): GossipVerdict {
    if (!this.#budget.take(peer, TX_GOSSIP_COST, now)) return { admit: false, reason: "budget" };
    const hash = keccak256(raw);
    if (this.#recent.has(hash)) return { admit: false, reason: "duplicate" };
    if (this.#inFlight >= MAX_GOSSIP_IN_FLIGHT) return { admit: false, reason: "busy" };
    this.#recent.add(hash);
    if (this.#recent.size > RECENT_GOSSIP_HASHES) this.#recent.delete(this.#recent.values().next().value as Hex);
    this.#inFlight++;
    return { admit: true, hash };
  }

  settled(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** For the footprint: remembered hashes and submissions waiting on Redis. */
  get footprint(): { gossipRecent: number; gossipInFlight: number } {
    return { gossipRecent: this.#recent.size, gossipInFlight: this.#inFlight };
  }
}
