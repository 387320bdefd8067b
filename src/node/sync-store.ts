/**
 * Sync answers from the store. The core keeps only the last few thousand committed blocks in
 * memory (its archive); a member that was away longer asks for older ones, and this member
 * answers from disk with exactly what the core would have sent: proposals newest first, each the
 * parent of the one before, none at or below the asker's committed height, bounded in count and
 * bytes. The asker verifies them like any proposal.
 */
import { MAX_SYNC_PROPOSALS, type Message, type Proposal, type Signer } from "../consensus/index.ts";
import type { Store } from "../store/index.ts";
import { decodeProposal } from "./persisted.ts";

export type SyncRequest = Extract<Message, { kind: "sync-request" }>;

/** Bound on one answer's encoded size (the codec accepts up to 32 MiB per message). */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export function proposalsFromStore(store: Store, signer: Signer, request: SyncRequest): Proposal[] {
  const proposals: Proposal[] = [];
  let hash: string = request.blockHash;
  let bytes = 0;
  while (proposals.length < Math.min(request.limit, MAX_SYNC_PROPOSALS) && bytes < MAX_ANSWER_BYTES) {
    const stored = store.getBlock(hash);
    if (stored === undefined || stored.number <= request.above) break;
    const proposal = decodeProposal(stored.data, signer);
    proposals.push(proposal);
    bytes += stored.data.length;
    hash = proposal.block.header.parentHash;
  }
  return proposals;
}
