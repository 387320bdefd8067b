/**
 * Restart: rebuilding a member from its store. What survives a crash is exactly what was
 * persisted: the safety state (so it never signs twice in a view), every block it accepted, and
 * the committed chain with its accounts. The core gets the safety state, all stored proposals and
 * the committed head (RestoredState); execution re-runs the stored blocks above the committed
 * head so that their children can be validated. Whatever the member missed while it was down it
 * fetches from peers through the core's sync.
 */
import type { Hex } from "viem";
import type { Proposal, RestoredState, Signer } from "../consensus/index.ts";
import { StoreError, type Store } from "../store/index.ts";
import type { Chain } from "./chain.ts";
import { decodeProposal, decodeSafety } from "./persisted.ts";

/**
 * `signer` is the current epoch's; `aboveView` its boundary block's view (0 in the genesis
 * epoch): blocks at or below it belong to an earlier committee and are already committed.
 */
export function restoreConsensus(store: Store, chain: Chain, signer: Signer, aboveView = 0n): RestoredState | undefined {
  const safetyText = store.loadSafety();
  if (safetyText === undefined) return undefined;
  let safety;
  try {
    safety = decodeSafety(safetyText, signer);
  } catch (cause) {
    throw new StoreError("STORE_DAMAGED", `the safety state in ${store.path} cannot be decoded (${(cause as Error).message}); refusing to vote from it`, { cause });
  }
  // Every block from the epoch's genesis on: the core's block tree is rebuilt from its root up,
  // and the committed head is then re-committed inside it.
  const proposals: Proposal[] = store.blocksAboveView(aboveView).map((b) => {
    try {
      return decodeProposal(b.data, signer);
    } catch (cause) {
      throw new StoreError("STORE_DAMAGED", `block ${b.hash} in ${store.path} cannot be decoded (${(cause as Error).message})`, { cause });
    }
  });
  const head = store.committedHead();
  chain.restorePending(proposals.map((p) => p.block));
  const committedHash = head !== undefined && head.number > 0n ? (head.hash as Hex) : undefined;
  return committedHash === undefined ? { safety, proposals } : { safety, proposals, committedHash };
}
