/**
 * A transfer from an account that holds nothing on L2: valid encoding, valid signature, no funds.
 * Execution refuses it in a block (INVALID_BLOCK_TRANSACTION) and at intake; the Byzantine
 * behaviours put it in a block (bad-proposal.ts) or gossip it over and over (flood.ts).
 */
import { hexToBytes, parseGwei, serializeTransaction, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { signDigest } from "../crypto/secp256k1.ts";

const UNFUNDED_KEY = keccak256("0x0bad");

export function unfundedTransfer(chainId: bigint, nonce = 0): Hex {
  const tx = {
    type: "eip1559" as const, chainId: Number(chainId), to: "0x000000000000000000000000000000000000dEaD" as Hex, value: 1n, nonce, gas: 21_000n,
    maxFeePerGas: parseGwei("100"), maxPriorityFeePerGas: parseGwei("1"),
  };
  const { r, s, yParity } = signDigest(hexToBytes(keccak256(serializeTransaction(tx))), hexToBytes(UNFUNDED_KEY));
  return serializeTransaction(tx, { r: `0x${r.toString(16).padStart(64, "0")}`, s: `0x${s.toString(16).padStart(64, "0")}`, yParity });
}
