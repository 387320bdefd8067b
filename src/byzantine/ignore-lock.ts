/**
 * A member that votes ignoring its lock and the voting rule: it votes for every proposal it is
 * shown, whatever its view, whatever it voted before (so it votes for both blocks of an
 * equivocating leader, and for stale blocks relayed by sync). Its votes are validly signed; the
 * honest members' rules alone must keep the committed chain safe.
 */
import type { Action } from "../consensus/index.ts";
import { voteDigestOf } from "../consensus/digests.ts";
import type { Behaviour } from "./behaviour.ts";

export const ignoreLock = (): Behaviour => ({
  name: "ignore-lock",
  rewrite: (_ctx, actions) => [...actions],
  onMessage(ctx, _from, message) {
    const proposals = message.kind === "proposal" ? [message.proposal] : message.kind === "sync-response" ? message.proposals : [];
    return proposals.map((p): Action => {
      const view = p.block.header.view;
      const blockHash = ctx.hashOf(p.block);
      const signature = ctx.signer.sign(voteDigestOf(ctx.domain, view, blockHash));
      return { type: "send", to: ctx.leaderOf(view + 1n), message: { kind: "vote", vote: { view, blockHash, signer: ctx.self, signature } } };
    });
  },
});
