/**
 * Vote aggregation at the leader of view v + 1: votes for (v, block) are collected until n - f
 * distinct members voted for the same block, then aggregated into a QC.
 *
 * Cost order: duplicates and conflicts are found by signer index before any pairing; a quorum is
 * verified optimistically as one aggregate (one pairing for the whole QC); only if that fails are
 * the votes verified one by one, and the invalid ones dropped. A conflicting pair (one signer,
 * one view, two blocks) is verified individually and, when both hold, becomes evidence.
 */
import type { Hex } from "viem";
import { bitmapFromIndices } from "../crypto/index.ts";
import { voteDigestOf } from "./digests.ts";
import { verifyVoteSignature, type VerifyContext } from "./certificates.ts";
import { createEvidence } from "./evidence.ts";
import type { Evidence, QC, Vote } from "./types.ts";

export interface VoteOutcome {
  readonly qc?: QC;
  readonly evidence?: Evidence;
}

interface ViewVotes {
  readonly bySigner: Map<number, Vote>;
  readonly verified: Set<number>;
  done: boolean;
}

export class VoteCollector {
  readonly #views = new Map<bigint, ViewVotes>();
  readonly #quorum: number;
  readonly #committeeSize: number;

  constructor(committeeSize: number, quorum: number) {
    this.#committeeSize = committeeSize;
    this.#quorum = quorum;
  }

  /** Adds a vote whose signer index is a member (checked by the caller). */
  add(ctx: VerifyContext, vote: Vote): VoteOutcome {
    let votes = this.#views.get(vote.view);
    if (votes === undefined) {
      votes = { bySigner: new Map(), verified: new Set(), done: false };
      this.#views.set(vote.view, votes);
    }
    const existing = votes.bySigner.get(vote.signer);
    if (existing !== undefined) {
      if (existing.blockHash === vote.blockHash && existing.signature.toHex() === vote.signature.toHex()) return {};
      return this.#resolveConflict(ctx, votes, existing, vote);
    }
    votes.bySigner.set(vote.signer, vote);
    return votes.done ? {} : { ...this.#tryAggregate(ctx, votes, vote.view, vote.blockHash) };
  }

  /** Two votes by one signer in one view: keep the valid one; both valid and different = evidence. */
  #resolveConflict(ctx: VerifyContext, votes: ViewVotes, existing: Vote, vote: Vote): VoteOutcome {
    if (!verifyVoteSignature(ctx, vote)) return {};
    const existingValid = votes.verified.has(existing.signer) || verifyVoteSignature(ctx, existing);
    if (existingValid && existing.blockHash !== vote.blockHash) {
      votes.verified.add(existing.signer);
      const evidence = createEvidence("vote", vote.view, vote.signer, existing, vote);
      return { evidence };
    }
    if (existingValid) return {};
    votes.bySigner.set(vote.signer, vote);
    votes.verified.add(vote.signer);
    return votes.done ? {} : this.#tryAggregate(ctx, votes, vote.view, vote.blockHash);
  }

  #tryAggregate(ctx: VerifyContext, votes: ViewVotes, view: bigint, blockHash: Hex): VoteOutcome {
    const forBlock = () => [...votes.bySigner.values()].filter((v) => v.blockHash === blockHash);
    let candidates = forBlock();
    if (candidates.length < this.#quorum) return {};
    let qc = this.#aggregate(ctx, view, blockHash, candidates);
    if (qc === null) {
      // Some vote is forged: find it (one pairing each), drop it, and wait for more votes.
      for (const v of candidates) {
        if (votes.verified.has(v.signer)) continue;
        if (verifyVoteSignature(ctx, v)) votes.verified.add(v.signer);
        else votes.bySigner.delete(v.signer);
      }
      candidates = forBlock();
      if (candidates.length < this.#quorum) return {};
      qc = this.#aggregate(ctx, view, blockHash, candidates);
      if (qc === null) return {};
    }
    votes.done = true;
    return { qc };
  }

  #aggregate(ctx: VerifyContext, view: bigint, blockHash: Hex, votes: readonly Vote[]): QC | null {
    const signers = bitmapFromIndices(votes.map((v) => v.signer), this.#committeeSize);
    try {
      // Aggregation itself can fail (forged signatures may sum to the point at infinity): that is
      // a failed check like any other, never an exception out of the core.
      const signature = ctx.signer.aggregate(votes.map((v) => v.signature));
      ctx.signer.verifyQuorum(signers, voteDigestOf(ctx.domain, view, blockHash), signature);
      return { view, blockHash, signers, signature };
    } catch {
      return null;
    }
  }

  /** Keeps collecting votes of a view after its QC only to catch double votes. */
  pruneBelow(view: bigint): void {
    for (const v of this.#views.keys()) if (v < view) this.#views.delete(v);
  }
}
