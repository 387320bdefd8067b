/**
 * Proposals whose proposer this member did not expect as leader, kept for a second look.
 *
 * The leader rule reads committed state (leader.ts), and a member whose commit head lags (it
 * missed a QC, or got the proposal before its parent) may compute another leader than the
 * proposer did. Dropping such a proposal would stall that member for the view, and for good
 * when it arrives in a sync answer (its descendants wait on it). So a proposal whose signature
 * holds under its proposer's key waits here until the member's commit head moves (the leader is
 * then computed again) or a QC over its block arrives (n - f members accepted it, f + 1 honest
 * ones among them: the block is the view's certified block whoever the local rule names).
 *
 * Bounded: one proposal per (view, proposer), so a faulty member cannot take the slot of the
 * real leader's proposal, at most MAX_WAITING in all (the lowest views go first), and none at or
 * below the committed head's view (such a block can never extend the committed chain).
 */
import type { Hex } from "viem";
import type { Proposal } from "./types.ts";

export const MAX_WAITING = 64;

export interface WaitingProposal {
  /** Who sent it (to ask for its parent if missing). */
  readonly from: number;
  readonly hash: Hex;
  readonly proposal: Proposal;
}

export class LeaderWait {
  readonly #waiting = new Map<string, WaitingProposal>();

  get size(): number {
    return this.#waiting.size;
  }

  /** Keeps a proposal whose signature verified under its proposer's key. */
  park(from: number, hash: Hex, proposal: Proposal): void {
    const key = `${proposal.block.header.view}:${proposal.proposer}`;
    if (this.#waiting.has(key)) return;
    if (this.#waiting.size >= MAX_WAITING) {
      const lowest = this.#lowest();
      if (lowest === undefined || lowest[1].proposal.block.header.view >= proposal.block.header.view) return;
      this.#waiting.delete(lowest[0]);
    }
    this.#waiting.set(key, { from, hash, proposal });
  }

  /** Whether the proposal of block `hash` waits here (it was verified then: it need not be again). */
  holds(hash: Hex): boolean {
    for (const w of this.#waiting.values()) if (w.hash === hash) return true;
    return false;
  }

  /** The waiting proposal for `hash`, removed (a QC over its block arrived). */
  take(hash: Hex): WaitingProposal | undefined {
    for (const [key, w] of this.#waiting) {
      if (w.hash !== hash) continue;
      this.#waiting.delete(key);
      return w;
    }
    return undefined;
  }

  /** Removes and returns the proposals `ready` accepts, lowest view first; drops those at or below `committedView`. */
  takeReady(committedView: bigint, ready: (p: Proposal) => boolean): WaitingProposal[] {
    const out: WaitingProposal[] = [];
    for (const [key, w] of this.#waiting) {
      const view = w.proposal.block.header.view;
      if (view <= committedView) this.#waiting.delete(key);
      else if (ready(w.proposal)) {
        this.#waiting.delete(key);
        out.push(w);
      }
    }
    return out.sort((a, b) => (a.proposal.block.header.view < b.proposal.block.header.view ? -1 : 1));
  }

  #lowest(): [string, WaitingProposal] | undefined {
    let lowest: [string, WaitingProposal] | undefined;
    for (const e of this.#waiting) if (lowest === undefined || e[1].proposal.block.header.view < lowest[1].proposal.block.header.view) lowest = e;
    return lowest;
  }
}
