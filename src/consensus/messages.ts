/**
 * What members send each other. Votes and timeouts travel only from their signer (the network
 * authenticates the sender, and the core checks `from == signer` before any pairing); proposals,
 * TCs and QCs may be relayed by anyone because they carry the signatures that make them valid.
 */
import type { Hex } from "viem";
import type { SignedHash } from "./evidence.ts";
import type { Proposal, QC, TC, Timeout, Vote } from "./types.ts";

/** How many ancestors a member sends back for one sync request, at most. */
export const MAX_SYNC_PROPOSALS = 128;
/** Total payload bytes in one sync answer, at most (well inside the codec's message bound). */
export const MAX_SYNC_PAYLOAD_BYTES = 8 * 1024 * 1024;

export type Message =
  | { readonly kind: "proposal"; readonly proposal: Proposal }
  | { readonly kind: "vote"; readonly vote: Vote }
  /**
   * `seen`: the proposal (block hash and leader signature) the sender received for that view, if
   * any. Not signed by the sender, only carried: when a leader sent different blocks to different
   * members and the view failed, this is how the honest members find the two signatures.
   */
  | { readonly kind: "timeout"; readonly timeout: Timeout; readonly seen?: SignedHash }
  /** A certificate that lets a lagging member move to a later view. */
  | { readonly kind: "tc"; readonly tc: TC }
  | { readonly kind: "qc"; readonly qc: QC }
  /**
   * Asks for the proposal of `blockHash` and up to `limit` - 1 of its ancestors, stopping at
   * height `above` (the asker's committed height: it has everything up to there).
   */
  | { readonly kind: "sync-request"; readonly blockHash: Hex; readonly limit: number; readonly above: bigint }
  /** The proposals asked for, newest first, each the parent of the one before. */
  | { readonly kind: "sync-response"; readonly proposals: readonly Proposal[] };

export type MessageKind = Message["kind"];
