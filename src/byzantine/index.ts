export { isOwnProposal, otherMembers, type Behaviour, type ByzantineContext, type Frame } from "./behaviour.ts";
export { badProposal, BAD_PROPOSAL_KINDS, type BadProposalKind } from "./bad-proposal.ts";
export { doubleVote } from "./double-vote.ts";
export { equivocate, twinProposal } from "./equivocate.ts";
export { flood, type FloodOptions } from "./flood.ts";
export { ignoreLock } from "./ignore-lock.ts";
export { silent } from "./silent.ts";
export { behaviourOf, BYZANTINE_MODE_HELP, BYZANTINE_MODES, type ByzantineMode } from "./modes.ts";
