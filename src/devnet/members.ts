/**
 * The devnet's committee members: their ports, and one `scripts/node.ts` process per config
 * (the configs come from the node's own generator, src/node/devnet.ts writeL1MemberConfigs,
 * which owns the format), its output appended to `<dataDir>/member-<i>.log`.
 *
 * Stopping follows the member's own clean shutdown: SIGINT (scripts/node.ts closes RPC, queues
 * and the store), then SIGKILL only if it is still there after the grace period.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startChild, waitUntilReady, type Child, type ChildExit } from "./child.ts";
import { checkPortFree, findFreePorts } from "./ports.ts";
import { callRpc } from "./rpc.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface MemberPorts {
  readonly p2p: number;
  readonly rpc: number;
  readonly metrics: number;
}

/**
 * Every member's ports: RPC at rpcBase + i (documented endpoints); p2p and metrics at their
 * bases + i when given, else free ports. Refuses a busy port before anything is spawned.
 */
export async function memberPorts(nodes: number, bases: { rpc: number; p2p: number | undefined; metrics: number | undefined }): Promise<MemberPorts[]> {
  const free = await findFreePorts((bases.p2p === undefined ? nodes : 0) + (bases.metrics === undefined ? nodes : 0));
  const ports = Array.from({ length: nodes }, (_, i) => ({
    rpc: bases.rpc + i,
    p2p: bases.p2p === undefined ? free.shift()! : bases.p2p + i,
    metrics: bases.metrics === undefined ? free.shift()! : bases.metrics + i,
  }));
  for (const [i, p] of ports.entries()) {
    await checkPortFree(p.rpc, "127.0.0.1", `member ${i} JSON-RPC`);
    await checkPortFree(p.p2p, "127.0.0.1", `member ${i} p2p`);
    await checkPortFree(p.metrics, "127.0.0.1", `member ${i} metrics`);
  }
  return ports;
}

export interface RunningMember {
  readonly index: number;
  readonly rpcUrl: string;
  readonly logFile: string;
  /** What it was started with: a restart starts the same config (same store, keys and ports). */
  readonly configFile: string;
  readonly child: Child;
}

/** Spawns `scripts/node.ts --config <file>` for one member. */
export async function startMember(index: number, configFile: string, rpcUrl: string, logDir: string): Promise<RunningMember> {
  const logFile = join(logDir, `member-${index}.log`);
  const child = await startChild({
    name: `member ${index}`,
    command: process.execPath,
    args: ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", join(PROJECT_ROOT, "scripts", "node.ts"), "--config", configFile],
    cwd: PROJECT_ROOT,
    logFile,
    detached: true,
  });
  return { index, rpcUrl, logFile, configFile, child };
}

/** Waits until the member's JSON-RPC answers; fails with its output tail if it exits first. */
export async function waitForMember(member: RunningMember, timeoutMs = 60_000): Promise<void> {
  await waitUntilReady(member.child, `member ${member.index} (log ${member.logFile})`, async () => (await callRpc<string>(member.rpcUrl, "eth_chainId", [], 1_000)) !== undefined, timeoutMs);
}

/** How long a member may take over its clean shutdown (queues drain, store closes). */
export const MEMBER_STOP_GRACE_MS = 10_000;

/**
 * SIGINT (the member's clean shutdown), SIGKILL after `graceMs`. Resolves true when it stopped
 * by itself (or had already exited), false when it had to be killed.
 */
export async function stopMember(member: RunningMember, graceMs = MEMBER_STOP_GRACE_MS): Promise<boolean> {
  const alreadyGone = member.child.exited();
  const exit = await member.child.stop(graceMs, "SIGINT");
  return alreadyGone || exit.signal !== "SIGKILL";
}

/**
 * A crash: SIGKILL, no clean shutdown (what was not yet durable in its store is lost, as when a
 * machine dies). Resolves once the process is gone.
 */
export async function killMember(member: RunningMember): Promise<ChildExit> {
  return await member.child.stop(0, "SIGKILL");
}

/**
 * Starts a stopped (or killed) member again from its own config, store and ports, appending to
 * the same log, and waits until its JSON-RPC answers. The caller replaces its RunningMember
 * with the one returned.
 */
export async function restartMember(member: RunningMember, timeoutMs = 60_000): Promise<RunningMember> {
  if (!member.child.exited()) throw new RangeError(`member ${member.index} (pid ${member.child.pid}) is still running: stop or kill it first`);
  const restarted = await startMember(member.index, member.configFile, member.rpcUrl, dirname(member.logFile));
  try {
    await waitForMember(restarted, timeoutMs);
  } catch (e) {
    // Not handed to the caller, so nobody else would stop it.
    await stopMember(restarted);
    throw e;
  }
  return restarted;
}
