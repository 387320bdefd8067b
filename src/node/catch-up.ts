/**
 * Help between members in different epochs, from the store: sync answers for members outside the
 * current epoch or still in an older one (sync-store.ts), the epoch-change proof for a member
 * stuck in an epoch this member left, and the request for that proof when this member is the one
 * behind. It owns the per-peer rate limit on proofs and requests (EPOCH_HELP_INTERVAL_MS): each
 * costs the peer a sync.
 */
import { decodeMessage, type Message, type Signer } from "../consensus/index.ts";
import type { Store } from "../store/index.ts";
import { encodeConsensusEnvelope, encodeEpochRequest } from "./envelope.ts";
import type { Clock, Links } from "./io.ts";
import type { Log } from "./log.ts";
import type { PeerBudget } from "./peer-budget.ts";
import { syncAnswerFromStore } from "./sync-store.ts";

/** Least time between two epoch-change proofs (or requests for one) to the same peer: they cost it a sync. */
const EPOCH_HELP_INTERVAL_MS = 1_000;

export interface CatchUpDeps {
  readonly store: Store;
  readonly log: Log;
  readonly links: Links;
  readonly clock: Clock;
  readonly budget: PeerBudget;
  /** The current epoch's signer (it changes with the epoch: read per use). */
  readonly signer: () => Signer;
  /** Drops a peer's frame and counts it against the peer (the replica's `network.dropped`). */
  readonly drop: (from: number, reason: "malformed", detail: string) => void;
}

export class CatchUp {
  readonly #deps: CatchUpDeps;
  /** Last time an epoch-change proof or request went to a peer, by peer. */
  readonly #epochHelp = new Map<number, number>();

  constructor(deps: CatchUpDeps) {
    this.#deps = deps;
  }

  /** Peers with a proof or request on record (bounded: see the simulator's memory checks). */
  get size(): number {
    return this.#epochHelp.size;
  }

  /** A frame of a later epoch came from `from`: this member is behind an epoch change, so it asks for the proof that ends `mine`. */
  askEpochProof(from: number, mine: bigint): void {
    if (this.#helpDue(from)) this.#deps.links.send(from, encodeEpochRequest(mine));
  }

  /**
   * A message from a member still in an older epoch. Its sync requests are answered from the
   * store (it is catching up through that epoch's blocks); anything else says it is stuck there,
   * so it gets the proof that ended the epoch.
   */
  fromOlderEpoch(from: number, epoch: bigint, body: string): void {
    let kind: unknown;
    try {
      kind = (JSON.parse(body) as { kind?: unknown }).kind;
    } catch {
      return this.#deps.drop(from, "malformed", "consensus body is not JSON");
    }
    if (kind !== "sync-request") return this.sendEpochProof(from, epoch);
    let ask;
    try {
      ask = decodeMessage(Buffer.from(body, "utf8"), this.#deps.signer());
    } catch (e) {
      return this.#deps.drop(from, "malformed", (e as Error).message.slice(0, 200));
    }
    if (ask.kind === "sync-request" && this.#deps.budget.admit(from, ask, this.#deps.clock.now())) this.answerSync(from, ask, epoch);
  }

  /** Answers a sync request with `epoch`'s blocks from the store (sync-store.ts); `to` is a member id. */
  answerSync(to: number, ask: Extract<Message, { kind: "sync-request" }>, epoch: bigint): void {
    let answer;
    try {
      answer = syncAnswerFromStore(this.#deps.store, ask, epoch);
    } catch (e) {
      this.#deps.log("warn", "sync.store_unreadable", { to, error: (e as Error).message });
      return;
    }
    if (answer === undefined) return;
    this.#deps.log("info", "sync.served_from_store", { to, epoch, blocks: answer.count, newest: ask.blockHash });
    this.#deps.links.send(to, encodeConsensusEnvelope(epoch, answer.text));
  }

  /** The proof that ended `epoch`, as that epoch's own messages: a sync answer and the QC that commits its boundary. */
  sendEpochProof(to: number, epoch: bigint): void {
    const stored = this.#deps.store.epochChange(epoch);
    if (stored === undefined || !this.#helpDue(to)) return;
    const proof = JSON.parse(stored.data) as { response: unknown; qc: unknown };
    this.#deps.log("info", "epoch.proof_sent", { to, epoch, boundary: stored.boundary });
    // The QC first: it raises the receiver's high QC (and starts a fetch of the block it
    // certifies), so the block, arriving next, commits the boundary at once. The other way round,
    // a receiver already past those views would take the QC for a stale one and drop it.
    this.#deps.links.send(to, encodeConsensusEnvelope(epoch, JSON.stringify(proof.qc)));
    this.#deps.links.send(to, encodeConsensusEnvelope(epoch, JSON.stringify(proof.response)));
  }

  #helpDue(peer: number): boolean {
    const now = this.#deps.clock.now();
    const last = this.#epochHelp.get(peer);
    if (last !== undefined && now - last < EPOCH_HELP_INTERVAL_MS) return false;
    this.#epochHelp.set(peer, now);
    return true;
  }
}
