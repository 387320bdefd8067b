/**
 * Deploys the devnet's L1 contracts with the same function as scripts/deploy.ts
 * (src/deployment/contracts.ts), over plain viem clients for the devnet's L1 URL, and
 * writes the deployments JSON the members and scripts read (`readDeployment`).
 *
 * The committee is either an existing keys file (made by scripts/keys.ts for this deployer's
 * next Committee address) or `members` fresh deterministic keys, written next to the
 * deployments file so that the member processes can load their secret keys from it. The
 * deployer (L1 dev account 0) is the Committee's governance: it seats the genesis members and
 * admits or removes members later; member i's operator is its fee recipient, dev account i + 1.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import {
  devnetKeysFile,
  predictContractAddress,
  readKeysFile,
  writeKeysFile,
  type CommitteeKeysFile,
} from "../deployment/committee-keys.ts";
import { deployContractsWithViem, type Deployment, type GenesisOptions } from "../deployment/contracts.ts";
import { HARDHAT_ACCOUNT_COUNT, l1DevAccounts } from "./accounts.ts";
import { connectL1 } from "./clients.ts";
import { DevnetError } from "./errors.ts";

export interface DeployDevnetOptions {
  readonly rpcUrl: string;
  /** The deployer's private key (an L1 dev account; it also pays the members' bonds). */
  readonly deployer: Hex;
  readonly l2ChainId: bigint;
  /** Where the deployments JSON goes (directories are created). */
  readonly outFile: string;
  /** An existing committee keys file; otherwise `members` keys are generated. */
  readonly keysFile?: string;
  /** Committee size when no keysFile is given (default 4). */
  readonly members?: number;
  /** Seed of generated keys: member i is SecretKey.fromSeed(`${seed}-${i}`) (default "devnet"). */
  readonly seed?: string;
  /** Where generated keys are written (default committee-keys.json beside outFile). */
  readonly keysOutFile?: string;
  /** Bond per member, wei (default 1 ETH). */
  readonly minimumBond?: bigint;
  /** L1 blocks within which the L2 must consume an Inbox entry (default 32). */
  readonly inclusionDeadline?: bigint;
  /** Seconds from a member's leaving to its bond unlocking (default DEVNET_UNBONDING_DELAY). */
  readonly unbondingDelay?: bigint;
  /** Generated member i's p2p endpoint, recorded on L1 (ws:// URL); ignored with keysFile (the file's endpoints count). */
  readonly endpoints?: readonly string[];
  /** Genesis inputs (timestamp, initial base fee, pre-funded balances); the header is execution's createGenesis. */
  readonly genesis?: GenesisOptions;
}

export interface DevnetDeployment {
  readonly deployment: Deployment;
  readonly genesis: Header;
  readonly keys: CommitteeKeysFile;
  /** The keys file used or written. */
  readonly keysFile: string;
  readonly outFile: string;
}

/**
 * A minute: the devnet's members post evidence within a second of seeing it, and a demo of an
 * exit should not wait a week (scripts/deploy.ts defaults to DEFAULT_UNBONDING_DELAY, 7 days).
 */
export const DEVNET_UNBONDING_DELAY = 60n;

export async function deployDevnet(options: DeployDevnetOptions): Promise<DevnetDeployment> {
  const { publicClient, walletClient } = await connectL1(options.rpcUrl, options.deployer);
  let keys: CommitteeKeysFile;
  let keysFile: string;
  if (options.keysFile !== undefined) {
    keys = readKeysFile(options.keysFile);
    keysFile = options.keysFile;
    if (BigInt(keys.l2ChainId) !== options.l2ChainId) {
      throw new DevnetError(
        "KEYS_MISMATCH",
        `${options.keysFile} holds proofs of possession for L2 chain ${keys.l2ChainId}, not ${options.l2ChainId}: regenerate it with --l2-chain-id ${options.l2ChainId}`,
      );
    }
  } else {
    const size = options.members ?? 4;
    if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError(`members must be 1..256, got ${size}`);
    // Proofs of possession are bound to the Committee address, which CREATE derives from the
    // deployer and its next nonce; deployContractsWithViem checks the prediction again.
    const nonce = await publicClient.getTransactionCount({ address: walletClient.account.address, blockTag: "pending" });
    const feeRecipients = l1DevAccounts(HARDHAT_ACCOUNT_COUNT).slice(1).map((a) => a.address);
    keys = devnetKeysFile({
      size,
      seed: options.seed ?? "devnet",
      l2ChainId: options.l2ChainId,
      committee: predictContractAddress(walletClient.account.address, nonce),
      feeRecipients,
      ...(options.endpoints === undefined ? {} : { endpoints: options.endpoints }),
    });
    keysFile = options.keysOutFile ?? join(dirname(options.outFile), "committee-keys.json");
    mkdirSync(dirname(keysFile), { recursive: true });
    writeKeysFile(keysFile, keys);
  }
  const { deployment, genesis } = await deployContractsWithViem(
    { publicClient, walletClient },
    {
      keys,
      minimumBond: options.minimumBond ?? 10n ** 18n,
      inclusionDeadline: options.inclusionDeadline ?? 32n,
      unbondingDelay: options.unbondingDelay ?? DEVNET_UNBONDING_DELAY,
      ...(options.genesis === undefined ? {} : { genesis: options.genesis }),
    },
  );
  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, `${JSON.stringify(deployment, null, 2)}\n`);
  return { deployment, genesis, keys, keysFile, outFile: options.outFile };
}
