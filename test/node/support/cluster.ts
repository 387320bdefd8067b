/**
 * Real member processes for integration tests: deterministic devnet configs on free loopback
 * ports, a unique Redis prefix, one `scripts/node.ts` child per member, their JSON logs kept in
 * memory. `stop()` kills every child, deletes the Redis keys and the temp dir, even after a
 * failed test (call it from `after`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { writeDevnet, type Devnet, type MemberConfigs } from "../../../src/node/devnet.ts";
import { parseMetrics } from "../../../src/node/metrics.ts";
import { distinctFreePorts } from "../../fixtures/ports.ts";
import { eventually, redisUrl, uniquePrefix } from "../../fixtures/redis.ts";

/**
 * Short views for tests, and a tiny in-memory archive so that a restarted member's sync reaches
 * back past it and is answered from the peers' stores.
 */
export const TEST_TIMING = { baseTimeoutMs: 2_000, backoffFactor: 1.5, maxTimeoutMs: 8_000, minBlockIntervalMs: 50, emptyBlockIntervalMs: 400, archiveBlocks: 2, leaderLinkGraceMs: 1_000 };


export type LogLine = Record<string, unknown> & { event: string; member: number };

/** Member i's three ports out of distinctFreePorts(3n). */
export const memberPorts = (free: readonly number[]) => (i: number) => ({ p2p: free[3 * i]!, rpc: free[3 * i + 1]!, metrics: free[3 * i + 2]! });

export class TestCluster<D extends MemberConfigs = Devnet> {
  readonly devnet: D;
  readonly dir: string;
  readonly prefix: string;
  readonly redisUrl: string;
  readonly logs: LogLine[][];
  readonly #children = new Map<number, ChildProcess>();

  private constructor(devnet: D, dir: string, prefix: string, redis: string) {
    this.devnet = devnet;
    this.redisUrl = redis;
    this.dir = dir;
    this.prefix = prefix;
    this.logs = devnet.configFiles.map(() => []);
  }

  /**
   * A cluster over configs someone else wrote (the L1 tests: writeL1MemberConfigs). `dir` and the
   * Redis keys under `prefix` are deleted by stop().
   */
  static over<C extends MemberConfigs>(configs: C, dir: string, prefix: string, redis = redisUrl): TestCluster<C> {
    return new TestCluster(configs, dir, prefix, redis);
  }

  static async create(label: string, nodes = 4, redis = redisUrl): Promise<TestCluster> {
    const dir = mkdtempSync(join(tmpdir(), `hotstuff-node-${label}-`));
    const free = await distinctFreePorts(3 * nodes);
    const ports = Array.from({ length: nodes }, (_, i) => ({ p2p: free[3 * i]!, rpc: free[3 * i + 1]!, metrics: free[3 * i + 2]! }));
    const prefix = uniquePrefix(label);
    const devnet = writeDevnet({ nodes, dir, redisUrl: redis, redisPrefix: prefix, ports: (i) => ports[i]!, seed: `test-${label}`, consensus: TEST_TIMING });
    return new TestCluster(devnet, dir, prefix, redis);
  }

  /**
   * Adds a member whose config someone else wrote (one governance admitted on L1 after the
   * deployment); returns the slot to start(), stop and read its logs by. Its files should be under `dir`.
   */
  join(files: { configFile: string; rpcUrl: string; metricsUrl: string; dataDir: string }): number {
    this.devnet.configFiles.push(files.configFile);
    this.devnet.rpcUrls.push(files.rpcUrl);
    this.devnet.metricsUrls.push(files.metricsUrl);
    this.devnet.dataDirs.push(files.dataDir);
    this.logs.push([]);
    return this.logs.length - 1;
  }

  /** Spawns member i and resolves once its RPC listens. */
  async start(i: number): Promise<void> {
    const child = spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/node.ts", "--config", this.devnet.configFiles[i]!], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#children.set(i, child);
    const lines = this.logs[i]!;
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        lines.push({ event: "non-json", member: i, line });
      }
    });
    createInterface({ input: child.stderr! }).on("line", (line) => lines.push({ event: "stderr", member: i, line }));
    const from = lines.length;
    await eventually(() => {
      if (child.exitCode !== null) throw new Error(`member ${i} exited with ${child.exitCode}: ${JSON.stringify(lines.slice(-5))}`);
      return lines.slice(from).some((l) => l.event === "rpc.listening");
    }, `member ${i} to start`, 60_000);
  }

  async startAll(members: readonly number[] = this.devnet.configFiles.map((_, i) => i)): Promise<void> {
    await Promise.all(members.map((i) => this.start(i)));
  }

  isRunning(i: number): boolean {
    const c = this.#children.get(i);
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  /** Sends `signal` and waits for the process to exit. */
  async kill(i: number, signal: NodeJS.Signals): Promise<number | null> {
    const child = this.#children.get(i);
    if (child === undefined || !this.isRunning(i)) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill(signal);
    return await exited;
  }

  async rpc<T = unknown>(i: number, method: string, params: unknown[] = []): Promise<T> {
    const res = await fetch(this.devnet.rpcUrls[i]!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
    if (body.error !== undefined) throw Object.assign(new Error(`${method}: ${body.error.message}`), { code: body.error.code });
    return body.result as T;
  }

  async height(i: number): Promise<bigint> {
    return BigInt(await this.rpc<string>(i, "eth_blockNumber"));
  }

  async metrics(i: number): Promise<Map<string, number>> {
    const res = await fetch(this.devnet.metricsUrls[i]!);
    return parseMetrics(await res.text());
  }

  /** Waits until every listed member has committed at least `height`. */
  async waitForHeight(members: readonly number[], height: bigint, timeoutMs = 90_000): Promise<void> {
    await eventually(async () => {
      for (const i of members) if ((await this.height(i)) < height) return false;
      return true;
    }, `members ${members.join(",")} to reach height ${height}`, timeoutMs);
  }

  events(i: number, event: string): LogLine[] {
    return this.logs[i]!.filter((l) => l.event === event);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#children.keys()].map((i) => this.kill(i, "SIGKILL")));
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
    redis.on("error", () => {});
    try {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${this.prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
    } finally {
      redis.disconnect();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
