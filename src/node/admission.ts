/**
 * Transactions into the mempool: from a wallet (eth_sendRawTransaction: checked, then durably
 * queued in Redis before the wallet hears "accepted") and from the intake worker (queued jobs,
 * from this member's RPC or gossiped by peers). The member that took a transaction from a wallet
 * gossips it once; peers queue gossip in their own intake, deduplicated by hash (the job id).
 */
import type { Hex } from "viem";
import { decodeTransaction, ExecutionError, type Transfer } from "../execution/index.ts";
import type { Network } from "../network/index.ts";
import { RejectedTransaction, type IntakeJobData, type TxIntake } from "../queues/index.ts";
import type { Chain } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import { encodeTxEnvelope } from "./envelope.ts";
import type { Log } from "./log.ts";

export interface AdmissionDeps {
  readonly config: NodeConfig;
  readonly chain: Chain;
  readonly intake: TxIntake;
  readonly network: Network;
  readonly log: Log;
  /** Called after a transaction entered the mempool (pacing, propose nudge). */
  readonly onAdmitted: () => void;
}

/** Transactions decoded by submit() and not yet consumed, kept at most (oldest dropped first). */
const DECODED_LIMIT = 10_000;

export class Admission {
  readonly #d: AdmissionDeps;
  /**
   * What submit() decoded, by hash, until the intake worker consumes its job: decoding again
   * (sender recovery above all) was ~9% of member 0's CPU under bench:e2e. A job's id is its
   * transaction's hash and consume() checks it, so the entry is the decoding of the same bytes.
   */
  readonly #decoded = new Map<Hex, Transfer>();

  constructor(deps: AdmissionDeps) {
    this.#d = deps;
  }

  #decode(raw: Hex): Transfer {
    const { chainId, blockGasLimit } = this.#d.config.execution;
    return decodeTransaction(raw, { chainId, blockGasLimit });
  }

  /**
   * Stateless and stateful checks, then durably queued. A transaction whose job already exists
   * (resubmitted after this member restarted and lost its mempool, or after an earlier refusal
   * that no longer holds) passed the checks just now, so it goes straight into the mempool:
   * answering with its hash while nothing holds it would be a silent drop.
   */
  async submit(raw: Hex): Promise<Hex> {
    const tx = this.#decode(raw);
    this.#d.chain.checkAdmission(tx);
    if (this.#decoded.size >= DECODED_LIMIT) this.#decoded.delete(this.#decoded.keys().next().value!);
    this.#decoded.set(tx.hash, tx);
    let duplicate: boolean;
    try {
      ({ duplicate } = await this.#d.intake.submit(tx.hash, { raw: tx.raw, source: "rpc" }));
    } catch (e) {
      this.#decoded.delete(tx.hash);
      throw e;
    }
    if (duplicate) {
      this.#decoded.delete(tx.hash);
      if (!this.#d.chain.mempool.has(tx.hash)) this.#admit(tx, "rpc");
    }
    return tx.hash;
  }

  /** The intake worker's consumer: into the mempool, or refused for good (no retries). */
  consume(hash: Hex, data: IntakeJobData): void {
    try {
      const known = this.#decoded.get(hash);
      this.#decoded.delete(hash);
      const tx = known !== undefined && known.raw === data.raw ? known : this.#decode(data.raw);
      if (tx.hash !== hash) throw new ExecutionError("INVALID_ENCODING", "job id is not the transaction hash", `${hash} vs ${tx.hash}`);
      this.#admit(tx, data.source);
    } catch (e) {
      if (e instanceof ExecutionError && e.code === "ALREADY_KNOWN") return;
      if (e instanceof ExecutionError) {
        this.#d.log("info", "tx.refused", { hash, source: data.source, code: e.code, reason: e.message });
        throw new RejectedTransaction(e.message);
      }
      throw e;
    }
  }

  #admit(tx: Transfer, source: string): void {
    this.#d.chain.addToMempool(tx);
    this.#d.log("debug", "tx.accepted", { hash: tx.hash, source, from: tx.from, nonce: tx.nonce });
    if (source === "rpc") this.#d.network.broadcast(encodeTxEnvelope(tx.raw));
    this.#d.onAdmitted();
  }
}
