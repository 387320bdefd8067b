/**
 * Structure checks that need no signature: the cheap first gate for every proposal (before any
 * pairing), and the block checks that consensus owns (before the execution callback).
 */
import { type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { maxHighQcView } from "./safety.ts";
import type { Block, Proposal, Validation } from "./types.ts";

/** Structure checks of a proposal that need no signature and no parent. */
export function checkProposalShape(p: Proposal): string | null {
  const { header, justify } = p.block;
  if (header.view === 0n) return "view 0 belongs to genesis";
  if (header.parentHash !== justify.blockHash) return "parentHash is not the justify QC's block";
  if (justify.view >= header.view) return "justify QC is not below the proposal's view";
  const needsTc = justify.view + 1n !== header.view;
  if (needsTc !== (p.tc !== undefined)) return needsTc ? "a proposal after a timed-out view needs its TC" : "unexpected TC";
  if (p.tc !== undefined) {
    if (p.tc.view + 1n !== header.view) return `TC of view ${p.tc.view} does not precede view ${header.view}`;
    if (justify.view < maxHighQcView(p.tc)) return "justify QC is below the TC's highest QC";
  }
  return null;
}

const payloadHashes = new Map<Hex, Hex>();

/** keccak256 of a payload, remembered for small payloads (empty and test blocks recur constantly). */
function hashPayload(payload: Hex): Hex {
  if (payload.length > 2 + 2 * 256) return keccak256(payload);
  let hash = payloadHashes.get(payload);
  if (hash === undefined) {
    if (payloadHashes.size >= 1024) payloadHashes.clear();
    payloadHashes.set(payload, (hash = keccak256(payload)));
  }
  return hash;
}

/** The checks consensus owns, run before the execution callback. */
export function checkBlockShape(block: Block, parent: Block): Validation {
  if (block.header.number !== parent.header.number + 1n) {
    return { ok: false, reason: `number ${block.header.number} does not follow the parent's ${parent.header.number}` };
  }
  if (block.header.view <= parent.header.view) return { ok: false, reason: "view does not exceed the parent's" };
  if (hashPayload(block.payload) !== block.header.dataHash) return { ok: false, reason: "dataHash is not keccak256(payload)" };
  return { ok: true };
}
