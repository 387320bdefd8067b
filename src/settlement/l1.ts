/**
 * The L1 connection of a node: plain viem clients over JSON-RPC (`npx hardhat node` or any
 * Prague-enabled EVM) or over any EIP-1193 provider (tests pass Hardhat's in-process one). One
 * sender account signs locally and sends raw transactions, so the L1 node needs no unlocked keys.
 */
import {
  createPublicClient,
  createWalletClient,
  custom,
  http,
  type Account,
  type Address,
  type EIP1193Provider,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const DEFAULT_L1_RPC_URL = "http://127.0.0.1:8545";

/** Most JSON-RPC requests in one batch: within what public L1 endpoints accept. */
const L1_BATCH_SIZE = 100;

export interface L1ConnectionOptions {
  /** JSON-RPC URL of the L1 node (default http://127.0.0.1:8545); ignored when `provider` is set. */
  readonly rpcUrl?: string;
  /** An EIP-1193 provider to use instead of HTTP. */
  readonly provider?: { request(args: { method: string; params?: unknown }): Promise<unknown> };
  /** The account that pays for settlement and evidence transactions (a private key or a viem account). */
  readonly account?: Hex | Account;
  /** How often viem polls (receipts, blocks), in ms. */
  readonly pollingIntervalMs?: number;
}

export interface L1Connection {
  readonly publicClient: PublicClient;
  /** Present when an account was given (the follower needs none). */
  readonly walletClient: WalletClient | undefined;
  readonly account: Account | undefined;
}

/** The addresses of one deployment (`Deployment.contracts` in src/deployment/contracts.ts). */
export interface L1Contracts {
  readonly rollup: Address;
  readonly committee: Address;
  readonly bridge: Address;
}

export function connectL1(options: L1ConnectionOptions = {}): L1Connection {
  const transport: Transport =
    options.provider !== undefined
      ? custom(options.provider as EIP1193Provider, { retryCount: 0 })
      : // Requests made in the same turn go as one JSON-RPC batch (a follower's poll: headers, logs
        // and the Inbox count): one HTTP exchange instead of several, for the member and the L1 node.
        http(options.rpcUrl ?? DEFAULT_L1_RPC_URL, { retryCount: 0, timeout: 10_000, batch: { batchSize: L1_BATCH_SIZE } });
  const pollingInterval = options.pollingIntervalMs ?? 200;
  // No retries inside viem: the outbox retries whole items with back-off, which is the one
  // place that decides how long to wait for an L1 that is down.
  const publicClient = createPublicClient({ transport, pollingInterval });
  const account = typeof options.account === "string" ? privateKeyToAccount(options.account) : options.account;
  const walletClient = account === undefined ? undefined : createWalletClient({ transport, account, pollingInterval });
  return { publicClient, walletClient, account };
}
