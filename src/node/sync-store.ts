/**
 * Sync answers from the store. The core keeps only the last few thousand committed blocks in
 * memory (its archive) and answers only its own epoch's members; a member that was away longer,
 * one still in an older epoch, or one not in this epoch (catching up to join it) is answered from
 * disk with what the core would have sent: proposals newest first, each the parent of the one
 * before, none at or below the asker's committed height, all of the asked epoch.
 *
 * The stored rows are the proposals' codec JSON, exactly what goes on the wire, so an answer is
 * assembled from them without decoding a signature (answering stays cheap for the answerer; the
 * asker verifies every proposal like a live one), and is paged by its size on the wire: the
 * answer must stay well below the transport's frame limit, or the link closes and a lagging
 * member never catches up.
 */
import { MAX_SYNC_PROPOSALS } from "../consensus/index.ts";
import type { Store } from "../store/index.ts";

/** Bound on one answer's encoded size; the transport's frame limit is 8 MiB. */
export const MAX_SYNC_ANSWER_BYTES = 2 * 1024 * 1024;

export interface SyncAsk {
  readonly blockHash: string;
  readonly limit: number;
  readonly above: bigint;
}

/** The codec text of a sync-response for `ask` from blocks of `epoch`, and how many it holds; undefined when the store has none. */
export function syncAnswerFromStore(store: Store, ask: SyncAsk, epoch: bigint, maxBytes = MAX_SYNC_ANSWER_BYTES): { text: string; count: number } | undefined {
  const head = '{"kind":"sync-response","proposals":[';
  const parts: string[] = [];
  let bytes = head.length + 2;
  let hash = ask.blockHash;
  while (parts.length < Math.min(ask.limit, MAX_SYNC_PROPOSALS)) {
    const stored = store.getBlock(hash);
    if (stored === undefined || stored.epoch !== epoch || stored.number <= ask.above) break;
    const message = JSON.parse(stored.data) as { proposal?: { block?: { header?: { parentHash?: unknown } } } };
    const parent = message.proposal?.block?.header?.parentHash;
    if (typeof parent !== "string") throw new Error(`stored block ${hash} is not a proposal`);
    const body = JSON.stringify(message.proposal);
    // The first proposal always goes: one block is bounded by the codec's payload limit.
    if (parts.length > 0 && bytes + body.length + 1 > maxBytes) break;
    parts.push(body);
    bytes += body.length + 1;
    hash = parent;
  }
  return parts.length === 0 ? undefined : { text: `${head}${parts.join(",")}]}`, count: parts.length };
}
