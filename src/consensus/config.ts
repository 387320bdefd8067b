/** How a core is configured, and what it is rebuilt from after a crash. */
import type { Hex } from "viem";
import type { Domain } from "../protocol/domain.ts";
import type { LeaderRule } from "./leader.ts";
import type { PacemakerConfig } from "./pacemaker.ts";
import type { BuildPayload, MayPropose, ValidateBlock } from "./payload.ts";
import type { Signer } from "./signer.ts";
import type { Block, Proposal, SafetyState } from "./types.ts";

export interface CoreConfig {
  /**
   * This member's index in the committee order; -1 for an observer, which follows the chain (it
   * validates, syncs and commits) but never signs: a member not in this epoch, catching up to the
   * epoch it will join.
   */
  readonly self: number;
  readonly domain: Domain;
  readonly signer: Signer;
  /** The block the core starts from: a deployment genesis (view 0) or, after an epoch change, the boundary block (its view). */
  readonly genesis: Block;
  readonly leaderRule?: LeaderRule;
  readonly pacemaker?: PacemakerConfig;
  readonly buildPayload?: BuildPayload;
  readonly validateBlock?: ValidateBlock;
  /** When the leader proposes (payload.ts); default: as soon as it holds the certificate of the previous view. */
  readonly mayPropose?: MayPropose;
  /** Committed blocks kept in memory to answer sync requests (older ones: the store's job). */
  readonly archiveLimit?: number;
}

/** What a member had persisted before it crashed: all it keeps across a restart. */
export interface RestoredState {
  readonly safety: SafetyState;
  /** Proposals from persist-block actions, in any order. */
  readonly proposals: readonly Proposal[];
  /**
   * The last block this member committed, if it had committed any. With `proposals` holding every
   * block from genesis up, the tree is rebuilt from genesis and re-committed here (the simulator).
   */
  readonly committedHash?: Hex;
  /**
   * The tail of the committed chain, oldest first, ending at the committed head (a restart bounded
   * by this window, not by the chain's length): the tree is rooted at the last, the others are
   * archived (sync answers, the leader rule's recent proposers), and `proposals` need only hold
   * the blocks above the head. Takes the place of `committedHash`.
   */
  readonly committed?: readonly Proposal[];
}
