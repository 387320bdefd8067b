/**
 * One run of the whole-member simulator (`npm run sim:stack`): the schedule of a seed played on
 * real replicas and real stores, with the invariants of checks.ts judged throughout and liveness
 * judged after the network heals: by the deadline every honest member must have committed again,
 * caught up with the highest honest height, and switched to every epoch L1 started that it belongs
 * to (or left the ones it was removed from).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StackChecks } from "./checks.ts";
import { SimHost } from "./host.ts";
import { scheduleOf, type Family, type StackSchedule } from "./schedule.ts";
import { SimulatedL1 } from "./simulated-l1.ts";
import { World } from "./world.ts";

export interface StackRunOptions {
  readonly scheme?: "fast" | "bls";
  readonly family?: Family;
  /** Keep the hosts' stores (to inspect a failing run); they are deleted otherwise. */
  readonly keep?: boolean;
  /** Sees every log line of every host, with the virtual time (to replay a failing seed). */
  readonly trace?: (at: number, host: number, level: string, event: string, fields: Record<string, unknown>) => void;
}

export interface StackRunResult {
  readonly seed: number;
  readonly family: Family;
  readonly n: number;
  readonly scheme: "fast" | "bls";
  readonly safetyViolations: readonly string[];
  readonly epochSplits: readonly string[];
  /** Why liveness failed after the network healed; undefined when it did not. */
  readonly stalled: string | undefined;
  readonly epochChanges: number;
  readonly crashes: number;
  readonly twins: boolean;
  readonly flooders: number;
  readonly steps: number;
  readonly virtualMs: number;
  readonly targetedDrops: number;
  /** Each host at the end: epoch, view, committed height (for a failing run's report). */
  readonly hosts: readonly string[];
  readonly dir?: string;
}

/** Blocks each honest member must commit after the network healed, and how close to the best it must end. */
const PROGRESS_AFTER_HEAL = 3n;
export const L1_BLOCK_MS = 500;
const ORIGIN_DELAY_MS = 100;

function scratchRoot(): string {
  // Real SQLite files, on tmpfs when there is one: the stores' fsyncs are then cheap.
  const shm = "/dev/shm";
  return existsSync(shm) ? shm : tmpdir();
}

export function runStack(seed: number, options: StackRunOptions = {}): StackRunResult {
  return runSchedule(scheduleOf(seed, options.family), options);
}

/** Plays a schedule (a seed's, or one a scenario test wrote by hand). */
export function runSchedule(schedule: StackSchedule, options: StackRunOptions = {}): StackRunResult {
  const scheme = options.scheme ?? "fast";
  const dir = mkdtempSync(join(scratchRoot(), `hotstuff-stack-${schedule.seed}-`));
  try {
    return play(schedule, scheme, dir, options);
  } finally {
    if (options.keep !== true) rmSync(dir, { recursive: true, force: true });
  }
}

function play(s: StackSchedule, scheme: "fast" | "bls", dir: string, options: StackRunOptions): StackRunResult {
  const keep = options.keep === true;
  const world = new World(s.seed, s.network);
  const genesis = Array.from({ length: s.n }, (_, i) => i);
  const l1 = new SimulatedL1(() => world.now, L1_BLOCK_MS, genesis);
  // Twins and flooders are Byzantine: no invariant is owed by their hosts, and evidence against them is fair.
  const twins = new Set(s.hosts.filter((h) => h.twin || h.mode !== undefined).map((h) => h.id));
  const byzantine = new Set([...s.byzantine, ...(s.flooders ?? [])]);
  const checks = new StackChecks(
    (host) => !twins.has(host.id),
    (epoch, signer) => {
      const member = l1.epochs.find((e) => e.epoch === epoch)?.members[signer];
      return member !== undefined && !byzantine.has(member);
    },
  );
  const trace = options.trace;
  const observer = {
    log: (host: SimHost, level: Parameters<StackChecks["log"]>[1], event: string, fields: Record<string, unknown>) => {
      trace?.(world.now, host.id, level, event, fields);
      checks.log(host, level, event, fields);
    },
    sent: (host: SimHost, _to: number | "all", data: string) => checks.sent(host, data),
  };
  // The spare member runs from the start, outside the committee until L1 admits it.
  const plans = [...s.hosts, ...(s.epochs.some((e) => e.members.includes(s.n)) ? [{ id: s.hosts.length, member: s.n, twin: false, l1LagMs: 0 }] : [])];
  const hosts = plans.map((p) => {
    const hostDir = join(dir, `host-${p.id}`);
    mkdirSync(hostDir, { recursive: true });
    const host = new SimHost(world, l1, observer, { id: p.id, member: p.member, configured: s.configured, genesisMembers: genesis, dir: hostDir, scheme, l1LagMs: p.l1LagMs, originDelayMs: ORIGIN_DELAY_MS, ...("mode" in p && p.mode !== undefined ? { mode: p.mode } : {}) });
    world.add(host);
    return host;
  });
  for (const host of hosts) world.at(0, () => host.start());
  for (const c of s.crashes) {
    world.at(c.at, () => hosts[c.host]!.crash());
    if (Number.isFinite(c.restartAt)) world.at(c.restartAt, () => hosts[c.host]!.restart());
  }
  for (const e of s.epochs) world.at(e.at, () => l1.startEpoch(e.members));
  // Memory is checked every 250 virtual ms.
  for (let t = 250; t < s.deadline; t += 250) world.at(t, () => hosts.forEach((h) => checks.memory(h)));

  // Liveness is owed by the honest members of the last committee L1 started (a removed member stops).
  const last = s.epochs.length === 0 ? genesis : s.epochs[s.epochs.length - 1]!.members;
  const dead = new Set(s.crashes.filter((c) => !Number.isFinite(c.restartAt)).map((c) => c.host));
  const honest = hosts.filter((h) => !twins.has(h.id) && !dead.has(h.id) && last.includes(h.member));
  let healedAt: bigint | undefined;
  world.at(s.stableAt, () => (healedAt = checks.maxHeight));
  const caughtUp = (): string | undefined => {
    if (healedAt === undefined) return "the network has not healed yet";
    const best = checks.maxHeight;
    for (const h of honest) {
      const height = checks.heights.get(h.id) ?? 0n;
      if (height < healedAt + PROGRESS_AFTER_HEAL) return `host ${h.id} (member ${h.member}) at height ${height}: no progress after the network healed at height ${healedAt}`;
      if (height + 2n < best) return `host ${h.id} (member ${h.member}) at height ${height}, behind the best honest height ${best}`;
      const epochs = l1.epochs.filter((e) => e.epoch > 1n);
      for (const e of epochs) {
        if (!checks.switches.get(h.id)?.has(e.epoch)) return `host ${h.id} (member ${h.member}) never switched to epoch ${e.epoch} (L1 block ${e.l1Block})`;
      }
    }
    return undefined;
  };
  const steps = world.run(s.deadline, () => checks.safetyViolations.length > 0 || checks.epochSplits.length > 0 || (world.now > s.stableAt && l1.epochs.length === s.epochs.length + 1 && caughtUp() === undefined));
  const stalled = checks.safetyViolations.length > 0 || checks.epochSplits.length > 0 ? undefined : caughtUp();
  const states = hosts.map((h) => {
    const r = h.replica;
    return r === undefined ? `host ${h.id}: down` : `host ${h.id} (member ${h.member}${twins.has(h.id) ? ", byzantine" : ""}): epoch ${r.epoch.epoch} view ${r.core.view} height ${r.chain.states.committedHead.header.number} highQc ${r.core.safety.highQc.view} refused ${JSON.stringify(r.budget.refusals())}`;
  });
  for (const h of hosts) h.crash();
  const epochChanges = [...checks.switches.values()].reduce((a, m) => a + m.size, 0);
  return {
    seed: s.seed,
    family: s.family,
    n: s.n,
    scheme,
    safetyViolations: checks.safetyViolations,
    epochSplits: checks.epochSplits,
    stalled,
    epochChanges,
    crashes: s.crashes.length,
    twins: s.hosts.some((h) => h.twin),
    flooders: s.flooders?.length ?? 0,
    steps,
    virtualMs: world.now,
    targetedDrops: world.targetedDrops,
    hosts: states,
    ...(keep ? { dir } : {}),
  };
}
