/**
 * Equivocation evidence: two valid signatures by one member, of one kind, in one view, over
 * different blocks. Both messages are kept whole (hash + signature) because L1 re-verifies them;
 * the pair is put in a canonical order so one offence has exactly one encoding (replay of the
 * same evidence is then trivially recognisable on L1).
 */
import type { Hex } from "viem";
import type { Evidence, Sig } from "./types.ts";

export interface SignedHash {
  readonly blockHash: Hex;
  readonly signature: Sig;
}

export function createEvidence(kind: Evidence["kind"], view: bigint, signer: number, a: SignedHash, b: SignedHash): Evidence {
  const [first, second] = BigInt(a.blockHash) < BigInt(b.blockHash) ? [a, b] : [b, a];
  return {
    kind,
    view,
    signer,
    blockHashA: first.blockHash,
    signatureA: first.signature,
    blockHashB: second.blockHash,
    signatureB: second.signature,
  };
}

/** A stable identity for an offence, so each is reported once. */
export function evidenceKey(e: Evidence): string {
  return `${e.kind}:${e.view}:${e.signer}`;
}

/** A verified proposal as the log keeps it: its block hash, signature and signer. */
export interface LoggedProposal extends SignedHash {
  readonly proposer: number;
}

/**
 * Remembers the first verified proposal of each view; a second one by the same proposer with
 * another block is an equivocation. (Two members may both have proposed in one view when their
 * committed states differed: leader.ts. That is no offence.)
 */
export class ProposalLog {
  readonly #first = new Map<bigint, LoggedProposal>();

  get(view: bigint): LoggedProposal | undefined {
    return this.#first.get(view);
  }

  record(view: bigint, entry: LoggedProposal): void {
    if (!this.#first.has(view)) this.#first.set(view, entry);
  }

  pruneBelow(view: bigint): void {
    for (const v of this.#first.keys()) if (v < view) this.#first.delete(v);
  }
}
