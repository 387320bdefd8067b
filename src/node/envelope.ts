/**
 * What travels on a link between members, after the handshake: a one-word tag, then its fields.
 *
 *   c <epoch> <codec JSON>   a consensus message signed (or to be checked) in committee epoch <epoch>
 *   e <epoch>                "I am in epoch <epoch>: send me the proof that ended it" (epochs.ts)
 *   tx <raw>                 a raw signed transaction gossiped from the member that accepted it
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
  | { readonly type: "tx"; readonly raw: Hex };

/** Largest gossiped transaction text: execution refuses larger transactions anyway. */
const MAX_TX_HEX = 2 + 2 * MAX_TRANSACTION_BYTES;
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

/** The envelope, or a reason it is malformed (never throws: the input is a peer's). */
export function decodeEnvelope(data: string): Envelope | { readonly type: "malformed"; readonly reason: string } {
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
    if (raw.length > MAX_TX_HEX || !/^0x([0-9a-fA-F]{2})+$/.test(raw)) return { type: "malformed", reason: "tx envelope is not bounded 0x hex" };
    return { type: "tx", raw: raw as Hex };
  }
  return { type: "malformed", reason: "unknown envelope tag" };
}
