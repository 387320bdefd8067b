/**
 * The committee keys file: who the genesis committee is, in the form the Committee contract
 * takes it (EIP-2537 keys and proofs of possession). A proof of possession is bound to the
 * Committee contract's address (src/protocol/digests.ts popDigest), so the file names the
 * address it was made for; the deployer predicts it from its own address and nonce.
 *
 * Devnet files also carry each member's secret key (from a public seed): anyone can read them,
 * so they are for local chains only.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { getContractAddress, type Address, type Hex } from "viem";
import { SecretKey } from "../../src/crypto/index.ts";
import { popDigest } from "../../src/protocol/digests.ts";

export interface CommitteeMemberEntry {
  readonly publicKey: Hex;
  readonly proofOfPossession: Hex;
  readonly feeRecipient: Address;
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

/** Entries for the given secret keys, with proofs of possession for `committee`. */
export function committeeEntries(
  keys: readonly SecretKey[],
  l2ChainId: bigint,
  committee: Address,
  feeRecipients: readonly Address[],
  includeSecrets = false,
): CommitteeMemberEntry[] {
  return keys.map((key, i) => {
    const publicKey = key.publicKey.toEip2537();
    const feeRecipient = feeRecipients[i % feeRecipients.length];
    if (feeRecipient === undefined) throw new RangeError("at least one fee recipient is needed");
    return {
      publicKey,
      proofOfPossession: key.signPossession(popDigest(l2ChainId, committee, publicKey)).toEip2537(),
      feeRecipient,
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
}): CommitteeKeysFile {
  const keys = Array.from({ length: options.size }, (_, i) => SecretKey.fromSeed(`${options.seed}-${i}`));
  return {
    l2ChainId: options.l2ChainId.toString(),
    committee: options.committee,
    members: committeeEntries(keys, options.l2ChainId, options.committee, options.feeRecipients, true),
  };
}

export function readKeysFile(path: string): CommitteeKeysFile {
  const file = JSON.parse(readFileSync(path, "utf8")) as CommitteeKeysFile;
  if (!Array.isArray(file.members) || file.members.length === 0) throw new Error(`${path}: no members`);
  return file;
}

export function writeKeysFile(path: string, file: CommitteeKeysFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
