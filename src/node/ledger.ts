/**
 * Which outgoing messages carry this member's own signature, and what its signed-message ledger
 * (Store.recordSignature) records for each: the kind, the view, and the payload the signature
 * commits to (the block hash for votes and proposals, the high-QC view for timeouts). Relayed
 * certificates and sync answers are other members' signatures and are not recorded.
 */
import type { Hex } from "viem";
import type { Message } from "../consensus/index.ts";
import type { Header } from "../protocol/header.ts";

export interface SignedEntry {
  readonly kind: "vote" | "timeout" | "proposal";
  readonly view: bigint;
  readonly payload: string;
}

/**
 * The core sends proposals only as their proposer (others' travel inside sync answers), so every
 * outgoing `proposal` is this member's own.
 */
export function signedEntryOf(message: Message, self: number, hashOf: (header: Header) => Hex): SignedEntry | undefined {
  switch (message.kind) {
    case "vote":
      return message.vote.signer === self ? { kind: "vote", view: message.vote.view, payload: message.vote.blockHash } : undefined;
    case "timeout":
      return message.timeout.signer === self ? { kind: "timeout", view: message.timeout.view, payload: `highQc:${message.timeout.highQc.view}` } : undefined;
    case "proposal": {
      const header = message.proposal.block.header;
      return { kind: "proposal", view: header.view, payload: hashOf(header) };
    }
    default:
      return undefined;
  }
}
