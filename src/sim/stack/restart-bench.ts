/**
 * `npm run bench:restart` (issue 9: "a member restarted after 50,000 blocks is voting again in
 * about the time it takes after 500"): the whole-member simulator's world (real replicas on real
 * SQLite stores, simulated links, clock and L1; the fast simulation signer) runs a 4-member
 * committee, without transactions and without faults, until N blocks are committed; then one
 * host crashes (replica dropped, store closed, as a SIGKILL leaves it), the others go on for a
 * little while, and the host is restarted from its store. Measured on the wall clock and in
 * this process's CPU time, from the restart call:
 *  - `restartCallMs`: the restart call itself (store open, restore, replica start): all of it is
 *    the restarted host's own work, synchronous;
 *  - `firstVoteMs`: until the host sends its first vote;
 *  - `caughtUpMs`: until its committed height reaches the others' highest.
 * The last two include the other hosts' work in the same thread (they keep making blocks) and
 * the simulated network's latency in virtual time (also reported, `...VirtualMs`).
 *
 * Generating the chain is the slow part (every host executes and stores every block); its time
 * is reported too. Views are short in virtual time (STACK_TIMING), so virtual time costs nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimHost } from "./host.ts";
import { L1_BLOCK_MS } from "./run.ts";
import { SimulatedL1 } from "./simulated-l1.ts";
import { kindOf, World } from "./world.ts";

export interface RestartBenchOptions {
  /** Committed blocks before the crash. */
  readonly blocks: number;
  /** The host crashed and restarted (default 3). */
  readonly host?: number;
  /** Virtual ms the others run on while it is down (default 10,000: some blocks to catch up on). */
  readonly downMs?: number;
  readonly seed?: number;
  /** Progress lines (generation), at most every 5 s of wall time. */
  readonly say?: (line: string) => void;
}

export interface RestartFigures {
  readonly blocks: number;
  /** Wall seconds to commit the N blocks, and blocks per second. */
  readonly generateSeconds: number;
  readonly generateBlocksPerSec: number;
  /** Blocks in the restarted host's store (what restore may have to read). */
  readonly heightAtCrash: number;
  readonly othersHeightAtRestart: number;
  readonly restartCallMs: number;
  readonly restartCallCpuMs: number;
  readonly firstVoteMs: number | null;
  readonly firstVoteCpuMs: number | null;
  readonly firstVoteVirtualMs: number | null;
  readonly caughtUpMs: number | null;
  readonly caughtUpCpuMs: number | null;
  readonly caughtUpVirtualMs: number | null;
  /** Store size on disk of the restarted host, MB. */
  readonly storeMb: number;
}

const N = 4;
const round = (x: number) => Math.round(x * 10) / 10;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

function scratchRoot(): string {
  return existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

/** One run: N blocks, crash, restart, first vote and catch-up. The stores are deleted afterwards. */
export function runRestartBench(o: RestartBenchOptions): RestartFigures {
  const victim = o.host ?? 3;
  const downMs = o.downMs ?? 10_000;
  const say = o.say ?? (() => {});
  if (!Number.isSafeInteger(o.blocks) || o.blocks < 1) throw new RangeError(`blocks must be a positive integer, got ${o.blocks}`);
  if (!Number.isInteger(victim) || victim < 0 || victim >= N) throw new RangeError(`host must be 0..${N - 1}, got ${victim}`);
  const dir = mkdtempSync(join(scratchRoot(), "hotstuff-bench-restart-"));
  try {
    // No loss, no partitions: a fault-free network with a little latency.
    const world = new World(o.seed ?? 1, { minLatency: 1, maxLatency: 5, loss: 0, duplication: 0, partitions: [], drops: [], stableAfter: 0 });
    const genesis = Array.from({ length: N }, (_, i) => i);
    const l1 = new SimulatedL1(() => world.now, L1_BLOCK_MS, genesis);
    const heights = new Map<number, number>();
    let watchVote = false;
    let firstVote: { wall: number; cpu: number; virtual: number } | undefined;
    let t0 = 0;
    let cpu0 = process.cpuUsage();
    const observer = {
      log: (host: SimHost, level: string, event: string, fields: Record<string, unknown>) => {
        if (event === "block.committed") heights.set(host.id, Number(fields.number as bigint));
        else if (level === "error") say(`host ${host.id}: ${event} ${JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
      },
      sent: (host: SimHost, _to: number | "all", data: string) => {
        if (watchVote && firstVote === undefined && host.id === victim && kindOf(data) === "vote") {
          firstVote = { wall: performance.now() - t0, cpu: cpuMs(cpu0), virtual: world.now };
        }
      },
    };
    const hosts = genesis.map((id) => {
      const hostDir = join(dir, `host-${id}`);
      mkdirSync(hostDir, { recursive: true });
      const host = new SimHost(world, l1, observer, { id, member: id, configured: N, genesisMembers: genesis, dir: hostDir, scheme: "fast", l1LagMs: 0, originDelayMs: 100 });
      world.add(host);
      return host;
    });
    for (const host of hosts) world.at(0, () => host.start());

    const target = o.blocks;
    const height = (id: number) => heights.get(id) ?? 0;
    const othersBest = () => Math.max(...hosts.filter((h) => h.id !== victim).map((h) => height(h.id)));
    const started = performance.now();
    let lastSay = started;
    const FAR = Number.MAX_SAFE_INTEGER;
    world.run(FAR, () => {
      const now = performance.now();
      if (now - lastSay > 5_000) {
        lastSay = now;
        const h = height(victim);
        say(`  ${h}/${target} blocks, ${round((now - started) / 1000)} s, ${round((h * 1000) / (now - started))} blocks/s`);
      }
      return height(victim) >= target;
    });
    const generateSeconds = (performance.now() - started) / 1000;
    const heightAtCrash = height(victim);
    say(`${heightAtCrash} blocks in ${round(generateSeconds)} s; crashing host ${victim}`);
    hosts[victim]!.crash();
    // The others go on for downMs of virtual time.
    const resumeAt = world.now + downMs;
    world.run(resumeAt, () => false);
    const othersHeightAtRestart = othersBest();

    watchVote = true;
    const virtual0 = world.now;
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    hosts[victim]!.restart();
    const restartCallMs = performance.now() - t0;
    const restartCallCpuMs = cpuMs(cpu0);
    let caughtUp: { wall: number; cpu: number; virtual: number } | undefined;
    // Bounded in virtual time: a member that never votes again within 10 minutes of it is a finding.
    world.run(virtual0 + 600_000, () => {
      if (caughtUp === undefined && height(victim) >= othersBest()) caughtUp = { wall: performance.now() - t0, cpu: cpuMs(cpu0), virtual: world.now };
      return caughtUp !== undefined && firstVote !== undefined;
    });
    const fv = firstVote as { wall: number; cpu: number; virtual: number } | undefined;
    const storeMb = storeSizeMb(join(dir, `host-${victim}`));
    for (const h of hosts) h.crash();
    return {
      blocks: target,
      generateSeconds: round(generateSeconds),
      generateBlocksPerSec: round(heightAtCrash / generateSeconds),
      heightAtCrash,
      othersHeightAtRestart,
      restartCallMs: round(restartCallMs),
      restartCallCpuMs: round(restartCallCpuMs),
      firstVoteMs: fv === undefined ? null : round(fv.wall),
      firstVoteCpuMs: fv === undefined ? null : round(fv.cpu),
      firstVoteVirtualMs: fv === undefined ? null : fv.virtual - virtual0,
      caughtUpMs: caughtUp === undefined ? null : round(caughtUp.wall),
      caughtUpCpuMs: caughtUp === undefined ? null : round(caughtUp.cpu),
      caughtUpVirtualMs: caughtUp === undefined ? null : caughtUp.virtual - virtual0,
      storeMb: round(storeMb),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function storeSizeMb(dir: string): number {
  let bytes = 0;
  for (const name of ["store.sqlite", "store.sqlite-wal"]) if (existsSync(join(dir, name))) bytes += statSync(join(dir, name)).size;
  return bytes / 1e6;
}
