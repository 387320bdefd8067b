/**
 * Timeout aggregation: n - f timeouts for one view form a TC. Every member collects them (they
 * are broadcast), so every member that hears a quorum can move on by itself.
 *
 * As with votes, duplicates are dropped by signer index and the quorum is verified as one
 * aggregate (one Miller loop per distinct high-QC view, one final exponentiation); only when that
 * fails is each timeout verified alone. The high QC inside each timeout is verified by the caller
 * before the timeout gets here, because the TC's receiver will extend the highest of them.
 */
import { bitmapFromIndices } from "../crypto/index.ts";
import { timeoutDigestOf } from "./digests.ts";
import { verifyTimeoutSignature, type VerifyContext } from "./certificates.ts";
import type { TC, Timeout } from "./types.ts";

export interface TimeoutOutcome {
  /** How many distinct members have timed out in this view so far (unverified count). */
  readonly count: number;
  readonly tc?: TC;
}

interface ViewTimeouts {
  readonly bySigner: Map<number, Timeout>;
  readonly verified: Set<number>;
  done: boolean;
}

export class TimeoutCollector {
  readonly #views = new Map<bigint, ViewTimeouts>();
  readonly #committeeSize: number;
  readonly #quorum: number;

  constructor(committeeSize: number, quorum: number) {
    this.#committeeSize = committeeSize;
    this.#quorum = quorum;
  }

  add(ctx: VerifyContext, timeout: Timeout): TimeoutOutcome {
    let timeouts = this.#views.get(timeout.view);
    if (timeouts === undefined) {
      timeouts = { bySigner: new Map(), verified: new Set(), done: false };
      this.#views.set(timeout.view, timeouts);
    }
    if (timeouts.bySigner.has(timeout.signer) || timeouts.done) return { count: timeouts.bySigner.size };
    timeouts.bySigner.set(timeout.signer, timeout);
    if (timeouts.bySigner.size < this.#quorum) return { count: timeouts.bySigner.size };
    let tc = this.#aggregate(ctx, timeout.view, [...timeouts.bySigner.values()]);
    if (tc === null) {
      for (const t of timeouts.bySigner.values()) {
        if (timeouts.verified.has(t.signer)) continue;
        if (verifyTimeoutSignature(ctx, t)) timeouts.verified.add(t.signer);
        else timeouts.bySigner.delete(t.signer);
      }
      if (timeouts.bySigner.size >= this.#quorum) tc = this.#aggregate(ctx, timeout.view, [...timeouts.bySigner.values()]);
    }
    if (tc === null) return { count: timeouts.bySigner.size };
    timeouts.done = true;
    return { count: timeouts.bySigner.size, tc };
  }

  #aggregate(ctx: VerifyContext, view: bigint, timeouts: Timeout[]): TC | null {
    const sorted = [...timeouts].sort((a, b) => a.signer - b.signer);
    const signers = bitmapFromIndices(sorted.map((t) => t.signer), this.#committeeSize);
    const highQcViews = sorted.map((t) => t.highQc.view);
    let highQc = sorted[0]!.highQc;
    for (const t of sorted) if (t.highQc.view > highQc.view) highQc = t.highQc;
    try {
      // As for votes: forged parts may sum to infinity, which must read as "does not verify".
      const signature = ctx.signer.aggregate(sorted.map((t) => t.signature));
      ctx.signer.verifyQuorumMulti(signers, highQcViews.map((v) => timeoutDigestOf(ctx.domain, view, v)), signature);
      return { view, signers, highQcViews, signature, highQc };
    } catch {
      return null;
    }
  }

  pruneBelow(view: bigint): void {
    for (const v of this.#views.keys()) if (v < view) this.#views.delete(v);
  }
}
