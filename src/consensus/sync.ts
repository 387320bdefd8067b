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

export class SyncState {
  readonly #requested = new Map<Hex, bigint>();
  readonly #parked = new Map<Hex, Proposal[]>();
  #parkedCount = 0;

  /**
   * Whether to ask for `hash` now: once per view, so a lost request or answer is retried when the
   * member moves on, but a burst of messages naming the same block costs one request.
   */
  shouldRequest(hash: Hex, view: bigint): boolean {
    const last = this.#requested.get(hash);
    if (last !== undefined && last >= view) return false;
    this.#requested.set(hash, view);
    if (this.#requested.size > MAX_PARKED) this.#requested.delete(this.#requested.keys().next().value as Hex);
    return true;
  }

  /** Keeps a verified proposal until its parent is in the tree. */
  park(proposal: Proposal): void {
    const parent = proposal.block.header.parentHash;
    const list = this.#parked.get(parent) ?? [];
    if (list.some((p) => p.signature.toHex() === proposal.signature.toHex())) return;
    if (this.#parkedCount >= MAX_PARKED) {
      const [oldest, dropped] = this.#parked.entries().next().value as [Hex, Proposal[]];
      this.#parked.delete(oldest);
      this.#parkedCount -= dropped.length;
    }
    list.push(proposal);
    this.#parked.set(parent, list);
    this.#parkedCount++;
  }

  /** The parked children of a block that just arrived. */
  takeChildren(hash: Hex): Proposal[] {
    const list = this.#parked.get(hash);
    if (list === undefined) return [];
    this.#parked.delete(hash);
    this.#parkedCount -= list.length;
    this.#requested.delete(hash);
    return list;
  }
}
