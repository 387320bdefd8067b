/**
 * A minimal RLP encoder over bytes, for the hot paths (trie nodes, account values, receipts):
 * viem's toRlp works on hex strings and would convert every node twice. Decoding, which only
 * proofs and block data need, uses viem's fromRlp.
 *
 * Items are passed already encoded so that a trie node can splice a child's encoding in as-is
 * (an embedded node is a nested list, not a string).
 */
export function encodeRlpBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 1 && bytes[0]! < 0x80) return bytes;
  return withPrefix(0x80, bytes.length, [bytes]);
}

/** Encodes already-encoded items as an RLP list. */
export function encodeRlpList(items: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const item of items) length += item.length;
  return withPrefix(0xc0, length, items);
}

/** A non-negative integer as RLP: big-endian with no leading zeros, 0 as the empty string. */
export function encodeRlpInteger(value: bigint): Uint8Array {
  return encodeRlpBytes(integerToBytes(value));
}

export function integerToBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError(`RLP integers are non-negative, got ${value}`);
  if (value === 0n) return new Uint8Array(0);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

function withPrefix(offset: number, length: number, parts: readonly Uint8Array[]): Uint8Array {
  let header: Uint8Array;
  if (length < 56) {
    header = Uint8Array.of(offset + length);
  } else {
    const lengthBytes = integerToBytes(BigInt(length));
    header = new Uint8Array(1 + lengthBytes.length);
    header[0] = offset + 55 + lengthBytes.length;
    header.set(lengthBytes, 1);
  }
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
