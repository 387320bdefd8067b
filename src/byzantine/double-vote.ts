/**
 * Double-voting member: every vote it casts is followed by a second, signed vote in the same
 * view for a different block hash, sent to the same next leader. Two valid votes by one member in
 * one view are slashable evidence; the honest leader must report it and not count both.
 */
import { keccak256 } from "../crypto/keccak.ts";
import type { Action } from "../consensus/index.ts";
import { voteDigestOf } from "../consensus/digests.ts";
import type { Behaviour } from "./behaviour.ts";

export const doubleVote = (): Behaviour => ({
  name: "double-vote",
  rewrite(ctx, actions) {
    return actions.flatMap((a): Action[] => {
      if (a.type !== "send" || a.message.kind !== "vote") return [a];
      const { view, blockHash } = a.message.vote;
      const other = keccak256(blockHash);
      const signature = ctx.signer.sign(voteDigestOf(ctx.domain, view, other));
      ctx.note("byzantine.double_voted", { view, first: blockHash, second: other });
      return [a, { type: "send", to: a.to, message: { kind: "vote", vote: { view, blockHash: other, signer: ctx.self, signature } } }];
    });
  },
});
