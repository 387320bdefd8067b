/** Byte helpers shared by the crypto module. No curve code lives here. */
import { CryptoError } from "./errors.ts";

export type Hex = `0x${string}`;

export function bytesToHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/** Parses `0x`-prefixed (or bare) hex; `what` names the argument in the error. */
export function hexToBytes(hex: string, what = "hex"): Uint8Array {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) {
    throw new CryptoError("INVALID_ENCODING", `${what} is not valid hex`, `got ${JSON.stringify(hex.slice(0, 80))}`);
  }
  return new Uint8Array(Buffer.from(body, "hex"));
}

export function toBytes(input: Uint8Array | string, what: string): Uint8Array {
  return typeof input === "string" ? hexToBytes(input, what) : input;
}

export function expectLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) {
    throw new CryptoError("INVALID_LENGTH", `${what} must be ${length} bytes`, `got ${bytes.length}`);
  }
}

export function bigintToBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
