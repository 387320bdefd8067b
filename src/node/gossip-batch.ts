/**
 * Outgoing gossip in batches: the transactions this member accepted from wallets go to its peers
 * many to a frame (`txs`, envelope.ts), so a peer pays one frame, one budget charge and one
 * admission pass (one propose nudge) per batch instead of per transaction (issue 11).
 *
 * When a batch leaves: at once when it is full (MAX_GOSSIP_BATCH_TXS transactions, or near
 * MAX_GOSSIP_BATCH_CHARS); otherwise at the end of the current turn of the event loop
 * (setImmediate), which gathers what the same burst of answers from Redis accepted, but never
 * sooner than `windowMs` after the previous frame. An idle member's lone transaction therefore
 * leaves at once, and a busy member sends at most one frame per window with everything the
 * window gathered: the window bounds what batching adds to a transaction's latency.
 */
import type { Hex } from "viem";
import { encodeTxBatchEnvelope, MAX_GOSSIP_BATCH_CHARS, MAX_GOSSIP_BATCH_TXS } from "./envelope.ts";

/** Shortest time between two batches while transactions keep coming. */
export const GOSSIP_WINDOW_MS = 5;

export interface GossipBatchOptions {
  /** Sends a frame to every peer (Network.broadcast). */
  readonly broadcast: (data: string) => void;
  readonly windowMs?: number;
  /** Most transactions per batch (default MAX_GOSSIP_BATCH_TXS, which peers enforce). */
  readonly maxTxs?: number;
  /** Clock and timers; tests pass fakes. */
  readonly now?: () => number;
  readonly later?: (ms: number, run: () => void) => () => void;
}

function realLater(ms: number, run: () => void): () => void {
  if (ms <= 0) {
    const immediate = setImmediate(run);
    return () => clearImmediate(immediate);
  }
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
}

export class GossipBatch {
  readonly #broadcast: (data: string) => void;
  readonly #windowMs: number;
  readonly #maxTxs: number;
  readonly #now: () => number;
  readonly #later: (ms: number, run: () => void) => () => void;
  #raws: Hex[] = [];
  /** Characters of the frame the pending batch makes ("txs " and one separator per entry). */
  #chars = 3;
  #lastSent = Number.NEGATIVE_INFINITY;
  #cancel: (() => void) | undefined;
  #closed = false;

  constructor(options: GossipBatchOptions) {
    this.#broadcast = options.broadcast;
    this.#windowMs = options.windowMs ?? GOSSIP_WINDOW_MS;
    this.#maxTxs = Math.min(options.maxTxs ?? MAX_GOSSIP_BATCH_TXS, MAX_GOSSIP_BATCH_TXS);
    this.#now = options.now ?? (() => performance.now());
    this.#later = options.later ?? realLater;
  }

  /** Queues `raw` for the peers. */
  add(raw: Hex): void {
    if (this.#closed) return;
    // A transaction that would take the frame over the peers' bound goes in the next one.
    if (this.#raws.length > 0 && this.#chars + 1 + raw.length > MAX_GOSSIP_BATCH_CHARS) this.flush();
    this.#raws.push(raw);
    this.#chars += 1 + raw.length;
    if (this.#raws.length >= this.#maxTxs) return this.flush();
    if (this.#cancel !== undefined) return;
    const wait = Math.max(0, this.#lastSent + this.#windowMs - this.#now());
    this.#cancel = this.#later(wait, () => {
      this.#cancel = undefined;
      this.flush();
    });
  }

  /** Sends what is pending now, in one frame. */
  flush(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (this.#raws.length === 0) return;
    const raws = this.#raws;
    this.#raws = [];
    this.#chars = 3;
    this.#lastSent = this.#now();
    this.#broadcast(encodeTxBatchEnvelope(raws));
  }

  /** Sends what is pending and takes no more (the member is stopping). */
  close(): void {
    this.flush();
    this.#closed = true;
  }
}
