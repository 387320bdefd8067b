/** The deterministic simulator (see simulation.ts); scenarios.ts names the canned runs. */
export { runSimulation, SIM_DOMAIN, type Crash, type SimulationConfig, type SimulationResult } from "./simulation.ts";
export { createScenario, faultyMembers, BEHAVIOURS, SIM_PACEMAKER, STABLE_AFTER, type BehaviourName, type ScenarioOptions } from "./scenarios.ts";
export { createBlsCommittee, memberKey, type Committee } from "./committee.ts";
export { Random } from "./random.ts";
export { CALM_NETWORK, type NetworkConfig, type Partition } from "./network.ts";
export * from "../byzantine/index.ts";
