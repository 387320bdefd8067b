/**
 * Redis for the devnet (DESIGN §7): the one at REDIS_URL (or the local default) when it answers;
 * otherwise a private `redis-server` on a free loopback port when the binary is installed;
 * otherwise an error that says how to get one.
 *
 * The private server keeps nothing on disk (`--save "" --appendonly no`): the devnet's queues
 * are rebuilt from the members' stores and L1 on restart, so persisting them would only hide
 * state a fresh devnet should not have. The caller owns it: call stop() on exit (Ctrl-C
 * included); the child helper kills it if this process exits without doing so.
 */
import { accessSync, constants, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { DEFAULT_REDIS_URL, pingRedis } from "../queues/index.ts";
import { startChild, waitUntilReady } from "./child.ts";
import { DevnetError } from "./errors.ts";
import { findFreePort } from "./ports.ts";

export interface EnsureRedisOptions {
  /** Where to look first; defaults to REDIS_URL, then redis://127.0.0.1:6379. */
  readonly url?: string;
  /** The private server's working directory (created if missing). */
  readonly dataDir: string;
  /** How long the private server may take to answer PING. */
  readonly startTimeoutMs?: number;
  /** Directories searched for `redis-server` (default: PATH). */
  readonly searchPath?: string;
  /** Run a private server in its own process group (see StartChildOptions.detached). */
  readonly detached?: boolean;
}

export interface DevnetRedis {
  readonly url: string;
  /** true when this call started the server (and stop() shuts it down). */
  readonly started: boolean;
  /** The private server's process id (undefined for an external Redis). */
  readonly pid: number | undefined;
  /** Shuts the private server down and waits for its exit; does nothing for an external Redis. */
  stop(): Promise<void>;
}

/** The first executable `name` on PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

export async function ensureRedis(options: EnsureRedisOptions): Promise<DevnetRedis> {
  const url = options.url ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  try {
    await pingRedis(url);
    return { url, started: false, pid: undefined, stop: async () => {} };
  } catch (unreachable) {
    const binary = findOnPath("redis-server", options.searchPath);
    if (binary === undefined) {
      throw new DevnetError(
        "REDIS_UNAVAILABLE",
        `No Redis answers at ${url} and there is no \`redis-server\` on PATH to start a private one. ` +
          "Install it (`sudo apt-get install redis-server` on Debian/Ubuntu, `brew install redis` on macOS) " +
          "or set REDIS_URL to a running Redis 6.2+ (e.g. REDIS_URL=redis://127.0.0.1:6379).",
        { cause: unreachable },
      );
    }
    return await startPrivateRedis(binary, options);
  }
}

/**
 * Another process can take the free port between our probe and redis-server's bind; that shows
 * as the server exiting with "Address already in use", and a fresh port is tried.
 */
async function startPrivateRedis(binary: string, options: EnsureRedisOptions): Promise<DevnetRedis> {
  mkdirSync(options.dataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisServer(binary, options);
    } catch (error) {
      const portTaken = error instanceof DevnetError && error.code === "PROCESS_EXITED" && /already in use/i.test(error.message);
      if (!portTaken || attempt === 3) throw error;
    }
  }
}

async function startRedisServer(binary: string, options: EnsureRedisOptions): Promise<DevnetRedis> {
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = await startChild({
    name: "redis-server",
    command: binary,
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", options.dataDir],
    detached: options.detached ?? false,
  });
  try {
    await waitUntilReady(
      child,
      `the private redis-server on port ${port}`,
      async () => {
        await pingRedis(url, 500);
        return true;
      },
      options.startTimeoutMs ?? 10_000,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    url,
    started: true,
    pid: child.pid,
    async stop() {
      // SIGTERM is redis-server's clean shutdown; with nothing to save it exits at once.
      await child.stop();
    },
  };
}
