/** The consensus core's public surface: what adapters (node, simulator, tools) import. */
export { Core, hashBlock, type CoreConfig, type RestoredState } from "./core.ts";
export type { Action, Event, CommittedBlock } from "./events.ts";
export type { Message, MessageKind } from "./messages.ts";
export { MAX_SYNC_PROPOSALS } from "./messages.ts";
export type { Block, BuiltPayload, Evidence, HeaderFields, Proposal, QC, SafetyState, Sig, TC, Timeout, Validation, Vote } from "./types.ts";
export { createBlsSigner, cacheVerifications, type Signer } from "./signer.ts";
export { carousel, LEADER_RULES, roundRobin, type CommittedChain, type LeaderRule, type LeaderRuleName } from "./leader.ts";
export { DEFAULT_PACEMAKER, type PacemakerConfig } from "./pacemaker.ts";
export { acceptAnyBlock, createEmptyPayloadBuilder, createGenesisBlock, type BuildPayload, type MayPropose, type ValidateBlock } from "./payload.ts";
export { initialSafetyState, isSafeToVote, maxHighQcView } from "./safety.ts";
export { verifyQc, verifyTc, type VerifyContext } from "./certificates.ts";
export {
  encodeMessage,
  decodeMessage,
  encodeEvidence,
  decodeEvidence,
  encodeBlockRecord,
  decodeBlockRecord,
  encodeCommitProof,
  decodeCommitProof,
  MAX_MESSAGE_BYTES,
  MAX_PAYLOAD_BYTES,
} from "./codec.ts";
export { ConsensusError, type ConsensusErrorCode } from "./errors.ts";
