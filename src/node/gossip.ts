/**
 * What a peer's gossiped transactions may cost this member before they reach its mempool
 * (admission.ts takes them straight in: decoding, sender recovery, the committed state's checks).
 * Gossip comes in batches (`txs` frames, gossip-batch.ts; a lone `tx` frame is a batch of one),
 * and before anything in a batch is decoded, in order:
 *
 *   1. its size is bounded (envelope.ts: MAX_GOSSIP_BATCH_TXS, MAX_GOSSIP_BATCH_CHARS) and an
 *      oversized frame is refused whole, unscanned;
 *   2. the peer's verification budget is charged TX_GOSSIP_COST per transaction in the batch,
 *      all at once (peer-budget.ts): a batch costs what its transactions sent one by one would,
 *      so batching buys a flooding peer nothing, and a batch its credit does not cover is refused
 *      whole (a peer out of credit gets none of its messages even decoded);
 *   3. hashes seen recently are dropped, before any decoding;
 *
 * and what is left goes to admission in one pass, each transaction refused or deferred alone.
 * A refusal never closes the link: the next frame is read as usual.
 */
import { type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import type { Admission } from "./admission.ts";
import { decodeEnvelope } from "./envelope.ts";
import type { Log } from "./log.ts";
import { TX_GOSSIP_COST, type PeerBudget } from "./peer-budget.ts";

/** Hashes remembered to drop repeats before decoding (oldest forgotten first). */
export const RECENT_GOSSIP_HASHES = 8_192;

export type BatchVerdict =
  | { readonly admit: true; readonly fresh: readonly { readonly hash: Hex; readonly raw: Hex }[]; readonly duplicates: number }
  | { readonly admit: false; readonly reason: "budget"; readonly detail: string };

export class GossipFilter {
  readonly #budget: PeerBudget;
  readonly #recent = new Set<Hex>();

  constructor(budget: PeerBudget) {
    this.#budget = budget;
  }

  /** Charges `peer` for the whole batch, then keeps the transactions not seen recently. */
  admitBatch(peer: number, raws: readonly Hex[], now: number): BatchVerdict {
    const cost = raws.length * TX_GOSSIP_COST;
    if (!this.#budget.take(peer, cost, now)) {
      return { admit: false, reason: "budget", detail: `a batch of ${raws.length} transactions costs ${cost.toFixed(1)} units, more than peer ${peer} has left` };
    }
    const fresh: { hash: Hex; raw: Hex }[] = [];
    for (const raw of raws) {
      const hash = keccak256(raw);
      if (this.#recent.has(hash)) continue;
      this.#recent.add(hash);
      if (this.#recent.size > RECENT_GOSSIP_HASHES) this.#recent.delete(this.#recent.values().next().value as Hex);
      fresh.push({ hash, raw });
    }
    return { admit: true, fresh, duplicates: raws.length - fresh.length };
  }

  /** For the footprint: remembered hashes. */
  get footprint(): { gossipRecent: number } {
    return { gossipRecent: this.#recent.size };
  }
}

/** Refusals of one kind from one peer are logged at most this often (the rest are counted). */
const REFUSAL_LOG_INTERVAL_MS = 1_000;

/** What became of one gossip frame. */
export type GossipOutcome =
  | { readonly refused: "malformed" | "oversize" | "budget"; readonly reason: string }
  | { readonly refused?: undefined; readonly admitted: number; readonly duplicates: number };

export interface GossipReceiverDeps {
  readonly budget: PeerBudget;
  readonly admission: Pick<Admission, "gossipedBatch">;
  readonly log: Log;
}

/** A member's side of gossip: frames in, transactions into the mempool. */
export class GossipReceiver {
  readonly #d: GossipReceiverDeps;
  readonly #filter: GossipFilter;
  /** Per peer and kind of refusal: when it was last logged, and how many went unlogged since. */
  readonly #logged = new Map<string, { at: number; unlogged: number }>();

  constructor(deps: GossipReceiverDeps) {
    this.#d = deps;
    this.#filter = new GossipFilter(deps.budget);
  }

  /** Whether `data` is gossip (a `tx` or `txs` frame) rather than consensus traffic. */
  static carries(data: string): boolean {
    return data.startsWith("tx ") || data.startsWith("txs ");
  }

  /** A gossip frame from member `from`; never throws (the bytes are a peer's). */
  receive(from: number, data: string, now: number): GossipOutcome {
    // A peer out of credit is not even decoded.
    if (!this.#d.budget.ready(from, now)) return this.#refuse(from, now, "budget", `peer ${from} is out of verification credit`, false);
    const envelope = decodeEnvelope(data);
    if (envelope.type === "malformed") return this.#refuse(from, now, envelope.oversize === true ? "oversize" : "malformed", envelope.reason, true);
    if (envelope.type !== "tx" && envelope.type !== "txs") return this.#refuse(from, now, "malformed", `not gossip: a ${envelope.type} envelope`, true);
    const raws = envelope.type === "tx" ? [envelope.raw] : envelope.raws;
    const verdict = this.#filter.admitBatch(from, raws, now);
    if (!verdict.admit) return this.#refuse(from, now, "budget", verdict.detail, false);
    const admitted = verdict.fresh.length === 0 ? 0 : this.#d.admission.gossipedBatch(verdict.fresh, from);
    return { admitted, duplicates: verdict.duplicates };
  }

  /**
   * Counted per peer and reason (`hotstuff_messages_dropped_total`); budget refusals are already
   * counted by the budget. Logged with the reason, at most once a second per peer and kind: a
   * flooding peer must not turn its frames into this member's log writes.
   */
  #refuse(from: number, now: number, refused: "malformed" | "oversize" | "budget", reason: string, count: boolean): GossipOutcome {
    if (count) this.#d.budget.count(from, refused as "malformed" | "oversize");
    const key = `${from}:${refused}`;
    const last = this.#logged.get(key);
    if (last === undefined || now - last.at >= REFUSAL_LOG_INTERVAL_MS) {
      this.#d.log("warn", "gossip.refused", { from, refused, reason, ...(last === undefined || last.unlogged === 0 ? {} : { unlogged: last.unlogged }) });
      this.#logged.set(key, { at: now, unlogged: 0 });
    } else last.unlogged++;
    return { refused, reason };
  }
}
