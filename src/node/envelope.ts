/**
 * What travels on a link between members, after the handshake: a one-word tag, then its fields.
 *
 *   c <epoch> <codec JSON>   a consensus message signed (or to be checked) in committee epoch <epoch>
 *   e <epoch>                "I am in epoch <epoch>: send me the proof that ended it" (epochs.ts)
 *   tx <raw>                 a raw signed transaction gossiped from the member that accepted it
 *   txs <raw> <raw> ...      several of those in one frame (gossip-batch.ts): what members send now;
 *                            `tx` is still read (one transaction is a batch of one)
 *
 * The epoch tag routes a message before any JSON is parsed: the same view numbers recur across
 * epochs, signatures verify only under their own epoch's keys, and a member that is an epoch
 * behind (or ahead) must be recognised as such instead of having its messages fail as forgeries.
 * A tag keeps the consensus codec untouched (no re-encoding of a nested object).
 */
import type { Hex } from "viem";
import { MAX_TRANSACTION_BYTES } from "../execution/config.ts";

export type Envelope =
  | { readonly type: "consensus"; readonly epoch: bigint; readonly body: string }
  | { readonly type: "epoch-request"; readonly epoch: bigint }
  | { readonly type: "tx"; readonly raw: Hex }
  | { readonly type: "txs"; readonly raws: readonly Hex[] };

/** Bytes a peer sent that are no envelope; `oversize` when only a bound was exceeded. */
export interface Malformed {
  readonly type: "malformed";
  readonly reason: string;
  readonly oversize?: true;
}

/** Largest gossiped transaction text: execution refuses larger transactions anyway. */
const MAX_TX_HEX = 2 + 2 * MAX_TRANSACTION_BYTES;
/**
 * Most transactions in one gossiped batch, and most characters of its frame: a batch is charged
 * to its peer by its size (gossip.ts), and these bound what one frame can make a member decode
 * at once, far below the transport's frame limit (8 MiB) so a full batch never closes a link.
 */
export const MAX_GOSSIP_BATCH_TXS = 1_024;
export const MAX_GOSSIP_BATCH_CHARS = 1024 * 1024;
const TX_HEX = /^0x([0-9a-fA-F]{2})+$/;
/** Epoch numbers are uint64 on L1: at most 20 decimal digits. */
const EPOCH = /^(0|[1-9][0-9]{0,19})$/;

export function encodeConsensusEnvelope(epoch: bigint, codecText: string): string {
  return `c ${epoch} ${codecText}`;
}

export function encodeEpochRequest(epoch: bigint): string {
  return `e ${epoch}`;
}

export function encodeTxEnvelope(raw: Hex): string {
  return `tx ${raw}`;
}

/** A batch of gossiped transactions; the caller keeps it within the MAX_GOSSIP_BATCH_* bounds. */
export function encodeTxBatchEnvelope(raws: readonly Hex[]): string {
  return `txs ${raws.join(" ")}`;
}

/** The envelope, or a reason it is malformed (never throws: the input is a peer's). */
export function decodeEnvelope(data: string): Envelope | Malformed {
  if (data.startsWith("c ")) {
    const space = data.indexOf(" ", 2);
    const epoch = space < 0 ? "" : data.slice(2, space);
    if (!EPOCH.test(epoch)) return { type: "malformed", reason: "consensus envelope without a decimal epoch" };
    return { type: "consensus", epoch: BigInt(epoch), body: data.slice(space + 1) };
  }
  if (data.startsWith("e ")) {
    const epoch = data.slice(2);
    if (!EPOCH.test(epoch)) return { type: "malformed", reason: "epoch request without a decimal epoch" };
    return { type: "epoch-request", epoch: BigInt(epoch) };
  }
  if (data.startsWith("tx ")) {
    const raw = data.slice(3);
    if (raw.length > MAX_TX_HEX || !TX_HEX.test(raw)) return { type: "malformed", reason: "tx envelope is not bounded 0x hex" };
    return { type: "tx", raw: raw as Hex };
  }
  if (data.startsWith("txs ")) return decodeTxBatch(data);
  return { type: "malformed", reason: "unknown envelope tag" };
}

/**
 * A batch's transactions. Its size is checked before it is split (a frame over the bound is not
 * even scanned); one malformed entry makes the whole frame malformed, since an honest member
 * only sends transactions it decoded itself: it is the peer's bytes that are wrong, not a
 * transaction, and refusing them alone is up to admission once they parse.
 */
function decodeTxBatch(data: string): Envelope | Malformed {
  if (data.length > 4 + MAX_GOSSIP_BATCH_CHARS) {
    return { type: "malformed", reason: `tx batch of ${data.length} characters, at most ${MAX_GOSSIP_BATCH_CHARS}`, oversize: true };
  }
  const raws = data.slice(4).split(" ");
  if (raws.length > MAX_GOSSIP_BATCH_TXS) return { type: "malformed", reason: `tx batch of ${raws.length} transactions, at most ${MAX_GOSSIP_BATCH_TXS}`, oversize: true };
  for (const [i, raw] of raws.entries()) {
    if (raw.length > MAX_TX_HEX || !TX_HEX.test(raw)) return { type: "malformed", reason: `tx batch entry ${i} is not bounded 0x hex` };
  }
  return { type: "txs", raws: raws as Hex[] };
}
