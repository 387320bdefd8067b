/**
 * A leader whose blocks are bad, one way after the other, each properly formed otherwise (its
 * honest block, on the real chain, with valid QCs), so that only the check under test refuses it:
 *
 *   state-root     honest contents, wrong state root, signed by the leader
 *   invalid-tx     block data carrying a transfer from an account without funds, signed
 *   bad-signature  its honest block, with a signature that is not the leader's over it
 *
 * then again from the start. It does not vote for the view it spoiled (its honest twin would
 * otherwise be fetched by sync and seen), so a bad block reaches honest members only through the
 * proposal. Each spoiled proposal is noted (`byzantine.bad_proposal`: view, hash, kind).
 */
import { type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import type { Action, Proposal } from "../consensus/index.ts";
import { proposalDigestOf } from "../consensus/digests.ts";
import { encodeBlockData, hashBlockData } from "../execution/index.ts";
import { isOwnProposal, type Behaviour, type ByzantineContext } from "./behaviour.ts";
import { unfundedTransfer } from "./unfunded-transfer.ts";

export const BAD_PROPOSAL_KINDS = ["state-root", "invalid-tx", "bad-signature"] as const;
export type BadProposalKind = (typeof BAD_PROPOSAL_KINDS)[number];

function spoil(ctx: ByzantineContext, p: Proposal, kind: BadProposalKind): Proposal {
  const sign = (block: Proposal["block"]): Proposal => ({ ...p, block, signature: ctx.signer.sign(proposalDigestOf(ctx.domain, block.header.view, ctx.hashOf(block))) });
  switch (kind) {
    case "state-root":
      return sign({ ...p.block, header: { ...p.block.header, stateRoot: keccak256("0xbad0") } });
    case "invalid-tx": {
      const payload = encodeBlockData([unfundedTransfer(ctx.domain.chainId)]);
      return sign({ ...p.block, payload, header: { ...p.block.header, dataHash: hashBlockData(payload) } });
    }
    case "bad-signature":
      // A valid signature of ours, over another view's digest: it is not the leader's signature over this block.
      return { ...p, signature: ctx.signer.sign(proposalDigestOf(ctx.domain, p.block.header.view + 1n, ctx.hashOf(p.block))) };
  }
}

export const badProposal = (): Behaviour => {
  let next = 0;
  const spoiled = new Set<bigint>();
  return {
    name: "bad-proposal",
    rewrite(ctx, actions) {
      return actions.flatMap((a): Action[] => {
        if (a.type === "send" && a.message.kind === "vote" && spoiled.has(a.message.vote.view)) return [];
        if (!isOwnProposal(ctx, a)) return [a];
        const kind = BAD_PROPOSAL_KINDS[next++ % BAD_PROPOSAL_KINDS.length]!;
        const proposal = spoil(ctx, a.message.proposal, kind);
        const view = proposal.block.header.view;
        spoiled.add(view);
        for (const v of spoiled) if (v + 64n < view) spoiled.delete(v);
        const hash: Hex = ctx.hashOf(proposal.block);
        ctx.note("byzantine.bad_proposal", { view, hash, kind });
        return [{ type: "broadcast", message: { kind: "proposal", proposal } }];
      });
    },
  };
};
