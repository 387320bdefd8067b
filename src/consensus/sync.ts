/**
 * Sync: how a member that misses blocks (new, restarted, partitioned, or simply sent a different
 * proposal by an equivocating leader) gets them. When a verified proposal or QC names a block it
 * does not have, the member asks the peer that sent it for that block's proposal and ancestors.
 * Answers are ordinary proposals and go through the same checks as live ones (leader signature,
 * justify QC, payload validation); a proposal whose parent is still missing waits here, parked
 * under its parent's hash, until the parent arrives.
 */
import type { Hex } from "viem";
import type { Proposal } from "./types.ts";

/** Bound on parked proposals, so a flood of orphans cannot exhaust memory. */
const MAX_PARKED = 1024;
/** How long a request for one block waits before it may be sent again in the same view. */
export const SYNC_RETRY_MS = 1_000;

export class SyncState {
  readonly #requested = new Map<Hex, { view: bigint; at: number }>();
  /** Parked blocks' hashes by their parent's hash (to connect them when it arrives)... */
  readonly #parked = new Map<Hex, Hex[]>();
  /** ...and their proposals by their own hash (to skip them when they come again, and to walk down a parked chain). */
  readonly #held = new Map<Hex, Proposal>();

  /**
   * Whether to ask for `hash` now: once per view, and again after SYNC_RETRY_MS, so a lost request
   * or answer is retried when the member moves on or time passes (a member stuck in an old epoch
   * never moves on: sim:stack seed 20267149), but a burst of messages naming the same block costs
   * one request.
   */
  shouldRequest(hash: Hex, view: bigint, now: number): boolean {
    const last = this.#requested.get(hash);
    if (last !== undefined && last.view >= view && now - last.at < SYNC_RETRY_MS) return false;
    this.#requested.set(hash, { view, at: now });
    if (this.#requested.size > MAX_PARKED) this.#requested.delete(this.#requested.keys().next().value as Hex);
    return true;
  }

  /** Whether the proposal of block `hash` is parked (it was verified then: it need not be again). */
  holds(hash: Hex): boolean {
    return this.#held.has(hash);
  }

  /** The first block below `hash`, following parked blocks' parents, that is not parked here (`hash` itself when it is not). */
  missingBelow(hash: Hex): Hex {
    let at = hash;
    for (let p = this.#held.get(at); p !== undefined; p = this.#held.get(at)) at = p.block.header.parentHash;
    return at;
  }

  /**
   * Whether a parked proposal's justify QC certifies block `hash` (it names `hash` as parent, and
   * a proposal's justify is the QC over its parent: shape.ts). n - f members accepted that block,
   * so it is the view's block whoever the local leader rule names (leader-wait.ts).
   */
  certifiedByParked(hash: Hex): boolean {
    return this.#parked.has(hash);
  }

  /** Keeps a verified proposal of block `hash` until its parent is in the tree. */
  park(hash: Hex, proposal: Proposal): void {
    if (this.#held.has(hash)) return;
    if (this.#held.size >= MAX_PARKED) {
      const [oldest, dropped] = this.#parked.entries().next().value as [Hex, Hex[]];
      this.#parked.delete(oldest);
      for (const h of dropped) this.#held.delete(h);
    }
    const parent = proposal.block.header.parentHash;
    const list = this.#parked.get(parent) ?? [];
    list.push(hash);
    this.#parked.set(parent, list);
    this.#held.set(hash, proposal);
  }

  /** The parked children of a block that just arrived. */
  takeChildren(hash: Hex): Proposal[] {
    const list = this.#parked.get(hash);
    if (list === undefined) return [];
    this.#parked.delete(hash);
    this.#requested.delete(hash);
    return list.map((h) => {
      const p = this.#held.get(h)!;
      this.#held.delete(h);
      return p;
    });
  }
}
