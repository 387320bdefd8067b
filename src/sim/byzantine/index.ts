export type { Behaviour, ByzantineContext } from "./behaviour.ts";
export { equivocate } from "./equivocate.ts";
export { doubleVote } from "./double-vote.ts";
export { silent } from "./silent.ts";
export { ignoreLock } from "./ignore-lock.ts";
