/**
 * Keccak-256 (Ethereum's hash: the original Keccak padding, not SHA3-256's) on WebAssembly.
 *
 * Every trie node, transaction hash, sender address, block hash and the EVM's KECCAK256 opcode
 * goes through here. The pure-JS keccak of @noble/hashes took ~9 µs for 32 bytes on this machine
 * and the WebAssembly one of hash-wasm ~0.8 µs (~4 µs against ~28 µs for a 532-byte trie node),
 * and keccak was the largest single cost in profiles of a keccak-heavy contract.
 *
 * Synchronous on purpose, like secp256k1.ts: block execution runs inside consensus's
 * validation callback, which must not await. The module is instantiated once at import (a
 * top-level await), and one hasher is reused: each call runs init-update-digest without yielding,
 * so calls cannot interleave on a thread.
 */
import { createKeccak } from "hash-wasm";
import { bytesToHex, hexToBytes, type Hex } from "viem";

const hasher = await createKeccak(256);

/** keccak256 of `data`, as 32 new bytes (the drop-in for @noble/hashes' keccak_256). */
export function keccak_256(data: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(data);
  return hasher.digest("binary");
}

/** keccak256 of hex or bytes, as hex (the drop-in for viem's keccak256 with its default output). */
export function keccak256(data: Hex | Uint8Array): Hex {
  return bytesToHex(keccak_256(typeof data === "string" ? hexToBytes(data) : data));
}
