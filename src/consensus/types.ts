/**
 * The protocol's nouns: blocks, certificates, signed messages and the safety state.
 *
 * Views and heights are bigints because they cross into Solidity as uint256. Time is a plain
 * number of milliseconds on whatever clock the adapter feeds in (virtual in the simulator).
 * Signatures are opaque (`Sig`): the core never looks inside one, it only hands them to the
 * `Signer` (src/consensus/signer.ts), so the real BLS scheme and the test-only fast scheme plug
 * into the same code.
 */
import type { Hex } from "viem";
import type { Header } from "../protocol/header.ts";

/** A signature or an aggregate of signatures, as produced by a `Signer`. */
export interface Sig {
  toHex(): Hex;
}

/**
 * A quorum certificate: n - f votes for `blockHash` in `view`, aggregated. `signers` is the bitmap
 * over the committee order (bit i = member i). The genesis QC alone has no signers and no
 * signature: it is trusted by construction (every member starts from the same genesis block).
 */
export interface QC {
  readonly view: bigint;
  readonly blockHash: Hex;
  readonly signers: bigint;
  readonly signature: Sig | null;
}

/**
 * A timeout certificate: n - f timeouts for `view`. Member k (the k-th set bit of `signers`)
 * signed timeoutDigest(view, highQcViews[k]). It carries the highest of those QCs (`highQc`,
 * whose view equals max(highQcViews)) so that the next leader can always extend it, even if it
 * never saw that QC itself.
 */
export interface TC {
  readonly view: bigint;
  readonly signers: bigint;
  readonly highQcViews: readonly bigint[];
  readonly signature: Sig;
  readonly highQc: QC;
}

export interface Block {
  readonly header: Header;
  /** The QC for the parent block (header.parentHash == justify.blockHash). */
  readonly justify: QC;
  /** Opaque block data; header.dataHash == keccak256(payload). */
  readonly payload: Hex;
}

/** A block signed by the leader of its view; `tc` is present iff justify.view + 1 != view. */
export interface Proposal {
  readonly block: Block;
  /**
   * The member that signed it (the leader of the view, by its own view of the committed chain).
   * Not signed itself: the signature only verifies under this member's key. The leader rule reads
   * it back from committed blocks (leader.ts), so it travels with the block: in sync answers, in
   * epoch-change proofs, and on the member's disk across a restart.
   */
  readonly proposer: number;
  readonly signature: Sig;
  readonly tc?: TC;
}

export interface Vote {
  readonly view: bigint;
  readonly blockHash: Hex;
  readonly signer: number;
  readonly signature: Sig;
}

/** A member gives up on `view`; signed over timeoutDigest(view, highQc.view). */
export interface Timeout {
  readonly view: bigint;
  readonly highQc: QC;
  readonly signer: number;
  readonly signature: Sig;
}

/**
 * What must survive a crash for the member never to sign two different messages in one view.
 * The adapter persists it (PersistSafety action) before any later send in the same batch.
 */
export interface SafetyState {
  /** Highest view this member voted in (also raised when it times out: no vote after a timeout). */
  readonly lastVotedView: bigint;
  /** Highest view this member proposed in (a restarted leader must not propose again). */
  readonly lastProposedView: bigint;
  /** Highest view this member signed a timeout for, and that timeout, re-sent verbatim. */
  readonly lastTimeoutView: bigint;
  readonly lastTimeout: Timeout | null;
  readonly highQc: QC;
}

/**
 * Proof that `signer` signed two different blocks in one view, as one kind of message. This is
 * exactly what the L1 slashing functions take: the kind selects the digest (voteDigest or
 * proposalDigest over the epoch's domain), and each signature verifies over its block hash.
 * The pair is ordered (blockHashA < blockHashB) so the same offence always has one encoding.
 */
export interface Evidence {
  readonly kind: "vote" | "proposal";
  readonly view: bigint;
  readonly signer: number;
  readonly blockHashA: Hex;
  readonly signatureA: Sig;
  readonly blockHashB: Hex;
  readonly signatureB: Sig;
}

/** The validation verdict of a proposed block's payload (execution plugs in here). */
export type Validation = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Header fields the payload builder chooses; consensus fills number, view and parentHash. */
export type HeaderFields = Omit<Header, "number" | "view" | "parentHash">;

export interface BuiltPayload {
  readonly fields: HeaderFields;
  readonly payload: Hex;
}
