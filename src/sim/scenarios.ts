/**
 * Named simulations, shared by `npm run sim` and the tests: a behaviour name plus committee size,
 * number of faulty members, seed and views become a full SimulationConfig.
 *
 * Faulty members are members 1..faulty (member 1 leads view 1, so a faulty leader acts at once).
 * Every scenario starts on a mildly unreliable network (loss, duplication, reordering) that
 * stabilises after STABLE_AFTER ms of virtual time.
 */
import { faultTolerance } from "../crypto/index.ts";
import type { PacemakerConfig } from "../consensus/index.ts";
import { doubleVote, equivocate, ignoreLock, silent, type Behaviour } from "../byzantine/index.ts";
import type { Committee } from "./committee.ts";
import type { NetworkConfig } from "./network.ts";
import type { Crash, SimulationConfig } from "./simulation.ts";

export const BEHAVIOURS = ["none", "crash", "silent", "equivocate", "double-vote", "ignore-lock", "partition", "restart"] as const;
export type BehaviourName = (typeof BEHAVIOURS)[number];

export const SIM_PACEMAKER: PacemakerConfig = { baseTimeout: 400, backoffFactor: 1.5, maxTimeout: 4000 };
export const STABLE_AFTER = 4000;

export interface ScenarioOptions {
  readonly nodes: number;
  readonly faulty: number;
  readonly behaviour: BehaviourName;
  readonly seed: number;
  readonly views: number;
  /** When the network stabilises (default STABLE_AFTER); crashes and partitions scale with it. */
  readonly stableAfter?: number;
}

const BYZANTINE: Partial<Record<BehaviourName, () => Behaviour>> = {
  silent,
  equivocate,
  "double-vote": doubleVote,
  "ignore-lock": ignoreLock,
};

export function faultyMembers(options: ScenarioOptions): number[] {
  const count = options.behaviour === "none" || options.behaviour === "partition" ? 0 : options.faulty;
  return Array.from({ length: count }, (_, k) => k + 1);
}

export function createScenario(options: ScenarioOptions, committee: Committee): SimulationConfig {
  const { nodes, behaviour, seed, views } = options;
  const stable = options.stableAfter ?? STABLE_AFTER;
  const at = (fraction: number) => Math.round(stable * fraction);
  if (options.faulty > faultTolerance(nodes)) throw new RangeError(`at most f = ${faultTolerance(nodes)} faulty members among ${nodes}`);
  const faulty = faultyMembers(options);
  const byzantine = new Map<number, Behaviour>();
  const crashes: Crash[] = [];
  const strategy = BYZANTINE[behaviour];
  if (strategy !== undefined) for (const m of faulty) byzantine.set(m, strategy());
  if (behaviour === "crash") for (const m of faulty) crashes.push({ member: m, at: at(0.35) });
  if (behaviour === "restart") {
    for (const [k, m] of faulty.entries()) crashes.push({ member: m, at: at(0.35 + 0.1 * k), restartAt: at(0.7 + 0.1 * k) });
  }
  const half = Array.from({ length: Math.ceil(nodes / 2) }, (_, i) => i);
  const network: NetworkConfig = {
    minLatency: 5,
    maxLatency: 60,
    loss: 0.02,
    duplication: 0.02,
    partitions: behaviour === "partition" ? [{ from: at(0.25), until: stable, groups: [half] }] : [],
    stableAfter: stable,
  };
  return {
    n: nodes,
    seed,
    views,
    maxTime: stable + views * 2000,
    signers: committee.signers,
    verifier: committee.verifier,
    network,
    pacemaker: SIM_PACEMAKER,
    byzantine,
    crashes,
  };
}
