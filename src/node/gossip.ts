/**
 * What a peer's gossiped transactions may cost this member before they reach its mempool
 * (admission.ts takes them straight in: decoding, sender recovery, the committed state's checks).
 * Before that, in order:
 *
 *   1. the peer's verification budget is charged TX_GOSSIP_COST (peer-budget.ts): a flooding
 *      peer runs out of credit, and then none of its messages are even decoded;
 *   2. a hash seen recently is dropped here, before any decoding;
 *   3. at most MAX_GOSSIP_IN_FLIGHT admissions are under way at a time (they are synchronous now,
 *      so this only bounds re-entrancy; it bounded Redis submissions when gossip went through
 *      the intake queue).
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
