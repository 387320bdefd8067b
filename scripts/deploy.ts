/**
 * Deploys the L1 contracts and registers the genesis committee:
 *
 *   npx hardhat node                                             (another terminal)
 *   node --experimental-strip-types scripts/keys.ts               (once: devnet keys)
 *   npx hardhat run scripts/deploy.ts --network localhost
 *
 * Environment: KEYS_FILE (default .devnet/committee-keys.json), MINIMUM_BOND_WEI (1e18),
 * INCLUSION_DEADLINE (L1 blocks, default 32), GENESIS_FILE (optional JSON of the genesis inputs:
 * `{"timestamp": "0", "initialBaseFee": "1000000000", "balances": {"0x..": "wei"}}`; the header
 * itself is made by execution's createGenesis, as the node makes it), DEPLOYMENTS_DIR (default deployments),
 * UNBONDING_DELAY_SECONDS (default 604800, DEFAULT_UNBONDING_DELAY), GOVERNANCE (optional: proposed
 * as the Committee's governance after the seal; the deployer governs until it accepts).
 * Writes <DEPLOYMENTS_DIR>/<network>.json (shape: `Deployment` in src/deployment/contracts.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import type { Address } from "viem";
import { readKeysFile } from "../src/deployment/committee-keys.ts";
import { deployContracts, type GenesisOptions } from "../src/deployment/contracts.ts";

function readGenesisFile(path: string): GenesisOptions {
  const file = JSON.parse(readFileSync(path, "utf8")) as { timestamp?: string; initialBaseFee?: string; balances?: Record<string, string> };
  return {
    ...(file.timestamp === undefined ? {} : { timestamp: BigInt(file.timestamp) }),
    ...(file.initialBaseFee === undefined ? {} : { initialBaseFee: BigInt(file.initialBaseFee) }),
    balances: Object.entries(file.balances ?? {}).map(([address, wei]) => [address as Address, BigInt(wei)] as const),
  };
}

const { viem, networkName } = await network.create();
const keysFile = process.env.KEYS_FILE ?? ".devnet/committee-keys.json";
const genesis = process.env.GENESIS_FILE === undefined ? {} : readGenesisFile(process.env.GENESIS_FILE);
const { deployment } = await deployContracts(viem, {
  keys: readKeysFile(keysFile),
  minimumBond: BigInt(process.env.MINIMUM_BOND_WEI ?? 10n ** 18n),
  inclusionDeadline: BigInt(process.env.INCLUSION_DEADLINE ?? 32),
  genesis,
  ...(process.env.UNBONDING_DELAY_SECONDS === undefined ? {} : { unbondingDelay: BigInt(process.env.UNBONDING_DELAY_SECONDS) }),
  ...(process.env.GOVERNANCE === undefined ? {} : { governance: process.env.GOVERNANCE as Address }),
});
const dir = process.env.DEPLOYMENTS_DIR ?? "deployments";
mkdirSync(dir, { recursive: true });
const out = join(dir, `${networkName}.json`);
writeFileSync(out, `${JSON.stringify(deployment, null, 2)}\n`);
console.log(`deployed: Committee ${deployment.contracts.committee}, Rollup ${deployment.contracts.rollup}, Bridge/Inbox ${deployment.contracts.bridge}`);
console.log(`genesis ${deployment.genesis.hash}, epoch ${deployment.epoch}, ${deployment.members.length} members; wrote ${out}`);
