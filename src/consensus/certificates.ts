/**
 * Verification of QCs, TCs and single signed messages. Cheap structural checks come first (the
 * view ordering, one high-QC view per signer, the genesis exception), then the Signer's
 * membership and quorum checks, then one pairing. Each function returns null when the object is
 * valid and otherwise a short reason, so the core can drop the message and tell the adapter why.
 */
import type { Hex } from "viem";
import { countSigners } from "../crypto/index.ts";
import type { Domain } from "../protocol/domain.ts";
import { proposalDigestOf, timeoutDigestOf, voteDigestOf } from "./digests.ts";
import { maxHighQcView } from "./safety.ts";
import type { Signer } from "./signer.ts";
import type { QC, Sig, TC, Timeout, Vote } from "./types.ts";

export interface VerifyContext {
  readonly domain: Domain;
  readonly signer: Signer;
  readonly genesisHash: Hex;
  /** The genesis block's view: 0 for a deployment's genesis, the boundary block's after an epoch change. */
  readonly genesisView: bigint;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The genesis QC is the one certificate without signatures: the genesis block at its view. */
export function isGenesisQc(ctx: VerifyContext, qc: QC): boolean {
  return qc.view === ctx.genesisView && qc.blockHash === ctx.genesisHash && qc.signers === 0n && qc.signature === null;
}

export function verifyQc(ctx: VerifyContext, qc: QC): string | null {
  if (qc.view <= ctx.genesisView) return isGenesisQc(ctx, qc) ? null : `a QC of view ${qc.view} (at or below genesis view ${ctx.genesisView}) must be the genesis QC`;
  if (qc.signature === null) return "QC has no signature";
  try {
    ctx.signer.verifyQuorum(qc.signers, voteDigestOf(ctx.domain, qc.view, qc.blockHash), qc.signature);
    return null;
  } catch (e) {
    return `QC of view ${qc.view}: ${describe(e)}`;
  }
}

/** Verifies a TC and the high QC it carries (so its receiver can extend that QC). */
export function verifyTc(ctx: VerifyContext, tc: TC): string | null {
  if (tc.highQcViews.length !== countSigners(tc.signers)) return "TC needs one high-QC view per signer";
  for (const v of tc.highQcViews) if (v < 0n || v >= tc.view) return `TC of view ${tc.view} names high-QC view ${v}`;
  if (tc.highQc.view !== maxHighQcView(tc)) return "TC's high QC is not the highest its signers reported";
  const qcProblem = verifyQc(ctx, tc.highQc);
  if (qcProblem !== null) return `TC's high QC: ${qcProblem}`;
  try {
    const digests = tc.highQcViews.map((v) => timeoutDigestOf(ctx.domain, tc.view, v));
    ctx.signer.verifyQuorumMulti(tc.signers, digests, tc.signature);
    return null;
  } catch (e) {
    return `TC of view ${tc.view}: ${describe(e)}`;
  }
}

export function verifyVoteSignature(ctx: VerifyContext, vote: Vote): boolean {
  return ctx.signer.verify(vote.signer, voteDigestOf(ctx.domain, vote.view, vote.blockHash), vote.signature);
}

export function verifyTimeoutSignature(ctx: VerifyContext, timeout: Timeout): boolean {
  const digest = timeoutDigestOf(ctx.domain, timeout.view, timeout.highQc.view);
  return ctx.signer.verify(timeout.signer, digest, timeout.signature);
}

export function verifyProposalSignature(ctx: VerifyContext, leader: number, view: bigint, blockHash: Hex, signature: Sig): boolean {
  return ctx.signer.verify(leader, proposalDigestOf(ctx.domain, view, blockHash), signature);
}

/**
 * Verifies each QC and TC once: later copies (in timeouts, TCs, proposals and sync answers) cost
 * a set lookup. Only successes are remembered, keyed by everything that was verified.
 */
export class CertificateCache {
  readonly #ctx: VerifyContext;
  readonly #verified = new Set<string>();

  constructor(ctx: VerifyContext) {
    this.#ctx = ctx;
  }

  checkQc(qc: QC): string | null {
    const key = `qc:${qc.view}:${qc.blockHash}:${qc.signers}:${qc.signature?.toHex() ?? ""}`;
    if (this.#verified.has(key)) return null;
    const problem = verifyQc(this.#ctx, qc);
    if (problem === null) this.#remember(key);
    return problem;
  }

  checkTc(tc: TC): string | null {
    const key = `tc:${tc.view}:${tc.signers}:${tc.highQcViews.join(",")}:${tc.signature.toHex()}:${tc.highQc.blockHash}`;
    if (this.#verified.has(key)) return null;
    const problem = this.checkQc(tc.highQc) ?? verifyTc(this.#ctx, tc);
    if (problem === null) this.#remember(key);
    return problem;
  }

  #remember(key: string): void {
    if (this.#verified.size >= 4096) this.#verified.delete(this.#verified.values().next().value as string);
    this.#verified.add(key);
  }
}
