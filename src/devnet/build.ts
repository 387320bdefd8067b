/**
 * `hardhat build`, run so that concurrent callers never race. Two builds at once on one project
 * share `cache/compile-cache.json.tmp`, and one of them fails (CI: "SIGTERM during start-up"
 * failed that way, with test files that start devnets running side by side). So:
 *
 *  - a command that builds once and then runs others that would build again (`npm test`) says
 *    so in the environment: HOTSTUFF_CONTRACTS_BUILT=1, and buildContracts() then does nothing;
 *  - any other build holds the project's build lock (locks.ts) while it runs, so builds started
 *    together run one after the other (the second finds everything up to date and costs little).
 *
 * `npm start` by a user has no such variable and always builds: the build is incremental and
 * never leaves stale artifacts.
 */
import { spawnSync, type StdioOptions } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DevnetError } from "./errors.ts";
import { lock } from "./locks.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Set (to "1") by a parent that has built the contracts and starts children that would build again. */
export const CONTRACTS_BUILT_ENV = "HOTSTUFF_CONTRACTS_BUILT";

/** The lock name of one checkout's build: its cache folder is per checkout, so is the race. */
export function buildLockName(projectRoot = PROJECT_ROOT): string {
  return `build-${createHash("sha256").update(projectRoot).digest("hex").slice(0, 16)}`;
}

export interface BuildContractsOptions {
  /** Where the compiler's output goes; by default it is captured and shown only on failure. */
  readonly stdio?: StdioOptions;
  /** How long to wait for another process's build to finish (default 10 min: solc is wasm). */
  readonly lockTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Whether the contracts were built now (false: a parent said they already are). */
export async function buildContracts(options: BuildContractsOptions = {}): Promise<boolean> {
  const env = options.env ?? process.env;
  if (env[CONTRACTS_BUILT_ENV] === "1") return false;
  const held = await lock(buildLockName(), { timeoutMs: options.lockTimeoutMs ?? 600_000 });
  try {
    const result = spawnSync(join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"), ["build", "--quiet"], {
      cwd: PROJECT_ROOT,
      env: { ...env, PATH: `${dirname(process.execPath)}:${env.PATH ?? ""}` },
      encoding: "utf8",
      stdio: options.stdio ?? "pipe",
    });
    if (result.status !== 0) {
      const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
      throw new DevnetError(
        "PROCESS_EXITED",
        `compiling the contracts (hardhat build) failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})${output === "" ? "" : `:\n${output}`}`,
      );
    }
    return true;
  } finally {
    await held.release();
  }
}
