/**
 * The devnet's well-known accounts, all from Hardhat's public development mnemonic:
 *  - L1: m/44'/60'/0'/0/i, the 20 accounts every `hardhat node` funds (account 0 deploys,
 *    1..n are the members' fee recipients, as scripts/keys.ts assumes);
 *  - L2: m/44'/60'/1'/0/i, another BIP-44 account of the same mnemonic, so the L2 dev accounts
 *    are deterministic but never collide with L1's. They hold nothing until the devnet
 *    deposits to them through the Bridge;
 *  - benchmark senders: m/44'/60'/2'/0/i (src/devnet/senders.ts), funded by transfers from the
 *    above before a benchmark's clock starts.
 * Their private keys are public knowledge: devnet only.
 */
import { pbkdf2Sync } from "node:crypto";
import { formatEther, toHex, type Address, type Hex } from "viem";
import { HDKey, hdKeyToAccount } from "viem/accounts";

/** Hardhat's default development mnemonic. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
/** How many accounts `hardhat node` funds (10,000 ETH each). */
export const HARDHAT_ACCOUNT_COUNT = 20;

export interface DevAccount {
  readonly address: Address;
  readonly privateKey: Hex;
  /** BIP-32 derivation path from DEV_MNEMONIC. */
  readonly path: string;
}

let master: HDKey | undefined;

/**
 * BIP-39 seed by node's native PBKDF2: viem's mnemonicToAccount recomputes it in JavaScript
 * for every account (2048 rounds of HMAC-SHA512, tens of ms each).
 */
function masterKey(): HDKey {
  master ??= HDKey.fromMasterSeed(pbkdf2Sync(DEV_MNEMONIC.normalize("NFKD"), "mnemonic", 2048, 64, "sha512"));
  return master;
}

/** Accounts 0..count-1 of BIP-44 account `accountIndex` (m/44'/60'/accountIndex'/0/i) of the dev mnemonic. */
export function devAccounts(accountIndex: number, count: number): DevAccount[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`account count must be a non-negative integer, got ${count}`);
  return Array.from({ length: count }, (_, addressIndex) => {
    const account = hdKeyToAccount(masterKey(), { accountIndex, addressIndex });
    const privateKey = account.getHdKey().privateKey;
    if (privateKey === null) throw new Error("derived key has no private part");
    return { address: account.address, privateKey: toHex(privateKey), path: `m/44'/60'/${accountIndex}'/0/${addressIndex}` };
  });
}

/** The accounts `hardhat node` funds, in its order. */
export function l1DevAccounts(count = HARDHAT_ACCOUNT_COUNT): DevAccount[] {
  return devAccounts(0, count);
}

/** The devnet's L2 dev accounts: deterministic, distinct from every L1 dev account. */
export function l2DevAccounts(count: number): DevAccount[] {
  return devAccounts(1, count);
}

/** What the devnet prints: one block per account with its balance, address and private key. */
export function formatDevAccounts(title: string, accounts: readonly DevAccount[], balance?: (a: DevAccount) => bigint): string {
  const lines = [`${title} (public keys from the Hardhat test mnemonic: devnet only)`];
  accounts.forEach((account, i) => {
    const funds = balance === undefined ? "" : ` (${formatEther(balance(account))} ETH)`;
    lines.push(`  #${i} ${account.address}${funds}`, `     private key ${account.privateKey}`);
  });
  return lines.join("\n");
}
