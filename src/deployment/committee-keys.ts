/**
 * The committee keys file: who the genesis committee is, in the form the Committee contract
 * takes it (EIP-2537 keys and proofs of possession). A proof of possession is bound to the
 * Committee contract's address and to the member's operator (src/protocol/digests.ts popDigest),
 * so the file names the address it was made for (the deployer predicts it from its own address
 * and nonce) and each member's operator (by default its fee recipient).
 *
 * Devnet files also carry each member's secret key (from a public seed): anyone can read them,
 * so they are for local chains only.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { getContractAddress, type Address, type Hex } from "viem";
import { SecretKey } from "../crypto/index.ts";
import { popDigest } from "../protocol/digests.ts";

export interface CommitteeMemberEntry {
  readonly publicKey: Hex;
  readonly proofOfPossession: Hex;
  /** The L1 account that owns the member's bond (exit, withdrawal, endpoint); named by the proof of possession. */
  readonly operator: Address;
  readonly feeRecipient: Address;
  /** The member's p2p endpoint (ws:// URL), recorded on L1; absent: the operator sets it later. */
  readonly endpoint?: string;
  /** Devnet only. */
  readonly secretKey?: Hex;
}

export interface CommitteeKeysFile {
  readonly l2ChainId: string;
  /** The Committee address the proofs of possession are made for. */
  readonly committee: Address;
  readonly members: readonly CommitteeMemberEntry[];
}

/** Where CREATE puts the next contract of `deployer`. */
export function predictContractAddress(deployer: Address, nonce: number | bigint): Address {
  return getContractAddress({ from: deployer, nonce: BigInt(nonce) });
}

/**
 * Entries for the given secret keys, with proofs of possession for `committee`. Member i's
 * operator is its fee recipient (`feeRecipients[i % length]`); `endpoints[i]`, when given, is
 * its p2p endpoint.
 */
export function committeeEntries(
  keys: readonly SecretKey[],
  l2ChainId: bigint,
  committee: Address,
  feeRecipients: readonly Address[],
  includeSecrets = false,
  endpoints: readonly string[] = [],
): CommitteeMemberEntry[] {
  return keys.map((key, i) => {
    const publicKey = key.publicKey.toEip2537();
    const feeRecipient = feeRecipients[i % feeRecipients.length];
    if (feeRecipient === undefined) throw new RangeError("at least one fee recipient is needed");
    const endpoint = endpoints[i];
    return {
      publicKey,
      proofOfPossession: key.signPossession(popDigest(l2ChainId, committee, feeRecipient, publicKey)).toEip2537(),
      operator: feeRecipient,
      feeRecipient,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(includeSecrets ? { secretKey: key.toHex() } : {}),
    };
  });
}

/** Deterministic devnet keys: member i's key is SecretKey.fromSeed(`${seed}-${i}`). */
export function devnetKeysFile(options: {
  size: number;
  seed: string;
  l2ChainId: bigint;
  committee: Address;
  feeRecipients: readonly Address[];
  /** Member i's p2p endpoint (optional). */
  endpoints?: readonly string[];
}): CommitteeKeysFile {
  const keys = Array.from({ length: options.size }, (_, i) => SecretKey.fromSeed(`${options.seed}-${i}`));
  return {
    l2ChainId: options.l2ChainId.toString(),
    committee: options.committee,
    members: committeeEntries(keys, options.l2ChainId, options.committee, options.feeRecipients, true, options.endpoints),
  };
}

export function readKeysFile(path: string): CommitteeKeysFile {
  const file = JSON.parse(readFileSync(path, "utf8")) as CommitteeKeysFile;
  if (!Array.isArray(file.members) || file.members.length === 0) throw new Error(`${path}: no members`);
  for (const [i, m] of file.members.entries()) {
    // Files from before proofs of possession named the operator: their proofs no longer verify.
    if (typeof m.operator !== "string") throw new Error(`${path}: member ${i} has no operator (a keys file older than operator-bound proofs of possession): regenerate it`);
  }
  return file;
}

export function writeKeysFile(path: string, file: CommitteeKeysFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
