/**
 * The settlement worker: makes L1 final what the committee committed. Each run reads where L1
 * is (`Rollup.finalizedHead`) and settles the committed blocks after it, batch by batch, each
 * batch ending at a block whose commit proof the node stored, until no proof reaches further.
 *
 * L1 is the only cursor. Nothing about progress is kept locally, so a worker killed at any
 * point and started again continues exactly where L1 says, and two runs racing each other cost
 * at most one no-op transaction (Rollup.settle skips headers that are already final, and a batch
 * is always built from the finalized head, never from a remembered position).
 *
 * Forced inclusion counts from L1's clock (Rollup.sol): once Inbox entry i is due, a batch settles
 * only if its last header consumed i. A backlog can make a batch that was fine when its blocks
 * committed refusable by the time it is sent (DueInboxEntryNotSettled); the worker then settles
 * the longer batch that reaches the first proven block consuming i, in one transaction.
 *
 * Every batch is simulated (eth_call) before it is sent: a refusal is decoded to the contract's
 * custom error and costs no gas. Refusals that retrying cannot fix are SETTLEMENT_REFUSED (the
 * outbox consumer stops retrying the item and raises an alert); those that time fixes
 * (an L1 node behind, a gap another settler is closing) are SETTLEMENT_DEFERRED and retried.
 */
import { encodeFunctionData, type Address, type Hex, type PublicClient } from "viem";
import type { QC } from "../consensus/index.ts";
import { Signature } from "../crypto/index.ts";
import { toSolidityHeader, type SolidityCommitProof, type SolidityQuorumCertificate } from "../protocol/solidity.ts";
import { decodeRevert, ROLLUP_ABI, COMMITTEE_ABI } from "./abi.ts";
import type { CommittedChain, CommitProof } from "./chain.ts";
import { formatRevert, SettlementError, type DecodedRevert } from "./errors.ts";
import type { L1Connection } from "./l1.ts";
import type { TransactionSender } from "./sender.ts";

/** Refusals that a later attempt can succeed past without anything local changing. */
const DEFERRABLE = new Set(["Gap", "L1OriginInFuture", "WrongEpoch"]);

export interface SettlementWorkerOptions {
  readonly l1: L1Connection;
  readonly rollup: Address;
  readonly chain: CommittedChain;
  readonly sender: TransactionSender;
  /** Most headers per settle transaction (default 32). A batch may be longer only when no block inside it has a proof. */
  readonly maxBatch?: number;
  /**
   * Settle only proofs of this committee epoch; default: the Committee's current epoch, read
   * from L1 at every run (a node that lives through an epoch change needs the default).
   */
  readonly epoch?: bigint;
  /** Sees what the worker does; `alert` entries are the ones an operator must see. */
  readonly log?: (entry: SettlementLogEntry) => void;
  /**
   * Awaited before each batch is sent; then L1 is read again and the batch dropped if someone
   * else settled it meanwhile. With every member settling, `() => sleep(self * 2000)` makes
   * member 0 the settler and the others backups that only pay when it does not.
   */
  readonly holdOff?: (batch: { readonly from: bigint; readonly to: bigint }) => Promise<void>;
}

export interface SettledBatch {
  readonly from: bigint;
  readonly to: bigint;
  readonly transactionHash: Hex;
  readonly l1Block: bigint;
  readonly gasUsed: bigint;
}

export interface SettleResult {
  /** L1's finalized head after the run. */
  readonly finalized: { readonly number: bigint; readonly hash: Hex };
  readonly batches: readonly SettledBatch[];
}

export type SettlementLogEntry =
  | { readonly level: "info"; readonly event: "batch-settled"; readonly batch: SettledBatch }
  | { readonly level: "warn"; readonly event: "batch-deferred"; readonly from: bigint; readonly to: bigint; readonly reason: string }
  | { readonly level: "alert"; readonly event: "batch-refused" | "finalized-conflict"; readonly from: bigint; readonly to: bigint; readonly reason: string };

/** Writes alerts and warnings to stderr as JSON lines (the default log). */
export function logToStderr(entry: { level: string }): void {
  if (entry.level !== "info") console.error(JSON.stringify(entry, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}

export function toSolidityQc(qc: QC): SolidityQuorumCertificate {
  if (qc.signature === null) throw new SettlementError("MISSING_BLOCK", `the QC of view ${qc.view} has no signature (the genesis QC cannot settle anything)`);
  return { viewNumber: qc.view, signers: qc.signers, signature: Signature.fromBytes(qc.signature.toHex()).toEip2537() };
}

/** `Rollup.settle`'s commit proof from the stored two-chain: the QC over the last block is the child's justify. */
export function toSolidityCommitProof(proof: CommitProof, epoch: bigint): SolidityCommitProof {
  return { epoch, child: toSolidityHeader(proof.child.header), justify: toSolidityQc(proof.child.justify), childQc: toSolidityQc(proof.childQc) };
}

export class SettlementWorker {
  readonly #publicClient: PublicClient;
  readonly #rollup: Address;
  readonly #chain: CommittedChain;
  readonly #sender: TransactionSender;
  readonly #maxBatch: number;
  readonly #epoch: bigint | undefined;
  readonly #log: (entry: SettlementLogEntry) => void;
  readonly #holdOff: SettlementWorkerOptions["holdOff"];
  #committee: Address | undefined;

  constructor(options: SettlementWorkerOptions) {
    if (options.maxBatch !== undefined && !(Number.isInteger(options.maxBatch) && options.maxBatch >= 1)) {
      throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    this.#publicClient = options.l1.publicClient;
    this.#rollup = options.rollup;
    this.#chain = options.chain;
    this.#sender = options.sender;
    this.#maxBatch = options.maxBatch ?? 32;
    this.#epoch = options.epoch;
    this.#log = options.log ?? logToStderr;
    this.#holdOff = options.holdOff;
  }

  /** L1's finalized head. */
  async finalizedHead(): Promise<{ number: bigint; hash: Hex }> {
    const [number, hash] = (await this.#publicClient.readContract({ address: this.#rollup, abi: ROLLUP_ABI, functionName: "finalizedHead" })) as [bigint, Hex];
    return { number, hash };
  }

  /** Settles every committed block that a stored commit proof reaches, in batches; returns what it sent. */
  async settleCommitted(): Promise<SettleResult> {
    const batches: SettledBatch[] = [];
    for (let previous = -1n; ; ) {
      const finalized = await this.finalizedHead();
      if (finalized.number <= previous) {
        // A mined settle that did not move the head: read from another L1 node that lags? Stop
        // here; the outbox retries, and the next run starts from whatever L1 then says.
        throw new SettlementError("SETTLEMENT_DEFERRED", `L1's finalized head is still ${finalized.number} after settling up to it`);
      }
      const epoch = await this.#currentEpoch();
      const next = this.#nextBatch(finalized, epoch);
      if (next === undefined) return { finalized, batches };
      if (this.#holdOff !== undefined) {
        await this.#holdOff({ from: next.from, to: next.to });
        if ((await this.finalizedHead()).number !== finalized.number) continue; // settled by someone else: re-plan
      }
      let batch: SettledBatch | undefined;
      try {
        batch = await this.#settle(next.from, next.to, next.proof, epoch);
      } catch (error) {
        const due = error instanceof SettlementError && error.revert?.errorName === "DueInboxEntryNotSettled" ? (error.revert.args[0] as bigint) : undefined;
        const wider = due === undefined ? undefined : this.#batchConsuming(next.from, due, epoch);
        if (wider === undefined) throw error;
        batch = await this.#settle(wider.from, wider.to, wider.proof, epoch);
      }
      if (batch !== undefined) batches.push(batch);
      previous = finalized.number;
    }
  }

  /**
   * The next batch after L1's finalized head, or undefined when no stored proof reaches past it.
   * Only a proof signed in L1's current `epoch` can settle: after an epoch change the blocks the
   * old committee committed above the last settled one become final inside the first batch whose
   * proof the new committee signed (L1 checks the last header's proof only).
   */
  #nextBatch(finalized: { number: bigint; hash: Hex }, epoch: bigint): { from: bigint; to: bigint; proof: CommitProof } | undefined {
    const local = this.#chain.hashAt(finalized.number);
    // L1 ahead of this node's committed chain: nothing to add. Genesis is the exception: a store
    // need not record it (its identity names the genesis hash), and L1 checks the first
    // header's parentHash against it anyway.
    if (local === undefined && finalized.number !== 0n) return undefined;
    if (local !== undefined && local.toLowerCase() !== finalized.hash.toLowerCase()) {
      const reason = `L1 finalized ${finalized.hash} at height ${finalized.number}, this node committed ${local}`;
      this.#log({ level: "alert", event: "finalized-conflict", from: finalized.number, to: finalized.number, reason });
      throw new SettlementError("FINALIZED_CONFLICT", reason);
    }
    const head = this.#chain.committedHead();
    if (head === undefined || head.number <= finalized.number) return undefined;
    const from = finalized.number + 1n;
    const end = from + BigInt(this.#maxBatch) - 1n < head.number ? from + BigInt(this.#maxBatch) - 1n : head.number;
    // The largest prefix that ends at a proven block; if none in range, the first proven block above.
    for (let atMost = end; atMost <= head.number; atMost++) {
      const found = this.#chain.commitProof(atMost);
      if (found !== undefined && found.number >= from && (found.epoch === undefined || found.epoch === epoch)) return { from, to: found.number, proof: found.proof };
    }
    return undefined;
  }

  /**
   * The batch from `from` to the first proven block at or above the first committed block that
   * consumed Inbox entry `index` (undefined when no stored proof reaches that far yet).
   */
  #batchConsuming(from: bigint, index: bigint, epoch: bigint): { from: bigint; to: bigint; proof: CommitProof } | undefined {
    const head = this.#chain.committedHead();
    if (head === undefined) return undefined;
    let consumer = from;
    for (; consumer <= head.number; consumer++) {
      const stored = this.#chain.block(consumer);
      if (stored === undefined) return undefined;
      if (stored.block.header.inboxCursor > index) break;
    }
    for (let atMost = consumer; atMost <= head.number; atMost++) {
      const found = this.#chain.commitProof(atMost);
      if (found !== undefined && found.number >= consumer && (found.epoch === undefined || found.epoch === epoch)) return { from, to: found.number, proof: found.proof };
    }
    return undefined;
  }

  async #committeeAddress(): Promise<Address> {
    this.#committee ??= (await this.#publicClient.readContract({ address: this.#rollup, abi: ROLLUP_ABI, functionName: "committee" })) as Address;
    return this.#committee;
  }

  async #currentEpoch(): Promise<bigint> {
    if (this.#epoch !== undefined) return this.#epoch;
    return (await this.#publicClient.readContract({ address: await this.#committeeAddress(), abi: COMMITTEE_ABI, functionName: "currentEpoch" })) as bigint;
  }

  #args(from: bigint, to: bigint, proof: CommitProof, epoch: bigint) {
    const headers = [];
    const blockData: Hex[] = [];
    let lastHash: Hex | undefined;
    for (let n = from; n <= to; n++) {
      const stored = this.#chain.block(n);
      if (stored === undefined) throw new SettlementError("MISSING_BLOCK", `committed block ${n} is missing from the store`);
      headers.push(toSolidityHeader(stored.block.header));
      blockData.push(stored.block.payload);
      lastHash = stored.hash;
    }
    if (proof.child.justify.blockHash.toLowerCase() !== lastHash?.toLowerCase()) {
      throw new SettlementError("MISSING_BLOCK", `the stored commit proof for block ${to} certifies ${proof.child.justify.blockHash}, not the committed ${lastHash}`);
    }
    return [headers, blockData, toSolidityCommitProof(proof, epoch)] as const;
  }

  /** Simulates, then sends one batch. Returns undefined when the simulation found nothing to do. */
  async #settle(from: bigint, to: bigint, proof: CommitProof, epoch: bigint): Promise<SettledBatch | undefined> {
    const args = this.#args(from, to, proof, epoch);
    // Against the pending block, where the transaction will land: Rollup.settle needs the hash of
    // each header's l1Origin, and the newest origin may be the latest block (its hash is known to
    // the block after it, not to a call run in the latest block's own context).
    const request = { address: this.#rollup, abi: ROLLUP_ABI, functionName: "settle", args, account: this.#sender.address, blockTag: "pending" } as const;
    let gas: bigint;
    try {
      await this.#publicClient.simulateContract(request);
      gas = await this.#publicClient.estimateContractGas(request);
    } catch (error) {
      throw this.#refusal(from, to, error);
    }
    // 20% headroom: the estimate is exact for this state, but a block landing first can change
    // which headers are new (fewer, so cheaper) or the epoch's non-signers (a little dearer).
    const receipt = await this.#sender.send({ to: this.#rollup, data: encodeFunctionData({ abi: ROLLUP_ABI, functionName: "settle", args }), gas: (gas * 12n) / 10n });
    if (receipt.status !== "success") {
      // Refused between the simulation and the block (another settler, an epoch change): the
      // next round re-reads L1 and either finds the range final or decodes why not.
      throw new SettlementError("SETTLEMENT_DEFERRED", `settle of blocks ${from}..${to} reverted in L1 block ${receipt.blockNumber} (${receipt.transactionHash}); retrying from L1's finalized head`);
    }
    const batch: SettledBatch = { from, to, transactionHash: receipt.transactionHash, l1Block: receipt.blockNumber, gasUsed: receipt.gasUsed };
    this.#log({ level: "info", event: "batch-settled", batch });
    return batch;
  }

  #refusal(from: bigint, to: bigint, error: unknown): Error {
    const revert: DecodedRevert | undefined = decodeRevert(error);
    if (revert === undefined) return error instanceof Error ? error : new Error(String(error)); // L1 unreachable: the outbox retries
    const reason = `L1 refused to settle blocks ${from}..${to}: ${formatRevert(revert)}`;
    // Deferred, not refused: settleCommitted retries with the batch that consumes the entry.
    if (DEFERRABLE.has(revert.errorName) || revert.errorName === "DueInboxEntryNotSettled") {
      this.#log({ level: "warn", event: "batch-deferred", from, to, reason });
      return new SettlementError("SETTLEMENT_DEFERRED", reason, { cause: error, revert });
    }
    this.#log({ level: "alert", event: "batch-refused", from, to, reason });
    return new SettlementError("SETTLEMENT_REFUSED", reason, { cause: error, revert });
  }
}
