/**
 * `npm start`: the whole devnet on one machine, in dependency order — contracts compiled, Redis,
 * the L1 hardhat node, the deployment, the committee members, deposits to the L2 dev accounts —
 * then what a developer needs printed, then a live status line.
 *
 * Every piece started is pushed on a stack; stop() (Ctrl-C, SIGTERM, or a failed step) pops it:
 * members first (they use L1 and Redis while shutting down), then the L1 node, then a private
 * Redis. stop() can run at any moment of start-up: it lets the step under way finish, and
 * start() gives up at its next check of `stopping`.
 *
 * The data dir is never reused across runs: the L1 hardhat node keeps its chain in memory, so
 * an earlier run's member stores (and its deployments file) describe a chain that is gone.
 * Without --reset an earlier devnet's dir is refused; --reset wipes it, and only a dir that
 * carries our marker file (or is empty), so a mistyped --data-dir never deletes someone's files.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatEther, parseEther, type Address } from "viem";
import { DEVNET_CHAIN_ID, writeL1MemberConfigs } from "../node/devnet.ts";
import { formatDevAccounts, l2DevAccounts, type DevAccount } from "./accounts.ts";
import { buildContracts, CONTRACTS_BUILT_ENV } from "./build.ts";
import { deployDevnet } from "./deploy.ts";
import { DevnetError } from "./errors.ts";
import { fundByDeposits, type DepositEntry } from "./fund.ts";
import { startL1 } from "./l1.ts";
import { clearDevnetState, joinedMembers, stopJoinedMember, writeDevnetState } from "./joined-members.ts";
import { MEMBER_STOP_GRACE_MS, memberPorts, startMember, stopMember, waitForMember, type RunningMember } from "./members.ts";
import { ensureRedis } from "./redis.ts";
import { callRpc } from "./rpc.ts";
import type { StartOptions } from "./start-options.ts";
import { watchStatus, type StatusWatch } from "./watch.ts";

/** Marks a data dir as this tool's, so that --reset may wipe it. */
export const DATA_DIR_MARKER = ".hotstuff-devnet";
export const L2_DEV_ACCOUNTS = 10;
/**
 * hardhat node gives each L1 dev account 1000 ETH, so 100 ETH per L2 account lets the L1
 * accounts no member uses (nodes + 1 .. 19) pay the deposits between them.
 */
export const L2_DEV_BALANCE = parseEther("100");

export interface StartDevnetIo {
  /** Progress and the summary (stdout). */
  readonly out: (text: string) => void;
  readonly tty: boolean;
  /** How long to wait for deposits to show on L2 before going on without them. */
  readonly fundTimeoutMs?: number;
}

export interface DevnetSummary {
  readonly l2RpcUrls: string[];
  readonly l2ChainId: bigint;
  readonly l1RpcUrl: string;
  readonly l1ChainId: number;
  readonly contracts: { committee: Address; rollup: Address; bridge: Address; inbox: Address };
  readonly dataDir: string;
  readonly deploymentsFile: string;
  readonly redisUrl: string;
  readonly accounts: DevAccount[];
  /** Whether the deposits showed on L2 within the wait. */
  readonly funded: boolean;
}

/** Start-up was cut short by stop() (a signal arrived while starting). */
export class StartAborted extends Error {
  override readonly name = "StartAborted";
}

export class DevnetRun {
  readonly options: StartOptions;
  readonly #io: StartDevnetIo;
  readonly #pieces: { name: string; stop: () => Promise<void> }[] = [];
  /**
   * The member processes, by index, once started. A benchmark that kills and restarts one
   * (bench-faults.ts) puts the new process in its place, so that stop() stops that one.
   */
  readonly members: RunningMember[] = [];
  #stopping: Promise<void> | undefined;
  #starting: Promise<unknown> | undefined;
  #watch: StatusWatch | undefined;

  constructor(options: StartOptions, io: StartDevnetIo) {
    this.options = options;
    this.#io = io;
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  #say(line: string): void {
    this.#io.out(`${line}\n`);
  }

  #check(): void {
    if (this.stopping) throw new StartAborted("start-up interrupted");
  }

  /** Brings the devnet up; rejects with StartAborted when stop() cut it short. Call once. */
  start(): Promise<DevnetSummary> {
    const starting = this.#start();
    this.#starting = starting;
    return starting;
  }

  async #start(): Promise<DevnetSummary> {
    const o = this.options;
    prepareDataDir(o.dataDir, o.reset);
    this.#say(`hotstuff-rollup devnet: ${o.nodes} members, data dir ${o.dataDir}`);
    const built = process.env[CONTRACTS_BUILT_ENV] === "1";
    this.#say(built ? `• contracts already compiled (${CONTRACTS_BUILT_ENV}=1)` : "• compiling contracts (hardhat build)");
    if (!built) await buildContracts();
    this.#check();

    const redis = await ensureRedis({ dataDir: join(o.dataDir, "redis"), detached: true });
    if (redis.started) this.#pieces.push({ name: "redis-server", stop: () => redis.stop() });
    this.#check();
    this.#say(`• redis ${redis.url}${redis.started ? ` (private redis-server, pid ${redis.pid})` : " (already running)"}`);

    const l1 = await startL1({ port: o.l1Port, dataDir: o.dataDir, detached: true });
    this.#pieces.push({ name: "L1 node", stop: () => l1.stop() });
    this.#check();
    this.#say(`• L1 hardhat node ${l1.rpcUrl} (chain id ${l1.chainId}, pid ${l1.pid}, log ${join(o.dataDir, "l1.log")})`);

    // Ports first: each member's p2p endpoint is part of its L1 record (Committee.epochRecords).
    const ports = await memberPorts(o.nodes, { rpc: o.rpcPort, p2p: o.p2pPort, metrics: o.metricsPort });
    const deploymentsFile = join(o.dataDir, "deployments.json");
    const deployer = l1.accounts[0]!;
    const { deployment, keysFile } = await deployDevnet({
      rpcUrl: l1.rpcUrl,
      deployer: deployer.privateKey,
      l2ChainId: DEVNET_CHAIN_ID,
      outFile: deploymentsFile,
      members: o.nodes,
      endpoints: ports.map((p) => `ws://127.0.0.1:${p.p2p}`),
    });
    this.#check();
    this.#say(`• contracts deployed (${deploymentsFile}; governance is L1 dev account 0, ${deployer.address})`);

    const devnet = writeL1MemberConfigs({
      dir: join(o.dataDir, "members"),
      deploymentsFile,
      keysFile,
      l1RpcUrl: l1.rpcUrl,
      // Member i pays its settlement and evidence transactions from L1 dev account i + 1, which
      // is also its fee recipient (deployDevnet); account 0 deployed.
      l1PrivateKeys: l1.accounts.slice(1, o.nodes + 1).map((a) => a.privateKey),
      ports: (i) => ports[i]!,
      redisUrl: redis.url,
      // One prefix for every devnet is safe: the node keys its queues by its store's random id.
      redisPrefix: "hotstuff-devnet",
      ...(o.byzantine === undefined ? {} : { byzantine: o.byzantine }),
    });
    const members = this.members;
    // Registered before the spawns, so a member that started is stopped even if a later one fails.
    this.#pieces.push({
      name: "members",
      stop: async () => {
        // Members admitted later (`npm run devnet -- admit`) run as their own processes: stopped first.
        clearDevnetState(o.dataDir);
        await Promise.all(joinedMembers(o.dataDir).map((id) => stopJoinedMember(o.dataDir, id, MEMBER_STOP_GRACE_MS)));
        await Promise.all(
          members.map(async (m) => {
            if (!(await stopMember(m))) this.#say(`! member ${m.index} did not stop within ${MEMBER_STOP_GRACE_MS / 1000} s of SIGINT and was killed (SIGKILL); see ${m.logFile}`);
          }),
        );
      },
    });
    for (const [i, file] of devnet.configFiles.entries()) members.push(await startMember(i, file, devnet.rpcUrls[i]!, o.dataDir));
    this.#check();
    this.#say(`• ${o.nodes} members started (pids ${members.map((m) => m.child.pid).join(", ")}; logs ${join(o.dataDir, "member-<i>.log")}); waiting for committed blocks`);
    await Promise.all(members.map((m) => waitForMember(m)));
    await this.#waitFor("the members to commit a block", 120_000, async () => BigInt(await callRpc<string>(devnet.rpcUrls[0]!, "eth_blockNumber", [], 2_000)) > 0n);
    this.#check();
    // What `npm run devnet -- admit | exit` needs to act on this devnet (joined-members.ts).
    writeDevnetState(o.dataDir, { l1RpcUrl: l1.rpcUrl, redisUrl: redis.url, redisPrefix: "hotstuff-devnet", deploymentsFile, nodes: o.nodes, rpcPort: o.rpcPort, pid: process.pid });

    const accounts = l2DevAccounts(L2_DEV_ACCOUNTS);
    // L1 account 0 deployed and paid the bonds; 1..nodes are the members' (fee recipients, settlement).
    const payers = l1.accounts.slice(o.nodes + 1);
    const deposits: DepositEntry[] = [];
    for (const [p, payer] of payers.entries()) {
      const recipients = accounts.filter((_, i) => i % payers.length === p).map((a) => ({ address: a.address, amount: L2_DEV_BALANCE }));
      if (recipients.length === 0) continue;
      deposits.push(...(await fundByDeposits({ rpcUrl: l1.rpcUrl, bridge: deployment.contracts.bridge, from: payer.privateKey, recipients })));
    }
    this.#check();
    const indices = deposits.map((d) => d.index);
    this.#say(`• ${deposits.length} deposits of ${formatEther(L2_DEV_BALANCE)} ETH made on L1 (Inbox entries ${indices.join(", ")}); waiting for them on L2`);
    const fundTimeoutMs = this.#io.fundTimeoutMs ?? 60_000;
    let funded = true;
    try {
      await this.#waitFor("the deposits on L2", fundTimeoutMs, async () => {
        for (const a of accounts) if (BigInt(await callRpc<string>(devnet.rpcUrls[0]!, "eth_getBalance", [a.address, "latest"], 2_000)) < L2_DEV_BALANCE) return false;
        return true;
      });
    } catch (e) {
      if (!(e instanceof DevnetError && e.code === "START_TIMEOUT")) throw e;
      funded = false;
      this.#say(
        `! the deposits are on L1 but not on L2 after ${fundTimeoutMs / 1000} s: the members do not consume the L1 Inbox yet ` +
          "(the node's L1 follower); the dev accounts below hold nothing on L2 until they do",
      );
    }
    this.#check();
    return {
      l2RpcUrls: devnet.rpcUrls,
      l2ChainId: devnet.chainId,
      l1RpcUrl: l1.rpcUrl,
      l1ChainId: l1.chainId,
      contracts: deployment.contracts,
      dataDir: o.dataDir,
      deploymentsFile,
      redisUrl: redis.url,
      accounts,
      funded,
    };
  }

  /** Polls `ready` every 500 ms; START_TIMEOUT naming `what` after `timeoutMs`; StartAborted on stop(). */
  async #waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.#check();
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) throw new DevnetError("START_TIMEOUT", `timed out after ${timeoutMs / 1000} s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** The summary block, then the live status of member 0. */
  printReady(summary: DevnetSummary): void {
    if (this.stopping) return; // a signal came right after start-up: no status to show
    const [first, ...others] = summary.l2RpcUrls;
    const lines = [
      "",
      "devnet ready",
      `  L2 JSON-RPC   ${first}   (member 0; chain id ${summary.l2ChainId})`,
      ...others.map((url, i) => `                ${url}   (member ${i + 1})`),
      `  L1 JSON-RPC   ${summary.l1RpcUrl}   (hardhat node; chain id ${summary.l1ChainId})`,
      `  Committee     ${summary.contracts.committee}`,
      `  Rollup        ${summary.contracts.rollup}`,
      `  Bridge/Inbox  ${summary.contracts.bridge}`,
      `  deployments   ${summary.deploymentsFile}`,
      `  data dir      ${summary.dataDir}`,
      `  redis         ${summary.redisUrl}`,
      "",
      formatDevAccounts(
        summary.funded ? `L2 dev accounts, funded by deposits` : `L2 dev accounts, deposited on L1, NOT yet on L2`,
        summary.accounts,
        summary.funded ? () => L2_DEV_BALANCE : undefined,
      ),
      "",
      "Membership: `npm run devnet -- admit` seats a new member, `npm run devnet -- exit --member <id>` takes one out (README).",
      "Ctrl-C stops everything.",
    ];
    this.#say(lines.join("\n"));
    this.#watch = watchStatus({
      rpcUrl: first!,
      write: this.#io.out,
      tty: this.#io.tty,
      intervalMs: this.options.statusIntervalMs,
    });
  }

  /**
   * Stops every piece started, newest first, after printing `reason` (once the status line has
   * been ended). Idempotent; never throws (failures are reported).
   */
  stop(reason?: string): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#watch?.stop();
      if (reason !== undefined) this.#say(reason);
      // A step under way finishes first (each is bounded), so that what it starts is on the
      // stack and stopped in order; the next check in start() then gives up.
      await this.#starting?.catch(() => {});
      const anything = this.#pieces.length > 0;
      for (let piece = this.#pieces.pop(); piece !== undefined; piece = this.#pieces.pop()) {
        this.#say(`• stopping ${piece.name}`);
        await piece.stop().catch((e: Error) => this.#say(`! stopping ${piece.name} failed: ${e.message}`));
      }
      if (anything || reason !== undefined) this.#say("stopped");
    })();
    return this.#stopping;
  }
}

/** See the file comment: refuse an earlier devnet's dir without --reset; wipe only our own dirs. */
export function prepareDataDir(dir: string, reset: boolean): void {
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  const ours = entries.includes(DATA_DIR_MARKER);
  if (entries.length > 0 && !ours) {
    throw new DevnetError("DATA_DIR_IN_USE", `${dir} is not empty and is not a devnet data dir (no ${DATA_DIR_MARKER} file): choose another --data-dir`);
  }
  if (ours && !reset) {
    throw new DevnetError(
      "DATA_DIR_IN_USE",
      `${dir} holds an earlier devnet, whose L1 chain ended with it (the hardhat node keeps no state): ` +
        "start over with `npm start -- --reset` (wipes it) or choose another --data-dir",
    );
  }
  if (ours) for (const entry of entries) rmSync(join(dir, entry), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, DATA_DIR_MARKER), "a hotstuff-rollup devnet data dir (npm start); `npm start -- --reset` wipes it\n");
}
