/**
 * Block pacing (DESIGN §4, Pacing). The core proposes the moment a leader enters its view, which
 * on an idle devnet would mean empty blocks as fast as the CPUs sign them. The pacer holds this
 * member's outbound messages from its own proposal on, for an interval measured from the newest
 * block it accepted (its parent, usually: leaders rotate, so the interval must be measured from
 * the chain's last block, not from this member's own last proposal), by what the block is for:
 *
 *  - `transactions`: it carries transactions (or Inbox entries): `minBlockIntervalMs`, so that a
 *    busy chain batches them;
 *  - `light`: it carries fewer than LIGHT_BLOCK_TXS: half that. A lightly loaded chain has little
 *    to batch, and every block that carries a transaction waits the interval twice more before it
 *    commits (the two views on top of it); under load the mempool fills, blocks grow past the
 *    mark and the full interval batches them again (BENCHMARKS.md, issue 11);
 *  - `certifying`: it carries none, but an uncommitted ancestor does: at once. A block with
 *    transactions commits only when two more views are certified on top of it (the two-chain
 *    rule); pacing those at the idle interval made every lone transfer wait seconds for empty
 *    blocks;
 *  - `idle`: nothing in the chain waits to commit: `emptyBlockIntervalMs`.
 *
 * Then everything held leaves in the original order. Holding sends is safe: the ordering rule
 * only requires persistence *before* a send, and the safety state and the signed-message ledger
 * were written before anything was queued here. Holding every later send too (not only the
 * proposal) keeps the order the core chose.
 *
 * What a held proposal carries that others are waiting for leaves at once (`early`): outbound.ts
 * sends the proposal's justify QC, which commits the grandparent. Only the new block is paced, so
 * the commit of a busy chain is not delayed by the batching interval.
 */
import { systemClock, type Clock } from "./io.ts";

/** What a proposal is for, which sets how long it is held (see above). */
export type Pace = "transactions" | "light" | "certifying" | "idle";

/** A block with fewer transactions than this is `light`: held half the interval. */
export const LIGHT_BLOCK_TXS = 32;

export interface PacerOptions {
  readonly minBlockIntervalMs: number;
  readonly emptyBlockIntervalMs: number;
  readonly clock?: Clock;
}

export class ProposalPacer {
  readonly #o: PacerOptions;
  readonly #clock: Clock;
  readonly #held: { deliver: () => void; proposal?: { pace: Pace } }[] = [];
  #lastProposalAt = Number.NEGATIVE_INFINITY;
  #lastView = -1n;
  #holding = false;
  #heldEmpty = false;
  #cancel: () => void = () => {};
  #stopped = false;

  constructor(options: PacerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  get holding(): boolean {
    return this.#holding;
  }

  /** Sends waiting behind a held proposal (bounded by what one view produces). */
  get heldCount(): number {
    return this.#held.length;
  }

  /** When an idle chain's next (empty) block is due: the empty-block interval after the newest block. */
  idleUntil(): number {
    return this.#lastProposalAt + this.#o.emptyBlockIntervalMs;
  }

  /** Sends now, or after the held proposal if one is waiting. */
  send(deliver: () => void): void {
    if (this.#holding) this.#held.push({ deliver });
    else deliver();
  }

  /**
   * Sends this member's own proposal, holding it (and what follows) until its interval passed.
   * `early` is what need not wait with it: when the proposal is held, `early` goes at once.
   */
  sendProposal(deliver: () => void, pace: Pace, early?: () => void): void {
    if (this.#holding) {
      early?.();
      this.#held.push({ deliver, proposal: { pace } });
      return;
    }
    const at = this.#lastProposalAt + this.#interval(pace);
    const now = this.#clock.now();
    if (now >= at) {
      this.#lastProposalAt = Math.max(this.#lastProposalAt, now);
      deliver();
      return;
    }
    early?.();
    this.#holding = true;
    this.#heldEmpty = pace === "idle";
    this.#held.push({ deliver });
    this.#arm(at - now);
  }

  #interval(pace: Pace): number {
    switch (pace) {
      case "idle":
        return this.#o.emptyBlockIntervalMs;
      case "transactions":
        return this.#o.minBlockIntervalMs;
      case "light":
        return Math.floor(this.#o.minBlockIntervalMs / 2);
      case "certifying":
        return 0;
    }
  }

  /** A block of `view` was accepted now (persisted): the interval runs from the newest one. */
  noteBlock(view: bigint): void {
    if (view <= this.#lastView) return;
    this.#lastView = view;
    this.#lastProposalAt = Math.max(this.#lastProposalAt, this.#clock.now());
  }

  /** Transactions arrived: a held empty block waits only the shorter interval. */
  notifyWork(): void {
    if (!this.#holding || !this.#heldEmpty) return;
    this.#heldEmpty = false;
    this.#arm(Math.max(0, this.#lastProposalAt + this.#o.minBlockIntervalMs - this.#clock.now()));
  }

  #arm(delay: number): void {
    this.#cancel();
    this.#cancel = this.#clock.after(delay, () => this.#release());
  }

  #release(): void {
    if (this.#stopped) return;
    this.#holding = false;
    this.#lastProposalAt = Math.max(this.#lastProposalAt, this.#clock.now());
    // The first held item is the proposal; a later own proposal in the queue re-arms the hold,
    // and whatever follows it stays behind it.
    const held = this.#held.splice(0);
    for (const item of held) {
      if (this.#holding) this.#held.push(item);
      else if (item.proposal !== undefined) this.sendProposal(item.deliver, item.proposal.pace);
      else item.deliver();
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel();
    this.#held.length = 0;
  }
}
