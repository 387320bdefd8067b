/**
 * A Byzantine behaviour (relab/hotstuff's rules/byzantine, one file each): a faulty member runs
 * the honest core and a behaviour rewrites what it does — what it sends, and what it adds when a
 * message arrives. It holds only its own key, so it can lie and equivocate but never forge an
 * honest member's signature.
 */
import type { Domain } from "../../protocol/domain.ts";
import type { Action, Message, Signer } from "../../consensus/index.ts";

export interface ByzantineContext {
  readonly self: number;
  readonly committeeSize: number;
  readonly domain: Domain;
  readonly signer: Signer;
  leaderOf(view: bigint): number;
}

export interface Behaviour {
  readonly name: string;
  /** Rewrites the actions the member's own core produced for one event. */
  rewrite(ctx: ByzantineContext, actions: readonly Action[]): Action[];
  /** Extra actions when a message arrives (before the core sees it). */
  onMessage?(ctx: ByzantineContext, from: number, message: Message): Action[];
}

export function otherMembers(ctx: ByzantineContext): number[] {
  return Array.from({ length: ctx.committeeSize }, (_, i) => i).filter((i) => i !== ctx.self);
}
