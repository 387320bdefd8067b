/**
 * Restart: rebuilding a member from its store. What survives a crash is exactly what was
 * persisted: the safety state (so it never signs twice in a view), every block it accepted, and
 * the committed chain with its accounts. The core gets the safety state, the last
 * RESTORED_COMMITTED_BLOCKS committed blocks (its tree is rooted at the committed head) and the
 * stored proposals above the head (RestoredState); execution re-runs only those uncommitted blocks
 * so that their children can be validated. A restart therefore reads a bounded window whatever
 * the length of the chain or of the epoch; older blocks are served to syncing peers from the store.
 * Whatever the member missed while it was down it fetches from peers through sync.
 *
 * Only the current epoch's blocks are restored: another epoch's were signed by another committee
 * (their signer indexes mean other members), and its proposals in the core's log would read as
 * double proposals.
 */
import type { Proposal, RestoredState, Signer } from "../consensus/index.ts";
import { damagedMessage, StoreError, type Store } from "../store/index.ts";
import type { Chain } from "./chain.ts";
import type { EpochState } from "./epochs.ts";
import { decodeProposal, decodeSafety } from "./persisted.ts";

/** `signer` is the epoch's; blocks at or below its boundary belong to an earlier committee and are already committed. */
export function restoreConsensus(store: Store, chain: Chain, signer: Signer, epoch: EpochState): RestoredState | undefined {
  const safetyText = store.loadSafety();
  if (safetyText === undefined) return undefined;
  let safety;
  try {
    safety = decodeSafety(safetyText, signer);
  } catch (cause) {
    throw new StoreError("STORE_DAMAGED", damagedMessage(store.path, `the safety state cannot be decoded: ${(cause as Error).message}`), { cause });
  }
  const decode = (b: { hash: string; data: string }): Proposal => {
    try {
      return decodeProposal(b.data, signer);
    } catch (cause) {
      throw new StoreError("STORE_DAMAGED", `block ${b.hash} in ${store.path} cannot be decoded (${(cause as Error).message})`, { cause });
    }
  };
  // The committed tail (canonical blocks only: a fork below the head is dead) and every block
  // above the head. Nothing at or below the epoch's boundary: that is the core's genesis.
  const boundary = epoch.boundary?.number ?? 0n;
  const head = store.committedHead();
  const headNumber = head !== undefined && head.number > boundary ? head.number : boundary;
  const from = headNumber - RESTORED_COMMITTED_BLOCKS > boundary ? headNumber - RESTORED_COMMITTED_BLOCKS : boundary;
  const canonical = new Map<string, Proposal>();
  const proposals: Proposal[] = [];
  for (const stored of store.blocksAbove(from, epoch.epoch)) {
    if (stored.number > headNumber) proposals.push(decode(stored));
    else if (store.canonicalHash(stored.number) === stored.hash) canonical.set(stored.hash, decode(stored));
  }
  // From the head down while the blocks chain (they do, unless the store lost one: then the
  // window is shorter, never wrong).
  const committed: Proposal[] = [];
  for (let p = head === undefined ? undefined : canonical.get(head.hash); p !== undefined; p = canonical.get(p.block.header.parentHash)) committed.unshift(p);
  chain.restorePending(proposals.map((p) => p.block));
  return committed.length === 0 ? { safety, proposals } : { safety, proposals, committed };
}

/** Committed blocks handed back to the core at a restart: enough for the leader rule's look-back. */
export const RESTORED_COMMITTED_BLOCKS = 16n;
