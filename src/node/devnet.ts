/**
 * Devnet configs: deterministic BLS keys (SecretKey.fromSeed) and funded dev accounts, one config
 * file per member, all on loopback. Used by `npm run cluster` and by the node integration tests.
 * DEVNET ONLY: every key here is derivable by anyone from its seed.
 */
import type { ByzantineMode } from "../byzantine/modes.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringToHex, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { privateKeyToAccount } from "viem/accounts";
import { bytesToHex, SecretKey } from "../crypto/index.ts";
import { readKeysFile } from "../deployment/committee-keys.ts";
import { readDeployment } from "../deployment/contracts.ts";

export interface DevnetOptions {
  readonly nodes: number;
  readonly dir: string;
  /** Ports: member i uses base + 3i (p2p), base + 3i + 1 (rpc), base + 3i + 2 (metrics). */
  readonly ports: (member: number) => { p2p: number; rpc: number; metrics: number };
  readonly chainId?: bigint;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly accounts?: number;
  readonly seed?: string;
  /** Merged into each config's `consensus` section. */
  readonly consensus?: Record<string, number>;
}

export interface DevAccount {
  readonly address: Address;
  readonly privateKey: Hex;
}

export interface Devnet {
  readonly configFiles: string[];
  readonly rpcUrls: string[];
  readonly metricsUrls: string[];
  readonly dataDirs: string[];
  readonly accounts: DevAccount[];
  readonly chainId: bigint;
  readonly secretKeys: SecretKey[];
  /** The committee section every config shares. */
  readonly committee: { publicKey: Hex; url: string; feeRecipient: Address }[];
}

/** A placeholder Rollup address until a devnet with L1 deploys the real one (issue 6). */
export const DEVNET_ROLLUP: Address = "0x00000000000000000000000000000000000000Ad";
export const DEVNET_CHAIN_ID = 901n;
/** A fixed genesis time keeps configs (and so the genesis hash) identical across regenerations. */
export const DEVNET_GENESIS_TIMESTAMP = 1_700_000_000;
export const DEV_ACCOUNT_BALANCE = 10n ** 24n; // 1,000,000 ether

export function devAccount(seed: string, i: number): DevAccount {
  const privateKey = keccak256(stringToHex(`${seed}-account-${i}`));
  return { address: privateKeyToAccount(privateKey).address, privateKey };
}

export function memberKey(seed: string, i: number): SecretKey {
  return SecretKey.fromSeed(`${seed}-member-${i}`);
}

/** What both config writers share: key files, config files and endpoints, one member at a time. */
function writeMembers(
  dir: string,
  secretKeys: readonly SecretKey[],
  ports: (i: number) => { p2p: number; rpc: number; metrics: number },
  host: string,
  configOf: (i: number, files: { keyFile: string; dataDir: string }) => object,
): { configFiles: string[]; dataDirs: string[]; rpcUrls: string[]; metricsUrls: string[] } {
  const configFiles: string[] = [];
  const dataDirs: string[] = [];
  secretKeys.forEach((key, i) => {
    const keyFile = join(dir, `member-${i}.key`);
    writeFileSync(keyFile, `${bytesToHex(key.toBytes())}\n`, { mode: 0o600 });
    const dataDir = join(dir, `member-${i}`);
    const file = join(dir, `member-${i}.json`);
    writeFileSync(file, `${JSON.stringify(configOf(i, { keyFile, dataDir }), null, 2)}\n`);
    configFiles.push(file);
    dataDirs.push(dataDir);
  });
  return {
    configFiles,
    dataDirs,
    rpcUrls: secretKeys.map((_, i) => `http://${host}:${ports(i).rpc}`),
    metricsUrls: secretKeys.map((_, i) => `http://${host}:${ports(i).metrics}/metrics`),
  };
}

export function writeDevnet(o: DevnetOptions): Devnet {
  const seed = o.seed ?? "devnet";
  const chainId = o.chainId ?? DEVNET_CHAIN_ID;
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const secretKeys = Array.from({ length: o.nodes }, (_, i) => memberKey(seed, i));
  const accounts = Array.from({ length: o.accounts ?? 10 }, (_, i) => devAccount(seed, i));
  const committee = secretKeys.map((k, i) => ({
    publicKey: k.publicKey.toHex(),
    url: `ws://127.0.0.1:${o.ports(i).p2p}`,
    feeRecipient: devAccount(`${seed}-fees`, i).address,
  }));
  const written = writeMembers(dir, secretKeys, o.ports, "127.0.0.1", (i, { keyFile, dataDir }) => {
    const ports = o.ports(i);
    return {
      $comment: "devnet config written by src/node/devnet.ts; keys are derived from public seeds",
      member: i,
      secretKeyFile: keyFile,
      chainId: Number(chainId),
      rollup: DEVNET_ROLLUP,
      epoch: 1,
      committee,
      genesis: { timestamp: DEVNET_GENESIS_TIMESTAMP, balances: Object.fromEntries(accounts.map((a) => [a.address, DEV_ACCOUNT_BALANCE.toString()])) },
      listen: { host: "127.0.0.1", p2pPort: ports.p2p, rpcPort: ports.rpc, metricsPort: ports.metrics },
      redis: { url: o.redisUrl, prefix: o.redisPrefix },
      dataDir,
      ...(o.consensus === undefined ? {} : { consensus: o.consensus }),
    };
  });
  return { ...written, accounts, chainId, secretKeys, committee };
}

export interface L1MemberConfigsOptions {
  /** Where configs (member-<i>.json), key files and data dirs (member-<i>/) go; created if missing. */
  readonly dir: string;
  /** The deployments JSON (deployDevnet's outFile, scripts/deploy.ts's deployments/<network>.json). */
  readonly deploymentsFile: string;
  /** The committee keys file the deployment registered, with each member's `secretKey` (devnet files have them). */
  readonly keysFile: string;
  readonly l1RpcUrl: string;
  /** One L1 private key per member: the account that pays for its settlement and evidence transactions. */
  readonly l1PrivateKeys: readonly Hex[];
  readonly ports: (member: number) => { p2p: number; rpc: number; metrics: number };
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** Listen and peer host (default 127.0.0.1). */
  readonly host?: string;
  /** Merged into each config's `consensus` section. */
  readonly consensus?: Record<string, number>;
  /** l1.confirmations (default 0: the devnet's L1 does not reorganise). */
  readonly l1Confirmations?: number | "safe" | "finalized";
  /** l1.pollIntervalMs (default 250: the devnet's L1 mines a block per transaction, and followers should see it soon). */
  readonly l1PollIntervalMs?: number;
  /**
   * l1.originDelayMs (default 2000): how old an L1 head a leader gives its block as l1Origin. A
   * member refuses (does not vote for) a block whose l1Origin its own follower has not read;
   * the node's default (2 polls, 500 ms here) was too short for a member busy with the RPC
   * load and settlement (bench:e2e: member 0 refused such blocks, and each refusal by the next
   * leader cost a view timeout). Deposits show on L2 that much later.
   */
  readonly l1OriginDelayMs?: number;
  /** l1.settleHoldOffMs (the node's default when absent). */
  readonly settleHoldOffMs?: number;
  /** DEVNET ONLY: member `member` misbehaves on purpose (config field `byzantine`, src/byzantine/). */
  readonly byzantine?: { readonly member: number; readonly mode: ByzantineMode };
}

export interface MemberConfigs {
  readonly configFiles: string[];
  readonly rpcUrls: string[];
  readonly metricsUrls: string[];
  readonly dataDirs: string[];
  readonly chainId: bigint;
}

/**
 * One config per member of a deployed committee, for members that follow and settle on L1: the
 * `l1` section names the deployments file (domain and genesis come from it, so the configs carry
 * neither), the member's BLS key and L1 key go to files beside the configs (mode 0600). The
 * committee section lists the deployment's members in its order, with the keys file's fee
 * recipients. Used by `npm run cluster -- --l1 ...` and by `npm start`.
 */
export function writeL1MemberConfigs(o: L1MemberConfigsOptions): MemberConfigs {
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const deploymentsFile = resolve(o.deploymentsFile);
  const deployment = readDeployment(deploymentsFile);
  const keys = readKeysFile(o.keysFile);
  const n = deployment.members.length;
  if (keys.members.length !== n) throw new RangeError(`${o.keysFile} has ${keys.members.length} members, the deployment ${n}`);
  if (o.l1PrivateKeys.length !== n) throw new RangeError(`l1PrivateKeys: one per member expected (${n}), got ${o.l1PrivateKeys.length}`);
  const host = o.host ?? "127.0.0.1";
  const secretKeys = keys.members.map((m, i) => {
    if (m.secretKey === undefined) throw new RangeError(`${o.keysFile}: member ${i} has no secretKey (only devnet keys files carry them)`);
    const key = SecretKey.fromBytes(m.secretKey);
    if (key.publicKey.toEip2537().toLowerCase() !== deployment.members[i]!.publicKey.toLowerCase()) {
      throw new RangeError(`${o.keysFile}: member ${i}'s key is not the one the deployment ${deploymentsFile} registered`);
    }
    return key;
  });
  const committee = secretKeys.map((k, i) => ({ publicKey: k.publicKey.toHex(), url: `ws://${host}:${o.ports(i).p2p}`, feeRecipient: keys.members[i]!.feeRecipient }));
  const written = writeMembers(dir, secretKeys, o.ports, host, (i, { keyFile, dataDir }) => {
    const ports = o.ports(i);
    const l1KeyFile = join(dir, `member-${i}.l1key`);
    writeFileSync(l1KeyFile, `${o.l1PrivateKeys[i]!}\n`, { mode: 0o600 });
    return {
      $comment: "member config written by src/node/devnet.ts (writeL1MemberConfigs); chain id, Rollup, epoch and genesis come from l1.deployments",
      member: i,
      secretKeyFile: keyFile,
      committee,
      listen: { host, p2pPort: ports.p2p, rpcPort: ports.rpc, metricsPort: ports.metrics },
      redis: { url: o.redisUrl, prefix: o.redisPrefix },
      l1: {
        rpcUrl: o.l1RpcUrl,
        deployments: deploymentsFile,
        privateKeyFile: l1KeyFile,
        // The devnet's L1 is one Hardhat node, which never reorganises: read its tip. A setting,
        // so an operator's config says its own depth (README, Configuration).
        confirmations: o.l1Confirmations ?? 0,
        pollIntervalMs: o.l1PollIntervalMs ?? 250,
        originDelayMs: o.l1OriginDelayMs ?? 2_000,
        ...(o.settleHoldOffMs === undefined ? {} : { settleHoldOffMs: o.settleHoldOffMs }),
      },
      dataDir,
      ...(o.consensus === undefined ? {} : { consensus: o.consensus }),
      ...(o.byzantine?.member === i ? { byzantine: o.byzantine.mode } : {}),
    };
  });
  return { ...written, chainId: BigInt(deployment.l2ChainId) };
}

export interface JoiningMemberConfigOptions {
  /** Where the config (member-<id>.json), its key files and its data dir (member-<id>/) go. */
  readonly dir: string;
  /** The L1 member id governance admitted it under (only names the files: the node checks it against L1). */
  readonly memberId: number;
  readonly secretKey: SecretKey;
  readonly deploymentsFile: string;
  readonly l1RpcUrl: string;
  /** The L1 account that pays its settlement and evidence transactions. */
  readonly l1PrivateKey: Hex;
  readonly ports: { p2p: number; rpc: number; metrics: number };
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly host?: string;
  readonly consensus?: Record<string, number>;
  readonly l1PollIntervalMs?: number;
  readonly l1OriginDelayMs?: number;
  /** l1.confirmations (default 0), the same as the committee's other members. */
  readonly l1Confirmations?: number | "safe" | "finalized";
}

/**
 * The config of a member governance admitted after the deployment: only what it knows on its own
 * (the deployment, its keys, its listen address and queues). No committee and no member id: the
 * genesis committee comes from the deployments file, the members admitted since and its own id
 * from L1 (src/node/config.ts, identity.ts, directory.ts).
 */
export function writeJoiningMemberConfig(o: JoiningMemberConfigOptions): { configFile: string; dataDir: string; rpcUrl: string; metricsUrl: string } {
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const host = o.host ?? "127.0.0.1";
  const keyFile = join(dir, `member-${o.memberId}.key`);
  writeFileSync(keyFile, `${bytesToHex(o.secretKey.toBytes())}\n`, { mode: 0o600 });
  const l1KeyFile = join(dir, `member-${o.memberId}.l1key`);
  writeFileSync(l1KeyFile, `${o.l1PrivateKey}\n`, { mode: 0o600 });
  const dataDir = join(dir, `member-${o.memberId}`);
  const configFile = join(dir, `member-${o.memberId}.json`);
  const config = {
    $comment: "config of a member admitted on L1 after the deployment (src/node/devnet.ts writeJoiningMemberConfig): its committee and member id come from L1",
    secretKeyFile: keyFile,
    listen: { host, p2pPort: o.ports.p2p, rpcPort: o.ports.rpc, metricsPort: o.ports.metrics },
    redis: { url: o.redisUrl, prefix: o.redisPrefix },
    // The devnet's L1 does not reorganise (writeL1MemberConfigs): every member of one committee reads it at the same depth.
    l1: { rpcUrl: o.l1RpcUrl, deployments: resolve(o.deploymentsFile), confirmations: o.l1Confirmations ?? 0, privateKeyFile: l1KeyFile, pollIntervalMs: o.l1PollIntervalMs ?? 250, originDelayMs: o.l1OriginDelayMs ?? 2_000 },
    dataDir,
    ...(o.consensus === undefined ? {} : { consensus: o.consensus }),
  };
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  return { configFile, dataDir, rpcUrl: `http://${host}:${o.ports.rpc}`, metricsUrl: `http://${host}:${o.ports.metrics}/metrics` };
}
