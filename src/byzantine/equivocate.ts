/**
 * Equivocating leader: whenever it leads, it signs a second block for its view (its honest block
 * with timestamp + 1: same parent, justify and payload, another hash, still a valid block) and
 * sends both to every peer, in opposite orders to the two halves of the committee. Each half
 * votes for the block it sees first, so at most one of the two can gather n - f votes and honest
 * members must still agree; and every honest member ends up holding both signed proposals, keeps
 * them as double-proposal evidence and reports the leader (to L1, which slashes it).
 */
import type { Action, Proposal } from "../consensus/index.ts";
import { proposalDigestOf } from "../consensus/digests.ts";
import { isOwnProposal, otherMembers, type Behaviour, type ByzantineContext } from "./behaviour.ts";

/** The second, conflicting proposal an equivocating leader sends beside `honest`. */
export function twinProposal(ctx: ByzantineContext, honest: Proposal): Proposal {
  const block = { ...honest.block, header: { ...honest.block.header, timestamp: honest.block.header.timestamp + 1n } };
  return { ...honest, block, signature: ctx.signer.sign(proposalDigestOf(ctx.domain, block.header.view, ctx.hashOf(block))) };
}

export const equivocate = (): Behaviour => ({
  name: "equivocate",
  rewrite(ctx, actions) {
    return actions.flatMap((a): Action[] => {
      if (!isOwnProposal(ctx, a)) return [a];
      const original = a.message;
      const twin = { kind: "proposal" as const, proposal: twinProposal(ctx, original.proposal) };
      ctx.note("byzantine.equivocated", { view: original.proposal.block.header.view, first: ctx.hashOf(original.proposal.block), second: ctx.hashOf(twin.proposal.block) });
      const others = otherMembers(ctx);
      const half = Math.ceil(others.length / 2);
      return others.flatMap((to, i): Action[] => {
        const [first, second] = i < half ? [original, twin] : [twin, original];
        return [{ type: "send", to, message: first }, { type: "send", to, message: second }];
      });
    });
  },
});
