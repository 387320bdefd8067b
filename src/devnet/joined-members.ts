/**
 * What a running devnet's membership commands need to find and leave behind (`npm run devnet --
 * admit | exit`, src/devnet/membership-command.ts):
 *
 *  - `devnet.json` in the data dir, written by `npm start` once its members run: the L1 and Redis
 *    it uses, the deployments file, the members' RPC port base. A command run against a data dir
 *    without it is refused (no devnet runs there).
 *  - Members admitted after the start run as their own processes, started by the admit command,
 *    which exits: such a process is detached from it (its own session, output appended to
 *    `member-<id>.log` in the data dir) and its pid and start time go to `member-<id>.pid`.
 *    `npm start`'s stop stops them with the genesis members (SIGINT, then SIGKILL after the grace
 *    period), so nothing outlives the devnet. A pid is signalled only while its process's start
 *    time still matches (process-identity.ts): the pid file of a member that died long ago may
 *    name any process by now.
 */
import { spawn } from "node:child_process";
import { existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DevnetError } from "./errors.ts";
import { startTimeOf } from "./process-identity.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEVNET_STATE_FILE = "devnet.json";

export interface DevnetState {
  readonly l1RpcUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly deploymentsFile: string;
  /** The genesis members: ids 0..nodes-1, member i's JSON-RPC at rpcPort + i. */
  readonly nodes: number;
  readonly rpcPort: number;
  /** The npm start process (the supervisor of the genesis members). */
  readonly pid: number;
}

export function writeDevnetState(dataDir: string, state: DevnetState): void {
  writeFileSync(join(dataDir, DEVNET_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** The running devnet's state; NO_DEVNET when the data dir has none, or its `npm start` is gone. */
export function readDevnetState(dataDir: string): DevnetState {
  const file = join(dataDir, DEVNET_STATE_FILE);
  if (!existsSync(file)) throw new DevnetError("NO_DEVNET", `no running devnet in ${dataDir} (no ${DEVNET_STATE_FILE}): start one with \`npm start\` (or name its --data-dir)`);
  const state = JSON.parse(readFileSync(file, "utf8")) as DevnetState;
  if (!isRunning(state.pid)) throw new DevnetError("NO_DEVNET", `the devnet in ${dataDir} is not running (its npm start, pid ${state.pid}, is gone): start one with \`npm start -- --reset\``);
  return state;
}

/** Removed by `npm start` when it stops: a later command must not act on a stopped devnet. */
export function clearDevnetState(dataDir: string): void {
  rmSync(join(dataDir, DEVNET_STATE_FILE), { force: true });
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const pidFile = (dataDir: string, memberId: number) => join(dataDir, `member-${memberId}.pid`);

/**
 * Starts `scripts/node.ts --config <configFile>` for member `memberId`, detached from this process
 * (it outlives the command that started it), appending to `member-<id>.log`; returns its pid and log.
 */
export function spawnJoinedMember(dataDir: string, memberId: number, configFile: string): { pid: number; logFile: string } {
  const logFile = join(dataDir, `member-${memberId}.log`);
  const out = openSync(logFile, "a");
  try {
    const child = spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", join(PROJECT_ROOT, "scripts", "node.ts"), "--config", configFile], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", out, out],
      detached: true,
    });
    if (child.pid === undefined) throw new DevnetError("PROCESS_EXITED", `could not start member ${memberId}`);
    child.unref();
    writeFileSync(pidFile(dataDir, memberId), `${JSON.stringify({ pid: child.pid, startTime: startTimeOf(child.pid) })}\n`);
    return { pid: child.pid, logFile };
  } finally {
    closeSync(out);
  }
}

/** The pid of admitted member `memberId`'s process if it runs, else undefined (also when its pid now names another process). */
export function joinedMemberPid(dataDir: string, memberId: number): number | undefined {
  const file = pidFile(dataDir, memberId);
  if (!existsSync(file)) return undefined;
  let record: { pid?: unknown; startTime?: unknown };
  try {
    record = JSON.parse(readFileSync(file, "utf8")) as typeof record;
  } catch {
    return undefined; // not a record this module wrote: nothing it may signal
  }
  const { pid, startTime } = record;
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0 || typeof startTime !== "string") return undefined;
  return startTimeOf(pid) === startTime ? pid : undefined;
}

/** SIGINT (the member's clean shutdown), SIGKILL after `graceMs`; resolves once it is gone, and removes its pid file. */
export async function stopJoinedMember(dataDir: string, memberId: number, graceMs: number): Promise<void> {
  const pid = joinedMemberPid(dataDir, memberId);
  if (pid !== undefined) {
    process.kill(pid, "SIGINT");
    const deadline = Date.now() + graceMs;
    while (joinedMemberPid(dataDir, memberId) === pid) {
      if (Date.now() > deadline) process.kill(pid, "SIGKILL");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  rmSync(pidFile(dataDir, memberId), { force: true });
}

/** Every admitted member that has a pid file in `dataDir`. */
export function joinedMembers(dataDir: string): number[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .map((f) => /^member-(\d+)\.pid$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}
