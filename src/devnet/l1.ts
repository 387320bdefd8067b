/**
 * The devnet's L1: a real `hardhat node` child process (Hardhat's EDR, automining, Prague as
 * hardhat.config.ts sets it), on loopback. Started from the project root so it uses the
 * project's config and contracts, with this Node first on PATH: Hardhat 3 needs Node 22, and
 * node_modules/.bin/hardhat finds its interpreter through PATH.
 *
 * Before handing it out we check what later steps silently depend on: it answers eth_chainId,
 * its accounts are the well-known dev accounts (the deployer and the deposits use their keys),
 * and it has the EIP-2537 precompiles (the Committee cannot verify a single signature without
 * them, and a pre-Prague node would only fail much later, at the first settlement).
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { aggregatePublicKeys, SecretKey } from "../crypto/index.ts";
import { l1DevAccounts, type DevAccount } from "./accounts.ts";
import { startChild, waitUntilReady, type Child } from "./child.ts";
import { DevnetError } from "./errors.ts";
import { checkPortFree } from "./ports.ts";
import { callRpc } from "./rpc.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** EIP-2537 G1ADD (DESIGN §3). */
const G1ADD = "0x000000000000000000000000000000000000000b";

export interface StartL1Options {
  readonly port: number;
  /** Loopback by default: the node's accounts have public keys. */
  readonly host?: string;
  /** When given, the node's output is appended to <dataDir>/l1.log. */
  readonly dataDir?: string;
  readonly startTimeoutMs?: number;
  /** Run it in its own process group (see StartChildOptions.detached). */
  readonly detached?: boolean;
}

export interface DevnetL1 {
  readonly rpcUrl: string;
  readonly chainId: number;
  /** The funded dev accounts, in the node's order (index 0 is the deployer). */
  readonly accounts: readonly DevAccount[];
  readonly pid: number;
  /** Stops the node and waits until it has exited (its port is free again). Idempotent. */
  stop(): Promise<void>;
}

export async function startL1(options: StartL1Options): Promise<DevnetL1> {
  const host = options.host ?? "127.0.0.1";
  await checkPortFree(options.port, host, "L1 hardhat node");
  let logFile: string | undefined;
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    logFile = join(options.dataDir, "l1.log");
  }
  const child = await startChild({
    name: "hardhat node",
    command: join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"),
    args: ["node", "--hostname", host, "--port", String(options.port)],
    cwd: PROJECT_ROOT,
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
    logFile,
    detached: options.detached ?? false,
  });
  const rpcUrl = `http://${host}:${options.port}`;
  try {
    await waitUntilReady(
      child,
      `the L1 hardhat node at ${rpcUrl}`,
      async () => (await callRpc<string>(rpcUrl, "eth_chainId", [], 1_000)) !== undefined,
      options.startTimeoutMs ?? 60_000,
    );
    return await describeL1(child, rpcUrl);
  } catch (error) {
    await child.stop();
    throw error;
  }
}

async function describeL1(child: Child, rpcUrl: string): Promise<DevnetL1> {
  const chainId = Number(await callRpc<string>(rpcUrl, "eth_chainId"));
  await checkPrague(rpcUrl);
  const reported = await callRpc<string[]>(rpcUrl, "eth_accounts");
  const accounts = l1DevAccounts(reported.length);
  const mismatch = accounts.findIndex((a, i) => a.address.toLowerCase() !== reported[i]?.toLowerCase());
  if (reported.length === 0 || mismatch !== -1) {
    throw new DevnetError(
      "L1_ACCOUNTS_MISMATCH",
      `the L1 node at ${rpcUrl} does not fund the Hardhat dev mnemonic's accounts (eth_accounts: ` +
        `${reported.slice(0, 3).join(", ") || "none"}...): the devnet signs with those keys; check hardhat.config.ts`,
    );
  }
  return {
    rpcUrl,
    chainId,
    accounts,
    pid: child.pid,
    async stop() {
      await child.stop();
    },
  };
}

/**
 * Calls G1ADD on two public keys and compares with their sum computed in TypeScript. Before
 * Prague there is no code at 0x0b and the call returns empty bytes.
 */
export async function checkPrague(rpcUrl: string): Promise<void> {
  const a = SecretKey.fromSeed("devnet-prague-check-a").publicKey;
  const b = SecretKey.fromSeed("devnet-prague-check-b").publicKey;
  const input = `${a.toEip2537()}${b.toEip2537().slice(2)}`;
  const expected = aggregatePublicKeys([a, b]).toEip2537();
  const answer = await callRpc<string>(rpcUrl, "eth_call", [{ to: G1ADD, data: input }, "latest"]).catch((e: Error) => `error: ${e.message}`);
  if (answer.toLowerCase() !== expected.toLowerCase()) {
    throw new DevnetError(
      "L1_NOT_PRAGUE",
      `the L1 at ${rpcUrl} has no working EIP-2537 G1ADD precompile (0x0b answered ${answer.slice(0, 80)}): ` +
        "it must run the Prague hardfork or newer (hardhat.config.ts sets hardfork: \"prague\")",
    );
  }
}
