/**
 * DEVNET ONLY: a member that misbehaves on purpose, so that a devnet (`npm start --byzantine
 * <i>:<mode>`) shows the committee surviving it and L1 slashing it. Config field `byzantine`;
 * nothing sets it but the devnet writer, and the member logs a warning at start.
 *
 *   "silent"      sends no consensus message at all (no proposal, vote, timeout or sync answer);
 *                 it still receives, executes and serves its RPC: a crashed-but-reachable member.
 *   "equivocate"  when it leads a view it proposes its honest block, then a second block for the
 *                 same view (timestamp + 1, so another hash), both properly signed and sent to
 *                 every peer. The second proposal bypasses the signed-message ledger, which would
 *                 refuse it: that is the whole point. Honest members vote for the first one they
 *                 see, keep both as double-proposal evidence and report it to L1, which slashes.
 */
import type { Hex } from "viem";
import { proposalDigestOf } from "../consensus/digests.ts";
import { encodeMessage, type Proposal, type Signer } from "../consensus/index.ts";
import { encodeConsensusEnvelope } from "./envelope.ts";
import type { Links } from "./io.ts";
import type { Log } from "./log.ts";
import type { Domain } from "../protocol/domain.ts";
import type { Header } from "../protocol/header.ts";

export const MISBEHAVIOURS = ["equivocate", "silent"] as const;
export type Misbehaviour = (typeof MISBEHAVIOURS)[number];

/** The second, conflicting proposal an equivocating leader sends after `honest`. */
export function twinProposal(honest: Proposal, domain: Domain, signer: Signer, hashOf: (h: Header) => Hex): Proposal {
  const block = { ...honest.block, header: { ...honest.block.header, timestamp: honest.block.header.timestamp + 1n } };
  return { ...honest, block, signature: signer.sign(proposalDigestOf(domain, block.header.view, hashOf(block.header))) };
}


/** Wraps a proposal's `deliver` so that its twin is broadcast right after it (mode "equivocate"). */
export function equivocating(
  deliver: () => void,
  honest: Proposal,
  o: { epoch: bigint; domain: Domain; signer: Signer; hashOf: (h: Header) => Hex; links: Links; log: Log },
): () => void {
  const twin = twinProposal(honest, o.domain, o.signer, o.hashOf);
  const data = encodeConsensusEnvelope(o.epoch, new TextDecoder().decode(encodeMessage({ kind: "proposal", proposal: twin })));
  return () => {
    deliver();
    o.links.broadcast(data);
    o.log("warn", "byzantine.equivocated", { view: honest.block.header.view, first: o.hashOf(honest.block.header), second: o.hashOf(twin.block.header) });
  };
}
