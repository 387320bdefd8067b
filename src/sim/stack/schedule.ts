/**
 * Seeded schedules for the whole-member simulator: who runs, who is Byzantine (Twins: one key on
 * two hosts in different partitions; a flooder: one host in the `flood` mode of src/byzantine/), who crashes and restarts when, which partitions and
 * targeted drops hold until when, and when L1 changes the committee (a slashing removes a member,
 * an admission adds the spare one). Everything heals at `stableAt`; liveness is judged after it.
 */
import { faultTolerance } from "../../crypto/index.ts";
import { Random } from "../random.ts";
import type { HostPartition, TargetedDrop, WorldNetwork } from "./world.ts";

export const FAMILIES = ["crash", "partition", "twins", "targeted", "epoch", "flood", "mixed"] as const;
export type Family = (typeof FAMILIES)[number];

export interface HostPlan {
  readonly id: number;
  readonly member: number;
  /** Twins share a member's key: the member is Byzantine and neither host counts as honest. */
  readonly twin: boolean;
  readonly l1LagMs: number;
  /** The member runs a Byzantine behaviour of src/byzantine/ (through its real replica); it is not honest. */
  readonly mode?: "flood";
}

export interface StackSchedule {
  readonly seed: number;
  readonly family: Family;
  /** Members of the genesis epoch (0..n-1); one more is configured, for admissions. */
  readonly n: number;
  readonly configured: number;
  readonly hosts: readonly HostPlan[];
  readonly byzantine: readonly number[];
  /** Members whose one host floods its peers (src/byzantine/flood.ts); Byzantine too. */
  readonly flooders?: readonly number[];
  /** restartAt Infinity: down for good (it then owes no liveness). */
  readonly crashes: readonly { readonly host: number; readonly at: number; readonly restartAt: number }[];
  readonly epochs: readonly { readonly at: number; readonly members: readonly number[] }[];
  readonly network: WorldNetwork;
  readonly stableAt: number;
  /** The run fails (stalls) if honest members have not caught up by then. */
  readonly deadline: number;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.int(0, items.length - 1)]!;
}

function pickDistinct(random: Random, pool: readonly number[], count: number): number[] {
  const rest = [...pool];
  const out: number[] = [];
  for (let k = 0; k < count && rest.length > 0; k++) out.push(rest.splice(random.int(0, rest.length - 1), 1)[0]!);
  return out;
}

export function scheduleOf(seed: number, family?: Family): StackSchedule {
  const random = new Random(seed);
  const fam: Family = family ?? pick(random, FAMILIES);
  const n = random.chance(0.75) ? 4 : pick(random, [5, 7]);
  const f = faultTolerance(n);
  const members = Array.from({ length: n }, (_, i) => i);
  const stableAt = random.int(3_000, 8_000);
  const byzantine = fam === "twins" || (fam === "mixed" && random.chance(0.5)) ? pickDistinct(random, members, 1) : [];
  // A flooder is one more faulty member, so a schedule never has both (at most f faulty).
  const flooders = fam === "flood" || (fam === "mixed" && byzantine.length === 0 && random.chance(0.4)) ? pickDistinct(random, members, 1) : [];
  const hosts: HostPlan[] = members.map((m) => ({ id: m, member: m, twin: byzantine.includes(m), l1LagMs: random.int(0, 60), ...(flooders.includes(m) ? { mode: "flood" as const } : {}) }));
  for (const b of byzantine) hosts.push({ id: hosts.length, member: b, twin: true, l1LagMs: random.int(0, 60) });
  const faulty = [...byzantine, ...flooders];
  const honest = members.filter((m) => !faulty.includes(m));

  const partitions: HostPartition[] = [];
  if (fam === "twins") {
    // Each twin with part of the honest members: the classic Twins split.
    const side = pickDistinct(random, honest, random.int(1, honest.length - 1));
    const twinHosts = hosts.filter((h) => h.twin).map((h) => h.id);
    partitions.push({ from: random.int(0, 500), until: random.int(1_000, stableAt), groups: [[twinHosts[0]!, ...side]] });
  }
  if (fam === "partition" || fam === "mixed" || (fam === "epoch" && random.chance(0.3)) || (fam === "flood" && random.chance(0.5))) {
    for (let k = random.int(1, 2); k > 0; k--) {
      const from = random.int(0, stableAt - 500);
      partitions.push({ from, until: random.int(from + 200, stableAt), groups: [pickDistinct(random, hosts.map((h) => h.id), random.int(1, hosts.length - 1))] });
    }
  }

  const crashes: { host: number; at: number; restartAt: number }[] = [];
  if (fam === "crash" || fam === "mixed" || fam === "epoch" || fam === "flood") {
    // Crashed members restart before the network heals (liveness is owed after that), or stay down.
    for (const m of pickDistinct(random, honest, random.int(1, Math.max(1, f - faulty.length)))) {
      const at = random.int(0, stableAt - 600);
      // Some members of the crash family stay down for good: the others must still commit (the
      // leader rule must stop choosing a dead member, and timeouts must still form certificates).
      const forGood = fam === "crash" && crashes.length === 0 && random.chance(0.4);
      crashes.push({ host: m, at, restartAt: forGood ? Infinity : random.int(at + 100, stableAt - 100) });
    }
  }

  const epochs: { at: number; members: number[] }[] = [];
  if (fam === "epoch" || fam === "targeted" || (fam === "mixed" && random.chance(0.5)) || (fam === "flood" && random.chance(0.3))) {
    let current = [...members];
    for (let k = random.int(1, 2); k > 0; k--) {
      // A slashing removes the Byzantine member if there is one, else anyone (at least 3 stay);
      // an admission adds the configured spare. Honest members always keep a quorum.
      const byz = current.find((m) => faulty.includes(m));
      const canAdmit = !current.includes(n) && byz === undefined;
      if (byz !== undefined) current = current.filter((m) => m !== byz);
      else if (canAdmit && random.chance(0.4)) current = [...current, n];
      else if (current.length > 3) {
        const removed = pick(random, current);
        current = current.filter((m) => m !== removed);
      }
      else continue;
      epochs.push({ at: random.int(500, stableAt + 2_000), members: current });
    }
    epochs.sort((a, b) => a.at - b.at);
  }

  const drops: TargetedDrop[] = [];
  if (fam === "targeted" || fam === "mixed") {
    // Proposals (and the QCs and votes that would repair them) from one member reach one host only.
    for (let k = random.int(1, 3); k > 0; k--) {
      const from = pick(random, members);
      const start = epochs.length > 0 && random.chance(0.7) ? Math.max(0, epochs[0]!.at - random.int(0, 800)) : random.int(0, stableAt - 500);
      drops.push({ from, to: [pick(random, hosts.map((h) => h.id))], kinds: random.chance(0.5) ? ["proposal"] : ["proposal", "qc", "tc", "sync-response"], window: [start, Math.min(stableAt, start + random.int(300, 2_500))] });
    }
  }

  const lossy = fam !== "twins" && random.chance(0.5);
  const network: WorldNetwork = {
    minLatency: random.int(1, 10),
    maxLatency: random.int(15, 80),
    loss: lossy ? random.next() * 0.15 : 0,
    duplication: lossy ? random.next() * 0.1 : 0,
    partitions,
    drops,
    stableAfter: stableAt,
  };
  const lastEpoch = epochs.length === 0 ? 0 : epochs[epochs.length - 1]!.at;
  return { seed, family: fam, n, configured: n + 1, hosts, byzantine, flooders, crashes, epochs, network, stableAt, deadline: Math.max(stableAt, lastEpoch) + 30_000 };
}
