/**
 * Transactions into the mempool: from a wallet (eth_sendRawTransaction: checked, durably queued
 * in Redis before the wallet hears "accepted", and into the mempool at once), from the intake
 * worker (the queued jobs a restarted member recovers), and from peers' gossip (straight into the
 * mempool: the member that took a transaction from a wallet holds it durably and gossips it once;
 * gossip.ts deduplicates by hash).
 *
 * Gossip is heard once, so a peer must not forget a transaction it cannot take *yet*. A peer
 * whose committed state lags the member that took the transaction (it has not committed the
 * deposit that funds it, or the sender's earlier transactions) refuses it for insufficient funds
 * or a nonce too far ahead; the refused job then sat in its intake as "seen", every later copy was
 * a duplicate, and only the accepting member held the transaction: if that member died (or never
 * led a view that committed) the transaction was lost although the sender was told "accepted".
 * Such refusals of gossip are deferred instead, and retried after each commit (retryDeferred).
 */
import type { Hex } from "viem";
import { decodeTransaction, ExecutionError, type Transfer } from "../execution/index.ts";
import { RejectedTransaction, type IntakeJobData, type TxIntake } from "../queues/index.ts";
import type { Chain } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import type { Log } from "./log.ts";

/** The part of the chain admission uses (the committed state's checks, and the mempool). */
export type AdmissionChain = Pick<Chain, "checkAdmission" | "addToMempool"> & { readonly mempool: Pick<Chain["mempool"], "has"> };

export interface AdmissionDeps {
  readonly config: Pick<NodeConfig, "execution">;
  readonly chain: AdmissionChain;
  readonly intake: TxIntake;
  /** Where accepted wallet transactions go out to the peers (gossip-batch.ts). */
  readonly gossip: { add(raw: Hex): void };
  readonly log: Log;
  /** Called after transactions entered the mempool, once per submission or gossip batch (pacing, propose nudge). */
  readonly onAdmitted: () => void;
  /** Called for each transaction that entered the mempool (pending-transaction subscriptions and filters). */
  readonly onAccepted?: (hash: Hex) => void;
}

/** Transactions decoded by submit() and not yet consumed, kept at most (oldest dropped first). */
const DECODED_LIMIT = 10_000;

/**
 * Gossiped transactions deferred at most (oldest dropped first). Bounded because a peer (a
 * Byzantine one included) decides what it gossips; each entry costs a decoded transfer, and a
 * retry after every commit costs one account read each.
 */
export const DEFERRED_LIMIT = 4_096;

/**
 * The refusals a lagging committed state explains: the accepting member saw the sender funded, or
 * its earlier nonces committed, and this member will once it catches up. Every other refusal
 * (a nonce already used, a bad signature, a full pool) stays final.
 */
const NOT_YET = new Set(["INSUFFICIENT_FUNDS", "NONCE_TOO_HIGH"]);

export class Admission {
  readonly #d: AdmissionDeps;
  /**
   * What submit() decoded, by hash, until the intake worker consumes its job: decoding again
   * (sender recovery above all) was ~9% of member 0's CPU under bench:e2e. A job's id is its
   * transaction's hash and consume() checks it, so the entry is the decoding of the same bytes.
   */
  readonly #decoded = new Map<Hex, Transfer>();
  /** Transactions submit() already put in the mempool, whose intake jobs have nothing left to do. */
  readonly #taken = new Set<Hex>();
  /** Gossip refused for a NOT_YET reason, by hash, oldest first (see the file comment). */
  readonly #deferred = new Map<Hex, Transfer>();

  constructor(deps: AdmissionDeps) {
    this.#d = deps;
  }

  #decode(raw: Hex): Transfer {
    const { chainId, blockGasLimit } = this.#d.config.execution;
    return decodeTransaction(raw, { chainId, blockGasLimit });
  }

  /**
   * Stateless and stateful checks, then durably queued, then into the mempool. A transaction
   * whose job already exists (resubmitted after this member restarted and lost its mempool, or
   * after an earlier refusal that no longer holds) passed the checks just now, so it goes into
   * the mempool the same way: answering with its hash while nothing holds it would be a silent drop.
   */
  async submit(raw: Hex): Promise<Hex> {
    const tx = this.#decode(raw);
    this.#d.chain.checkAdmission(tx);
    if (this.#decoded.size >= DECODED_LIMIT) this.#decoded.delete(this.#decoded.keys().next().value!);
    this.#decoded.set(tx.hash, tx);
    try {
      await this.#d.intake.submit(tx.hash, { raw: tx.raw, source: "rpc" });
    } catch (e) {
      this.#decoded.delete(tx.hash);
      throw e;
    }
    this.#d.log("debug", "tx.queued", { hash: tx.hash });
    // Durably queued: into the mempool (and out as gossip) now, not when the intake worker gets
    // to the job (half a second p50 under load: issue 11's timeline). The job stays the record a
    // restarted member recovers from; its consumer finds it taken. Refused now (a full pool), the
    // job decides later, as before; already in the mempool (a resubmission raced it), nothing to do.
    try {
      this.#admit(tx, "rpc");
      this.#decoded.delete(tx.hash);
      this.#taken.add(tx.hash);
      if (this.#taken.size > DECODED_LIMIT) this.#taken.delete(this.#taken.values().next().value!);
      this.#d.onAdmitted();
    } catch (e) {
      if (!(e instanceof ExecutionError)) throw e;
      // A job that already ran (this is a resubmission) will not run again: the refusal is the answer.
      if (e.code !== "ALREADY_KNOWN" && !(await this.#d.intake.willRun(tx.hash))) throw e;
    }
    return tx.hash;
  }

  /**
   * The intake worker's consumer: into the mempool; deferred, when gossip is refused only because
   * this member's committed state lags; otherwise refused for good (no retries).
   */
  consume(hash: Hex, data: IntakeJobData): void {
    if (this.#take(hash, data)) this.#d.onAdmitted();
  }

  /** consume() without the nudge: whether the transaction entered the mempool. */
  #take(hash: Hex, data: IntakeJobData): boolean {
    if (this.#taken.delete(hash)) return false;
    let tx: Transfer | undefined;
    try {
      const known = this.#decoded.get(hash);
      this.#decoded.delete(hash);
      tx = known !== undefined && known.raw === data.raw ? known : this.#decode(data.raw);
      if (tx.hash !== hash) throw new ExecutionError("INVALID_ENCODING", "job id is not the transaction hash", `${hash} vs ${tx.hash}`);
      this.#admit(tx, data.source);
      return true;
    } catch (e) {
      if (e instanceof ExecutionError && e.code === "ALREADY_KNOWN") return false;
      if (e instanceof ExecutionError && tx?.hash === hash && data.source.startsWith("peer:") && NOT_YET.has(e.code)) {
        this.#defer(tx);
        this.#d.log("info", "tx.deferred", { hash, source: data.source, code: e.code, reason: e.message, deferred: this.#deferred.size });
        return false;
      }
      if (e instanceof ExecutionError) {
        this.#d.log("info", "tx.refused", { hash, source: data.source, code: e.code, reason: e.message });
        throw new RejectedTransaction(e.message);
      }
      throw e;
    }
  }

  /**
   * A batch a peer gossiped (gossip.ts bounded it, charged the peer and dropped repeats): straight
   * into the mempool (or deferred), without Redis, since the member that took each transaction
   * from a wallet holds it durably in its own intake. Each transaction is admitted, deferred or
   * refused on its own (refusals are logged by #take), so one bad transaction costs only itself;
   * the proposer is nudged once for the batch. Returns how many entered the mempool.
   */
  gossipedBatch(txs: readonly { readonly hash: Hex; readonly raw: Hex }[], from: number): number {
    const source = `peer:${from}`;
    let admitted = 0;
    for (const { hash, raw } of txs) {
      try {
        if (this.#take(hash, { raw, source })) admitted++;
      } catch (e) {
        // A peer's bytes never take the member down.
        if (!(e instanceof RejectedTransaction)) this.#d.log("error", "tx.gossip_failed", { from, hash, error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (admitted > 0) this.#d.onAdmitted();
    return admitted;
  }

  /** Gossiped transactions waiting for this member's committed state to catch up. */
  get deferredCount(): number {
    return this.#deferred.size;
  }

  #defer(tx: Transfer): void {
    this.#deferred.delete(tx.hash);
    if (this.#deferred.size >= DEFERRED_LIMIT) {
      const oldest = this.#deferred.keys().next().value!;
      this.#deferred.delete(oldest);
      this.#d.log("warn", "tx.deferred_dropped", { hash: oldest, limit: DEFERRED_LIMIT });
    }
    this.#deferred.set(tx.hash, tx);
  }

  /**
   * After a commit advanced the committed state: every deferred transaction is tried again. It
   * leaves the list once admitted, or once refused for a reason more state cannot change (its
   * nonce got used: it was included, or replaced).
   */
  retryDeferred(): void {
    let admitted = 0;
    for (const tx of [...this.#deferred.values()]) {
      try {
        this.#admit(tx, "deferred");
        this.#deferred.delete(tx.hash);
        admitted++;
      } catch (e) {
        if (e instanceof ExecutionError && NOT_YET.has(e.code)) continue;
        this.#deferred.delete(tx.hash);
        if (!(e instanceof ExecutionError)) throw e;
        if (e.code !== "ALREADY_KNOWN") this.#d.log("info", "tx.refused", { hash: tx.hash, source: "deferred", code: e.code, reason: e.message });
      }
    }
    if (admitted > 0) this.#d.onAdmitted();
  }

  #admit(tx: Transfer, source: string): void {
    this.#d.chain.addToMempool(tx);
    this.#deferred.delete(tx.hash);
    this.#d.log("debug", "tx.accepted", { hash: tx.hash, source, from: tx.from, nonce: tx.nonce });
    if (source === "rpc") this.#d.gossip.add(tx.raw);
    this.#d.onAccepted?.(tx.hash);
  }
}
