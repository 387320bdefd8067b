/**
 * Restart: rebuilding a member from its store. What survives a crash is exactly what was
 * persisted: the safety state (so it never signs twice in a view), every block it accepted, and
 * the committed chain with its accounts. The core gets the safety state, the stored proposals of
 * the current epoch above the committed head, and the committed head (RestoredState); execution
 * re-runs those uncommitted blocks so that their children can be validated. Whatever the member
 * missed while it was down it fetches from peers through sync.
 *
 * Only the current epoch's blocks are restored: another epoch's were signed by another committee
 * (their signer indexes mean other members), and its proposals in the core's log would read as
 * double proposals.
 */
import type { Hex } from "viem";
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
  // Every block of the epoch from its root up: the core's block tree is rebuilt from its root, and
  // the committed head is then re-committed inside it.
  const proposals = store.blocksAbove(epoch.boundary?.number ?? 0n, epoch.epoch).map(decode);
  const head = store.committedHead();
  chain.restorePending(proposals.map((p) => p.block));
  const committedHash = head !== undefined && head.number > (epoch.boundary?.number ?? 0n) ? (head.hash as Hex) : undefined;
  return committedHash === undefined ? { safety, proposals } : { safety, proposals, committedHash };
}
