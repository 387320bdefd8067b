/**
 * What travels on a link between members, after the handshake: a one-word tag, a space, then the
 * body. `c` carries a consensus message in the consensus codec's JSON; `tx` carries a raw signed
 * transaction gossiped from the member that accepted it. A tag keeps the consensus codec
 * untouched (no re-encoding of a nested object) and lets a member drop unknown traffic before
 * parsing any JSON.
 */
import type { Hex } from "viem";

export type Envelope = { readonly type: "consensus"; readonly body: string } | { readonly type: "tx"; readonly raw: Hex };

/** Largest gossiped transaction text (execution refuses transactions over 512 bytes anyway). */
const MAX_TX_HEX = 2 + 2 * 4096;

export function encodeConsensusEnvelope(codecText: string): string {
  return `c ${codecText}`;
}

export function encodeTxEnvelope(raw: Hex): string {
  return `tx ${raw}`;
}

/** The envelope, or a reason it is malformed (never throws: the input is a peer's). */
export function decodeEnvelope(data: string): Envelope | { readonly type: "malformed"; readonly reason: string } {
  if (data.startsWith("c ")) return { type: "consensus", body: data.slice(2) };
  if (data.startsWith("tx ")) {
    const raw = data.slice(3);
    if (raw.length > MAX_TX_HEX || !/^0x([0-9a-fA-F]{2})+$/.test(raw)) return { type: "malformed", reason: "tx envelope is not bounded 0x hex" };
    return { type: "tx", raw: raw as Hex };
  }
  return { type: "malformed", reason: "unknown envelope tag" };
}
