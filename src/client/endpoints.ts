/**
 * Where the user-side client talks to, and the checks that make a wrong endpoint a clear error
 * instead of a viem stack: the defaults are the `npm start` devnet's (member 0's L2 JSON-RPC,
 * the hardhat node, and the deployments file in the data dir).
 */
import { existsSync, readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, defineChain, http, type Account, type Address, type Chain, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "../deployment/contracts.ts";
import { ClientError, rootCause, shortMessage } from "./errors.ts";

export const DEFAULT_L2_RPC_URL = "http://127.0.0.1:8645";
export const DEFAULT_L1_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_DEPLOYMENTS = ".devnet/deployments.json";

/** How often the client polls (receipts, balances, finality), in ms. */
export const POLL_MS = 250;

export interface Endpoint {
  readonly url: string;
  readonly chain: Chain;
  readonly client: PublicClient;
}

/** Connects to a JSON-RPC endpoint and reads its chain id; UNREACHABLE (naming `what` and the URL) when it does not answer. */
export async function connect(url: string, what: "L2" | "L1"): Promise<Endpoint> {
  let id: number;
  try {
    const probe = createPublicClient({ transport: http(url, { retryCount: 0, timeout: 5_000 }) });
    id = await probe.getChainId();
  } catch (cause) {
    const hint = what === "L2" ? "--rpc-url" : "--l1-rpc-url";
    throw new ClientError("UNREACHABLE", `cannot reach the ${what} JSON-RPC at ${url} (${rootCause(cause)}): is the devnet running (npm start)? Otherwise pass ${hint}`, { cause });
  }
  const chain = defineChain({ id, name: `${what} ${id}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  return { url, chain, client: createPublicClient({ chain, transport: http(url, { retryCount: 1, timeout: 30_000 }), pollingInterval: POLL_MS }) as PublicClient };
}

/** A wallet client on `endpoint` signing locally with `key` (nothing on the node is unlocked). */
export function walletOn(endpoint: Endpoint, key: Hex | Account) {
  const account = typeof key === "string" ? privateKeyToAccount(key) : key;
  return createWalletClient({ account, chain: endpoint.chain, transport: http(endpoint.url, { retryCount: 1, timeout: 30_000 }), pollingInterval: POLL_MS });
}

export interface DeployedContracts {
  readonly rollup: Address;
  readonly bridge: Address;
  readonly l2ChainId: bigint;
}

/**
 * The contracts of the deployments file, checked against the endpoints they are used with: the L2
 * must have the deployment's chain id, and the contracts must have code on the L1 (a hardhat node
 * keeps its chain in memory, so a file from an earlier devnet names addresses without code).
 */
export async function loadDeployment(file: string, on: { l1?: Endpoint; l2?: Endpoint } = {}): Promise<DeployedContracts> {
  const { l1, l2 } = on;
  if (!existsSync(file)) throw new ClientError("BAD_DEPLOYMENT", `no deployments file at ${file}: start the devnet (npm start writes .devnet/deployments.json) or pass --deployments`);
  let contracts: DeployedContracts;
  try {
    // Read here rather than with src/deployment's readDeployment, whose module pulls in execution
    // and the deployment code: a script's start-up time is the user's wait.
    const d = JSON.parse(readFileSync(file, "utf8")) as Partial<Deployment>;
    if (d.contracts?.rollup === undefined || d.contracts.bridge === undefined || d.l2ChainId === undefined) throw new Error("not a deployments file (no contracts.rollup, contracts.bridge or l2ChainId)");
    contracts = { rollup: d.contracts.rollup, bridge: d.contracts.bridge, l2ChainId: BigInt(d.l2ChainId) };
  } catch (cause) {
    throw new ClientError("BAD_DEPLOYMENT", `cannot read the deployments file ${file}: ${shortMessage(cause)}`, { cause });
  }
  if (l2 !== undefined && BigInt(l2.chain.id) !== contracts.l2ChainId) {
    throw new ClientError("BAD_DEPLOYMENT", `${file} is for L2 chain ${contracts.l2ChainId}, but ${l2.url} is chain ${l2.chain.id}: is --rpc-url the L2 (and --l1-rpc-url the L1)?`);
  }
  if (l1 !== undefined) {
    for (const [name, address] of [["Rollup", contracts.rollup], ["Bridge", contracts.bridge]] as const) {
      const code = await l1.client.getCode({ address });
      if (code === undefined || code === "0x") {
        throw new ClientError("BAD_DEPLOYMENT", `${file} names ${name} ${address}, which has no code on the L1 at ${l1.url}: the file belongs to another L1 (an earlier devnet?)`);
      }
    }
  }
  return contracts;
}
