/**
 * Equivocating leader: whenever it leads, it signs two different blocks for its view (same parent
 * and justify, different payload) and sends one to each half of the committee. Honest members
 * must still agree (at most one of the two can gather n - f votes), and whoever ends up holding
 * both signed proposals reports the leader.
 */
import { keccak256, type Hex } from "viem";
import { hashBlock, type Action, type Proposal } from "../../consensus/index.ts";
import { proposalDigest } from "../../protocol/digests.ts";
import { otherMembers, type Behaviour, type ByzantineContext } from "./behaviour.ts";

function signTwin(ctx: ByzantineContext, p: Proposal): Proposal {
  const payload: Hex = `0x${"ee".repeat(8)}`;
  const block = { ...p.block, payload, header: { ...p.block.header, dataHash: keccak256(payload) } };
  const signature = ctx.signer.sign(proposalDigest(ctx.domain, block.header.view, hashBlock(ctx.domain, block)));
  return { ...p, block, signature };
}

export const equivocate: Behaviour = {
  name: "equivocate",
  rewrite(ctx, actions) {
    return actions.flatMap((a): Action[] => {
      if (a.type !== "broadcast" || a.message.kind !== "proposal") return [a];
      const original = a.message.proposal;
      const twin = signTwin(ctx, original);
      const others = otherMembers(ctx);
      const half = Math.ceil(others.length / 2);
      return others.map((to, i) => ({ type: "send", to, message: { kind: "proposal", proposal: i < half ? original : twin } }));
    });
  },
};
