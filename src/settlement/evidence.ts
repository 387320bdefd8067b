/**
 * The evidence worker: posts a member's two conflicting signatures (consensus `Evidence`) to
 * `Committee.reportDoubleVote` / `reportDoubleProposal`, which name the member as the core does,
 * by epoch and signer index, and take the signatures in the EIP-2537 encoding.
 *
 * Reports are commit-reveal (contracts/committee/Slashing.sol), so that a copy of the report
 * cannot take the reward: the worker first commits to (evidence id, its own address) with
 * `commitReport`, and reveals the evidence naming itself as reporter in a later block. The
 * commitment hides the evidence (it is computed here, never sent to L1 before the reveal). A
 * retry after a crash between the two finds the commitment on L1 and only reveals.
 *
 * The reveal is simulated first (against the pending block, where the commitment is already a
 * block old), so evidence L1 would refuse anyway costs no commitment. A refusal (already reported, member already slashed, not conflicting, signature
 * invalid) can never turn into a success, so it is EVIDENCE_REFUSED with the decoded custom
 * error; the outbox consumer turns that into a PermanentOutboxFailure. Anything else (L1 down)
 * is thrown as is and the outbox retries.
 */
import { encodeFunctionData, type Address, type Hex, type PublicClient } from "viem";
import { decodeEvidence, type Evidence, type Signer } from "../consensus/index.ts";
import { Signature } from "../crypto/index.ts";
import { COMMITTEE_ABI, decodeRevert, ROLLUP_ABI } from "./abi.ts";
import { formatRevert, SettlementError, type DecodedRevert } from "./errors.ts";
import type { L1Connection } from "./l1.ts";
import { evidenceId, reportCommitment } from "./report-commitment.ts";
import type { TransactionSender } from "./sender.ts";

export interface EvidenceWorkerOptions {
  readonly l1: L1Connection;
  /** The Rollup (its Committee is read from it) or the Committee address itself. */
  readonly rollup?: Address;
  readonly committee?: Address;
  readonly sender: TransactionSender;
  /** Decodes the evidence's signatures (any Signer of the committee, or createDecodingSigner(n)). */
  readonly signer: Signer;
  /**
   * The epoch evidence without its own `epoch` was signed in (the node's Domain.epoch); default:
   * the Committee's current epoch, which is wrong for evidence older than an epoch change.
   */
  readonly epoch?: bigint;
  readonly log?: (entry: EvidenceLogEntry) => void;
}

export interface ReportedEvidence {
  readonly transactionHash: Hex;
  readonly l1Block: bigint;
  readonly gasUsed: bigint;
}

export type EvidenceLogEntry =
  | { readonly level: "info"; readonly event: "evidence-committed"; readonly kind: string; readonly view: bigint; readonly signer: number; readonly transactionHash: Hex }
  | { readonly level: "info"; readonly event: "evidence-reported"; readonly kind: string; readonly view: bigint; readonly signer: number; readonly transactionHash: Hex }
  | { readonly level: "warn"; readonly event: "evidence-refused"; readonly kind: string; readonly view: bigint; readonly signer: number; readonly reason: string };

/**
 * Evidence from the outbox: the codec's JSON (object or string), decoded as strictly as a
 * message, optionally with an `epoch` field (decimal string) next to the codec's fields: the
 * epoch the signatures were made in. Evidence does not name its epoch, and the signer index
 * means another member in another epoch, so the node should add it (`{ ...json, epoch }`).
 */
export function readOutboxEvidence(json: unknown, signer: Signer): { evidence: Evidence; epoch: bigint | undefined } {
  try {
    const parsed: unknown = typeof json === "string" ? JSON.parse(json) : json;
    let epoch: bigint | undefined;
    let fields = parsed;
    if (typeof parsed === "object" && parsed !== null && "epoch" in parsed) {
      const { epoch: raw, ...rest } = parsed as { epoch: unknown };
      if (typeof raw !== "string" || !/^(0x[0-9a-f]+|\d+)$/.test(raw)) throw new Error(`epoch must be a decimal or 0x string, got ${JSON.stringify(raw)}`);
      epoch = BigInt(raw);
      fields = rest;
    }
    return { evidence: decodeEvidence(new TextEncoder().encode(JSON.stringify(fields)), signer), epoch };
  } catch (cause) {
    throw new SettlementError("INVALID_ITEM", `outbox evidence is malformed: ${(cause as Error).message}`, { cause });
  }
}

export class EvidenceWorker {
  readonly #publicClient: PublicClient;
  readonly #rollup: Address | undefined;
  readonly #sender: TransactionSender;
  readonly #signer: Signer;
  readonly #epoch: bigint | undefined;
  readonly #log: (entry: EvidenceLogEntry) => void;
  #committee: Address | undefined;

  constructor(options: EvidenceWorkerOptions) {
    if (options.rollup === undefined && options.committee === undefined) throw new TypeError("EvidenceWorker needs the rollup or the committee address");
    this.#publicClient = options.l1.publicClient;
    this.#rollup = options.rollup;
    this.#committee = options.committee;
    this.#sender = options.sender;
    this.#signer = options.signer;
    this.#epoch = options.epoch;
    this.#log = options.log ?? ((e) => e.level !== "info" && console.error(JSON.stringify(e, (_, v) => (typeof v === "bigint" ? v.toString() : v))));
  }

  async #committeeAddress(): Promise<Address> {
    this.#committee ??= (await this.#publicClient.readContract({ address: this.#rollup!, abi: ROLLUP_ABI, functionName: "committee" })) as Address;
    return this.#committee;
  }

  /** Decodes outbox evidence (readOutboxEvidence) and reports it. */
  reportJson(json: unknown): Promise<ReportedEvidence> {
    const { evidence, epoch } = readOutboxEvidence(json, this.#signer);
    return this.report(evidence, epoch);
  }

  /** Reports `evidence` signed in `epoch` (default: the worker's `epoch` option, else L1's current epoch). */
  async report(evidence: Evidence, epochOfEvidence?: bigint): Promise<ReportedEvidence> {
    const committee = await this.#committeeAddress();
    const epoch = epochOfEvidence ?? this.#epoch ?? ((await this.#publicClient.readContract({ address: committee, abi: COMMITTEE_ABI, functionName: "currentEpoch" })) as bigint);
    const functionName = evidence.kind === "vote" ? "reportDoubleVote" : "reportDoubleProposal";
    const eip2537 = (s: Evidence["signatureA"]): Hex => Signature.fromBytes(s.toHex()).toEip2537();
    const reporter = this.#sender.address;
    const args = [epoch, BigInt(evidence.signer), evidence.view, evidence.blockHashA, eip2537(evidence.signatureA), evidence.blockHashB, eip2537(evidence.signatureB), reporter] as const;
    const what = { kind: evidence.kind, view: evidence.view, signer: evidence.signer };
    // "pending": the reveal lands in a later block than the commitment, and is simulated there.
    const request = { address: committee, abi: COMMITTEE_ABI, functionName, args, account: reporter, blockTag: "pending" } as const;
    const simulate = async (): Promise<{ gas: bigint } | { error: unknown; revert: DecodedRevert }> => {
      try {
        await this.#publicClient.simulateContract(request);
        return { gas: await this.#publicClient.estimateContractGas(request) };
      } catch (error) {
        const revert = decodeRevert(error);
        if (revert === undefined) throw error; // L1 unreachable: retried
        return { error, revert };
      }
    };
    // The reveal is simulated before anything is committed: evidence L1 would refuse anyway
    // (already reported, member already slashed) costs no commitment.
    let outcome = await simulate();
    if ("revert" in outcome && outcome.revert.errorName === "ReportNotCommitted") {
      await this.#commit(committee, epoch, evidence, reporter, what);
      outcome = await simulate();
    }
    if ("revert" in outcome) {
      const { error, revert } = outcome;
      if (revert.errorName === "ReportCommittedTooRecently") throw new SettlementError("SETTLEMENT_DEFERRED", "the report commitment is not a block old yet; retrying", { cause: error, revert });
      const reason = `L1 refused ${evidence.kind} evidence against member ${evidence.signer} in view ${evidence.view}: ${formatRevert(revert)}`;
      this.#log({ level: "warn", event: "evidence-refused", ...what, reason });
      throw new SettlementError("EVIDENCE_REFUSED", reason, { cause: error, revert });
    }
    const { gas } = outcome;
    const receipt = await this.#sender.send({ to: committee, data: encodeFunctionData({ abi: COMMITTEE_ABI, functionName, args }), gas: (gas * 12n) / 10n });
    if (receipt.status !== "success") {
      // Someone reported the same offence in the same block: the retry's simulation says so.
      throw new SettlementError("SETTLEMENT_DEFERRED", `${functionName} reverted in L1 block ${receipt.blockNumber} (${receipt.transactionHash}); retrying`);
    }
    this.#log({ level: "info", event: "evidence-reported", ...what, transactionHash: receipt.transactionHash });
    return { transactionHash: receipt.transactionHash, l1Block: receipt.blockNumber, gasUsed: receipt.gasUsed };
  }

  /**
   * Commits to the report (the reveal's simulation said L1 holds no commitment of ours). The
   * commitment is computed here from the epoch's member order, so the evidence stays private
   * until the reveal. A signer outside the epoch has no member id: nothing is committed, and
   * the next simulation says why L1 refuses the evidence.
   */
  async #commit(committee: Address, epoch: bigint, evidence: Evidence, reporter: Address, what: { kind: string; view: bigint; signer: number }): Promise<void> {
    const members = (await this.#publicClient.readContract({ address: committee, abi: COMMITTEE_ABI, functionName: "epochMembers", args: [epoch] })) as readonly number[];
    const memberId = members[evidence.signer];
    if (memberId === undefined) return;
    const commitment = reportCommitment(evidenceId(evidence.kind, BigInt(memberId), epoch, evidence.view, evidence.blockHashA, evidence.blockHashB), reporter);
    const request = { address: committee, abi: COMMITTEE_ABI, functionName: "commitReport", args: [commitment], account: reporter } as const;
    let gas: bigint;
    try {
      gas = await this.#publicClient.estimateContractGas(request);
    } catch (error) {
      // Committed by an earlier attempt whose receipt we missed: reveal.
      if (decodeRevert(error)?.errorName === "ReportAlreadyCommitted") return;
      throw error;
    }
    const receipt = await this.#sender.send({ to: committee, data: encodeFunctionData({ abi: COMMITTEE_ABI, functionName: "commitReport", args: [commitment] }), gas: (gas * 12n) / 10n });
    if (receipt.status !== "success") throw new SettlementError("SETTLEMENT_DEFERRED", `commitReport reverted in L1 block ${receipt.blockNumber} (${receipt.transactionHash}); retrying`);
    this.#log({ level: "info", event: "evidence-committed", ...what, transactionHash: receipt.transactionHash });
  }
}
