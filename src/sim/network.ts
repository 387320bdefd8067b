/**
 * The simulated network: each message independently gets a random latency (so messages
 * reorder), may be lost, may be duplicated, and is dropped between members on different sides of
 * an active partition. After `stableAfter` (GST, the partial-synchrony "global stabilisation
 * time") nothing is lost and no partition holds: liveness is judged only from then on.
 */
import type { Random } from "./random.ts";

export interface Partition {
  readonly from: number;
  readonly until: number;
  /** Members in different groups cannot reach each other; unlisted members form one more group. */
  readonly groups: readonly (readonly number[])[];
}

export interface NetworkConfig {
  readonly minLatency: number;
  readonly maxLatency: number;
  readonly loss: number;
  readonly duplication: number;
  readonly partitions: readonly Partition[];
  readonly stableAfter: number;
}

export const CALM_NETWORK: NetworkConfig = { minLatency: 5, maxLatency: 40, loss: 0, duplication: 0, partitions: [], stableAfter: 0 };

function groupOf(p: Partition, member: number): number {
  const i = p.groups.findIndex((g) => g.includes(member));
  return i === -1 ? p.groups.length : i;
}

export function isPartitioned(config: NetworkConfig, now: number, a: number, b: number): boolean {
  return config.partitions.some((p) => now >= p.from && now < p.until && groupOf(p, a) !== groupOf(p, b));
}

/** When each copy of a message sent now from `from` to `to` arrives (empty when lost). */
export function scheduleDelivery(config: NetworkConfig, random: Random, now: number, from: number, to: number): number[] {
  if (isPartitioned(config, now, from, to)) return [];
  const unstable = now < config.stableAfter;
  if (unstable && random.chance(config.loss)) return [];
  const arrival = () => now + random.int(config.minLatency, config.maxLatency);
  return unstable && random.chance(config.duplication) ? [arrival(), arrival()] : [arrival()];
}
