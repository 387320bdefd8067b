/**
 * Peer authentication. A link between members is accepted only after each side proves its
 * committee identity by signing the other side's fresh random challenge with its BLS key:
 *
 *   server -> client   { t: "challenge", nonce: S }
 *   client -> server   { t: "hello", from: i, nonce: C, sig: sign_i(digest(S, i, j)) }
 *   server -> client   { t: "welcome", from: j, sig: sign_j(digest(C, j, i)) }
 *
 * The digest names the deployment (chain id, rollup, epoch), both indices and the direction, so a
 * handshake signature cannot be replayed to another peer, deployment or connection. Consensus
 * messages still carry their own signatures; the handshake only decides who may talk at all.
 */
import { randomBytes } from "node:crypto";
import { encodeAbiParameters, stringToHex, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { Signature, verify, type PublicKey, type SecretKey } from "../crypto/index.ts";
import type { Domain } from "../protocol/domain.ts";

export const HANDSHAKE_TAG: Hex = keccak256(stringToHex("hotstuff-rollup:handshake:v1"));

export function newChallenge(): Hex {
  return `0x${randomBytes(32).toString("hex")}`;
}

export function handshakeDigest(domain: Domain, challenge: Hex, signer: number, verifier: number): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint256" }, { type: "address" }, { type: "uint256" }, { type: "bytes32" }, { type: "uint256" }, { type: "uint256" }],
      [HANDSHAKE_TAG, domain.chainId, domain.rollup, domain.epoch, challenge, BigInt(signer), BigInt(verifier)],
    ),
  );
}

export function signHandshake(key: SecretKey, domain: Domain, challenge: Hex, self: number, peer: number): Hex {
  return key.sign(handshakeDigest(domain, challenge, self, peer)).toHex();
}

/** True only for a well-formed signature by `peerKey` over our challenge; never throws. */
export function checkHandshake(peerKey: PublicKey, domain: Domain, challenge: Hex, signature: unknown, peer: number, self: number): boolean {
  if (typeof signature !== "string") return false;
  try {
    return verify(peerKey, handshakeDigest(domain, challenge, peer, self), Signature.fromBytes(signature));
  } catch {
    return false;
  }
}
