/**
 * A Byzantine behaviour (relab/hotstuff's rules/byzantine, one file each). A faulty member runs
 * the honest core, and its behaviour rewrites what the core does: the actions of each step (what
 * it sends), what it adds when a message arrives, and, for a flooding member, traffic of its own
 * on a pulse of the member's clock. It holds only its own key, so it can lie and equivocate but
 * never forge an honest member's signature.
 *
 * One set of behaviours serves every place a member misbehaves: the member process (config field
 * `byzantine`, `npm start -- --byzantine <i>:<mode>`), whose replica (src/node/replica.ts) applies
 * them; the whole-member simulator, which runs that same replica; the test harness, which starts a
 * real member with the field set; and the core-level simulator (src/sim/simulation.ts), which has
 * no wire and so applies `rewrite` and `onMessage` only.
 *
 * What a behaviour adds (actions that were not in the core's list, frames) leaves the replica
 * without going through the signed-message ledger: the ledger would refuse a second proposal or
 * vote in one view, and refusing is exactly what a Byzantine member does not do.
 */
import type { Hex } from "viem";
import type { Domain } from "../protocol/domain.ts";
import type { Action, Block, Message, Signer } from "../consensus/index.ts";

export interface ByzantineContext {
  /** This member's signer index in its epoch. */
  readonly self: number;
  readonly committeeSize: number;
  readonly domain: Domain;
  /** The epoch its messages are signed in (frames carry it). */
  readonly epoch: bigint;
  readonly signer: Signer;
  /** Its core's current view. */
  readonly view: bigint;
  leaderOf(view: bigint): number;
  hashOf(block: Block): Hex;
  /** Says what the behaviour did: a warn line in the member's log; nothing in the core simulator. */
  note(event: string, fields: Record<string, unknown>): void;
}

/** A raw frame on the member's links (garbage, gossiped transactions): only a member has a wire. `to` is a signer index; absent, every peer. */
export interface Frame {
  readonly type: "frame";
  readonly to?: number;
  readonly data: string;
}

export interface Behaviour {
  readonly name: string;
  /** Rewrites the actions the member's own core produced for one event. */
  rewrite(ctx: ByzantineContext, actions: readonly Action[]): Action[];
  /** Extra actions when a message arrives (before the core sees it). */
  onMessage?(ctx: ByzantineContext, from: number, message: Message): Action[];
  /** Traffic of its own, every `pulseMs` of the member's clock (a flood). */
  readonly pulseMs?: number;
  pulse?(ctx: ByzantineContext): (Action | Frame)[];
}

export function otherMembers(ctx: ByzantineContext): number[] {
  return Array.from({ length: ctx.committeeSize }, (_, i) => i).filter((i) => i !== ctx.self);
}

/** Whether `a` sends this member's own proposal (the core broadcasts it; sync answers carry others'). */
export function isOwnProposal(ctx: ByzantineContext, a: Action): a is Extract<Action, { type: "broadcast" }> & { message: Extract<Message, { kind: "proposal" }> } {
  return a.type === "broadcast" && a.message.kind === "proposal" && ctx.leaderOf(a.message.proposal.block.header.view) === ctx.self;
}
