/**
 * Deploys the L1 side of a hotstuff-rollup chain: Committee, Rollup (which creates the Bridge,
 * also the Inbox), the genesis committee from a keys file, and seals the committee to the Rollup.
 * The deployer is the Committee's first governance (it alone may seat the genesis members and
 * seal); `governance` hands the role on afterwards, in the contract's two steps (propose here,
 * the new governance accepts).
 * One function does it with plain viem clients (`deployContractsWithViem`): `scripts/deploy.ts`
 * and the contract tests reach it through Hardhat's network connection (`deployContracts`), the
 * devnet (src/devnet/deploy.ts) with clients for a URL, so the path operators use is the path tested.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  getAddress,
  zeroHash,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { createGenesis } from "../execution/genesis.ts";
import { hashHeader, type Header } from "../protocol/header.ts";
import { toSolidityHeader } from "../protocol/solidity.ts";
import { predictContractAddress, type CommitteeKeysFile } from "./committee-keys.ts";

/**
 * What the L2 starts from, besides the L1 block (the deploy block is the genesis l1Origin). The
 * header is built by execution's createGenesis, the same function a node calls, so the Rollup's
 * genesis hash is the hash of the block consensus and execution start from.
 */
export interface GenesisOptions {
  /** Unix seconds (default 0). */
  readonly timestamp?: bigint;
  /** The genesis base fee, wei per gas (default 1 gwei): the node's ExecutionConfig.initialBaseFee. */
  readonly initialBaseFee?: bigint;
  /** Pre-funded L2 accounts (default none: the devnet funds accounts through real deposits). */
  readonly balances?: readonly (readonly [Address, bigint])[];
}

export const DEFAULT_INITIAL_BASE_FEE = 1_000_000_000n;

export interface DeployOptions {
  readonly keys: CommitteeKeysFile;
  readonly minimumBond: bigint;
  /** L1 blocks within which the L2 must consume an Inbox entry. */
  readonly inclusionDeadline: bigint;
  readonly genesis?: GenesisOptions;
  /** Genesis members registered per transaction (each costs ~0.3M gas: PoP check and key storage). */
  readonly chunkSize?: number;
  /**
   * Seconds between a member leaving the committee and its bond unlocking (default
   * DEFAULT_UNBONDING_DELAY): the time evidence about its last epoch has to land on L1.
   */
  readonly unbondingDelay?: bigint;
  /** Proposed as governance once the genesis is sealed (it must call `acceptGovernance`); default: the deployer stays. */
  readonly governance?: Address;
}

/**
 * Seven days: evidence about a leaving member's last epoch is posted by every honest member
 * within seconds, so the delay is there for the bad cases: an L1 that censors or drops the
 * evidence transactions, members that are down, a reporter that must notice by hand. A week is
 * the window optimistic rollups give fraud proofs for the same reason. The devnet uses a minute.
 */
export const DEFAULT_UNBONDING_DELAY = 7n * 24n * 3600n;

/** The deployments JSON that nodes and scripts read (bigints as decimal strings). */
export interface Deployment {
  readonly chainId: number;
  readonly l2ChainId: string;
  readonly contracts: { readonly committee: Address; readonly rollup: Address; readonly bridge: Address; readonly inbox: Address };
  readonly deployBlock: string;
  readonly epoch: string;
  readonly inclusionDeadline: string;
  readonly minimumBond: string;
  /** Seconds from a member's leaving to its bond unlocking (Committee.unbondingDelay). */
  readonly unbondingDelay?: string;
  /** The Committee's governance at deployment (the deployer); a proposed successor takes over when it accepts. */
  readonly governance?: Address;
  /**
   * The genesis block: its hash and header, and the inputs that rebuild it (`genesisFromDeployment`):
   * initialBaseFee and the pre-funded balances (address -> wei, decimal strings).
   */
  readonly genesis: {
    readonly hash: Hex;
    readonly header: Record<keyof Header, string>;
    readonly initialBaseFee: string;
    readonly balances: Readonly<Record<Address, string>>;
  };
  readonly members: readonly {
    readonly memberId: number;
    readonly publicKey: Hex;
    readonly feeRecipient: Address;
    readonly operator?: Address;
    readonly endpoint?: string;
  }[];
}

/** Reads a deployments JSON (e.g. deployments/localhost.json), as nodes and scripts do. */
export function readDeployment(path: string): Deployment {
  const deployment = JSON.parse(readFileSync(path, "utf8")) as Deployment;
  if (deployment.contracts?.rollup === undefined) throw new Error(`${path} is not a deployments file (no contracts.rollup)`);
  return deployment;
}

/**
 * The identity a node's Store is opened with (`Store.open(path, identity)`), exactly as the
 * deployments file spells it: the store compares these strings, so every process that opens a
 * member's store (the node, scripts/settle.ts) must take them from here.
 */
export function storeIdentityOf(deployment: Deployment): { chainId: string; rollup: string; genesisHash: string } {
  // Decimal chain id and lowercase address: the spelling the node (src/node/member.ts) opens its store with.
  return { chainId: BigInt(deployment.l2ChainId).toString(), rollup: deployment.contracts.rollup.toLowerCase(), genesisHash: deployment.genesis.hash };
}

/** Rollup.MIN_INCLUSION_DEADLINE and MAX_INCLUSION_DEADLINE (contracts/Rollup.sol). */
export const MIN_INCLUSION_DEADLINE = 2n;
export const MAX_INCLUSION_DEADLINE = 216_000n;

/**
 * The genesis header of a deployment whose first L1 block is `l1Origin`, with L1's hash of that
 * block (execution's createGenesis). The Rollup does not check genesis's origin hash (genesis is
 * final by construction, like its balances), but members check their children's against L1.
 */
export function genesisHeader(l1Origin: bigint, options: GenesisOptions = {}, l1OriginHash: Hex = zeroHash): Header {
  return createGenesis({
    config: { initialBaseFee: options.initialBaseFee ?? DEFAULT_INITIAL_BASE_FEE },
    timestamp: options.timestamp ?? 0n,
    l1Origin,
    l1OriginHash,
    balances: options.balances ?? [],
  }).header;
}

/**
 * The genesis block and state a node starts from, rebuilt from the deployments file with the same
 * function the deployment used; throws if the result does not hash to the deployed genesis (the
 * file was edited, or the code that makes genesis changed since the deployment).
 */
export function genesisFromDeployment(deployment: Deployment) {
  const genesis = createGenesis({
    config: { initialBaseFee: BigInt(deployment.genesis.initialBaseFee) },
    timestamp: BigInt(deployment.genesis.header.timestamp),
    l1Origin: BigInt(deployment.deployBlock),
    l1OriginHash: (deployment.genesis.header.l1OriginHash ?? zeroHash) as Hex,
    balances: Object.entries(deployment.genesis.balances).map(([address, wei]) => [address as Address, BigInt(wei)] as const),
  });
  const hash = hashHeader(BigInt(deployment.l2ChainId), deployment.contracts.rollup, genesis.header);
  if (hash !== deployment.genesis.hash) {
    throw new Error(`the genesis rebuilt from the deployments file hashes to ${hash}, but the Rollup was deployed with ${deployment.genesis.hash}`);
  }
  return { ...genesis, hash };
}

/** Where `hardhat build` puts a contract's artifact (abi and creation bytecode). */
export function artifactPath(contractName: string): string {
  return fileURLToPath(new URL(`../../artifacts/contracts/${contractName}.sol/${contractName}.json`, import.meta.url));
}

/** The compiled contract, read from the artifacts directory `hardhat build` writes. */
export function readArtifact(contractName: string): { abi: Abi; bytecode: Hex } {
  const path = artifactPath(contractName);
  if (!existsSync(path)) throw new Error(`no artifact for ${contractName} at ${path}: run \`npx hardhat build\` first`);
  const { abi, bytecode } = JSON.parse(readFileSync(path, "utf8")) as { abi: Abi; bytecode: Hex };
  return { abi, bytecode };
}

/**
 * What a deployment needs: plain viem clients for any L1 reached by URL (the devnet, an operator's
 * node), or the ones Hardhat's network connection hands out.
 */
export interface DeployClients {
  readonly publicClient: PublicClient;
  readonly walletClient: WalletClient<Transport, Chain, Account>;
}

/** Deploys with Hardhat's viem helpers (scripts/deploy.ts, contract tests) and returns typed contract instances. */
export async function deployContracts(viem: HardhatViemHelpers, options: DeployOptions) {
  const [walletClient] = await viem.getWalletClients();
  if (walletClient === undefined) throw new Error("no deployer account");
  const { deployment, genesis } = await deployContractsWithViem({ publicClient: await viem.getPublicClient(), walletClient }, options);
  const committee = await viem.getContractAt("Committee", deployment.contracts.committee);
  const rollup = await viem.getContractAt("Rollup", deployment.contracts.rollup);
  const bridge = await viem.getContractAt("Bridge", deployment.contracts.bridge);
  return { deployment, genesis, committee, rollup, bridge };
}

/** Deploys with plain viem clients; the wallet client's account is the deployer. */
export async function deployContractsWithViem(clients: DeployClients, options: DeployOptions): Promise<{ deployment: Deployment; genesis: Header }> {
  const { publicClient, walletClient } = clients;
  const deployer = walletClient.account.address;
  const l2ChainId = BigInt(options.keys.l2ChainId);
  const nonce = await publicClient.getTransactionCount({ address: deployer, blockTag: "pending" });
  const predicted = predictContractAddress(deployer, nonce);
  if (predicted.toLowerCase() !== options.keys.committee.toLowerCase()) {
    throw new Error(
      `the keys file's proofs of possession are for Committee ${options.keys.committee}, but this deployment would ` +
        `create it at ${predicted} (deployer ${deployer}, nonce ${nonce}): regenerate the keys file for that address`,
    );
  }
  // Rollup's constructor refuses it too (InvalidInclusionDeadline); here before a Committee is deployed for nothing.
  if (options.inclusionDeadline < MIN_INCLUSION_DEADLINE || options.inclusionDeadline > MAX_INCLUSION_DEADLINE) {
    throw new RangeError(`inclusionDeadline ${options.inclusionDeadline} is outside ${MIN_INCLUSION_DEADLINE}..${MAX_INCLUSION_DEADLINE} L1 blocks (Rollup.sol: an Inbox entry posted in L1 block b must be settled by b + inclusionDeadline)`);
  }
  const deploy = async (name: string, args: readonly unknown[]): Promise<Address> => {
    const { abi, bytecode } = readArtifact(name);
    const hash = await walletClient.deployContract({ abi, bytecode, args });
    const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
    if (contractAddress === null || contractAddress === undefined) throw new Error(`${name} deployment ${hash} created no contract`);
    return getAddress(contractAddress);
  };
  const write = async (address: Address, abi: Abi, functionName: string, args: readonly unknown[], value?: bigint) => {
    const hash = await walletClient.writeContract({ address, abi, functionName, args, ...(value === undefined ? {} : { value }) });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} (${hash}) reverted`);
  };
  const committeeAbi = readArtifact("Committee").abi;
  const rollupAbi = readArtifact("Rollup").abi;
  const unbondingDelay = options.unbondingDelay ?? DEFAULT_UNBONDING_DELAY;
  const committee = await deploy("Committee", [l2ChainId, options.minimumBond, unbondingDelay, deployer]);
  const deployBlock = await publicClient.getBlockNumber();
  const { hash: deployBlockHash } = await publicClient.getBlock({ blockNumber: deployBlock });
  const genesis = genesisHeader(deployBlock, options.genesis, deployBlockHash);
  const rollup = await deploy("Rollup", [committee, l2ChainId, toSolidityHeader(genesis), options.inclusionDeadline]);
  const members = options.keys.members;
  const chunkSize = options.chunkSize ?? 16;
  for (let i = 0; i < members.length; i += chunkSize) {
    const chunk = members.slice(i, i + chunkSize);
    await write(committee, committeeAbi, "addGenesisMembers", [chunk.map(genesisMember)], options.minimumBond * BigInt(chunk.length));
  }
  await write(committee, committeeAbi, "sealGenesis", [rollup]);
  if (options.governance !== undefined && getAddress(options.governance) !== getAddress(deployer)) {
    await write(committee, committeeAbi, "proposeGovernance", [options.governance]);
  }
  const read = async <T>(address: Address, abi: Abi, functionName: string): Promise<T> =>
    (await publicClient.readContract({ address, abi, functionName })) as T;
  const bridge = getAddress(await read<Address>(rollup, rollupAbi, "bridge"));
  const [, genesisHash] = await read<readonly [bigint, Hex]>(rollup, rollupAbi, "finalizedHead");
  const deployment: Deployment = {
    chainId: await publicClient.getChainId(),
    l2ChainId: l2ChainId.toString(),
    contracts: { committee, rollup, bridge, inbox: bridge },
    deployBlock: deployBlock.toString(),
    epoch: (await read<bigint>(committee, committeeAbi, "currentEpoch")).toString(),
    inclusionDeadline: options.inclusionDeadline.toString(),
    minimumBond: options.minimumBond.toString(),
    unbondingDelay: unbondingDelay.toString(),
    governance: getAddress(deployer),
    genesis: {
      hash: genesisHash,
      header: Object.fromEntries(Object.entries(genesis).map(([k, v]) => [k, String(v)])) as Record<keyof Header, string>,
      initialBaseFee: genesis.baseFee.toString(),
      balances: Object.fromEntries((options.genesis?.balances ?? []).map(([a, wei]) => [getAddress(a), wei.toString()])),
    },
    members: members.map((m, memberId) => ({
      memberId,
      publicKey: m.publicKey,
      feeRecipient: m.feeRecipient,
      operator: m.operator,
      ...(m.endpoint === undefined ? {} : { endpoint: m.endpoint }),
    })),
  };
  return { deployment, genesis };
}

/** A keys-file entry as `Committee.addGenesisMembers` takes it (its GenesisMember struct). */
export function genesisMember(m: CommitteeKeysFile["members"][number]) {
  return { publicKey: m.publicKey, proof: m.proofOfPossession, operator: m.operator, feeRecipient: m.feeRecipient, endpoint: m.endpoint ?? "" };
}
