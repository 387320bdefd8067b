/**
 * An `npm start` devnet for tests, run in the test process through DevnetRun (the code
 * scripts/start.ts runs): the contracts compiled, a real `hardhat node`, the deployment, four
 * member processes and the L2 dev accounts funded by real deposits, on free loopback ports and a
 * temp data dir. What it prints is kept in `out`. stop() stops it in npm start's order, then
 * deletes its queues from Redis (keyed by each member's store id) and the data dir, even after
 * a failed start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { readDeployment, storeIdentityOf } from "../../src/deployment/contracts.ts";
import { findFreePort, findFreePortRange } from "../../src/devnet/ports.ts";
import { parseStartArgs, type StartOptions } from "../../src/devnet/start-options.ts";
import { DevnetRun, type DevnetSummary } from "../../src/devnet/start.ts";
import { Store } from "../../src/store/index.ts";

/** The queue prefix DevnetRun gives every member (src/devnet/start.ts). */
const DEVNET_REDIS_PREFIX = "hotstuff-devnet";

export class TestDevnet {
  readonly root: string;
  readonly dataDir: string;
  readonly run: DevnetRun;
  out = "";
  #summary: DevnetSummary | undefined;

  private constructor(root: string, options: StartOptions) {
    this.root = root;
    this.dataDir = options.dataDir;
    this.run = new DevnetRun(options, { out: (text) => (this.out += text), tty: false });
  }

  /**
   * Starts a 4-member devnet; on failure stops what started and throws with what it printed.
   * Ports are probed free, but another process on this machine (other test files run alongside)
   * can bind one before the member does: that one failure is retried once on other ports.
   */
  static async start(label: string): Promise<TestDevnet> {
    try {
      return await TestDevnet.#start(label);
    } catch (e) {
      if (!/EADDRINUSE|PORT_IN_USE|already in use/.test(String((e as Error).message))) throw e;
      return await TestDevnet.#start(label);
    }
  }

  static async #start(label: string): Promise<TestDevnet> {
    const root = mkdtempSync(join(tmpdir(), `hotstuff-devnet-${label}-`));
    const args = ["--data-dir", join(root, "data"), "--l1-port", String(await findFreePort()), "--rpc-port", String(await findFreePortRange(4))];
    const options = parseStartArgs(args) as StartOptions;
    const devnet = new TestDevnet(root, options);
    try {
      devnet.#summary = await devnet.run.start();
    } catch (e) {
      await devnet.stop();
      throw new Error(`the devnet did not start: ${(e as Error).message}\n--- it printed ---\n${devnet.out}`, { cause: e });
    }
    if (!devnet.#summary.funded) throw new Error(`the devnet started but its dev accounts were not funded on L2:\n${devnet.out}`);
    return devnet;
  }

  get summary(): DevnetSummary {
    return this.#summary!;
  }

  /** Member 0's L2 JSON-RPC (it also settles on L1). */
  get l2RpcUrl(): string {
    return this.summary.l2RpcUrls[0]!;
  }

  /** The members' process ids, as npm start prints them ("• 4 members started (pids a, b, c, d; ..."). */
  memberPids(): number[] {
    const pids = /members started \(pids ([\d, ]+);/.exec(this.out)?.[1];
    if (pids === undefined) throw new Error(`no member pids in what the devnet printed:\n${this.out}`);
    return pids.split(",").map((p) => Number(p.trim()));
  }

  /** The script options that point at this devnet instead of npm start's default ports. */
  endpointArgs(): string[] {
    return ["--rpc-url", this.l2RpcUrl, "--l1-rpc-url", this.summary.l1RpcUrl, "--deployments", this.summary.deploymentsFile];
  }

  async stop(): Promise<void> {
    await this.run.stop();
    try {
      await this.#deleteQueues();
    } finally {
      rmSync(this.root, { recursive: true, force: true });
    }
  }

  /** Each member keys its queues by its store's random id: `hotstuff-devnet:<storeId>:m<i>:...`. */
  async #deleteQueues(): Promise<void> {
    // A private redis-server (none answered at REDIS_URL) stopped with the devnet, and its keys with it.
    if (this.#summary === undefined || this.out.includes("(private redis-server")) return;
    const identity = storeIdentityOf(readDeployment(this.summary.deploymentsFile));
    const ids: string[] = [];
    for (let i = 0; i < this.summary.l2RpcUrls.length; i++) {
      const store = Store.open(join(this.dataDir, "members", `member-${i}`, "store.sqlite"), identity);
      const id = store.getFact("storeId");
      store.close();
      if (id !== undefined) ids.push(id);
    }
    const redis = new Redis(this.summary.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
    redis.on("error", () => {});
    try {
      for (const id of ids) {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${DEVNET_REDIS_PREFIX}:${id}:*`, "COUNT", 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== "0");
      }
    } finally {
      redis.disconnect();
    }
  }
}
