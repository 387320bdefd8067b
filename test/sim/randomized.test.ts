/**
 * Randomized seeded runs: committees of 4, 7 and 10 under random mixes of Byzantine behaviours,
 * crashes and restarts, and a hostile network (loss, duplication, reordering, partitions) that
 * stabilises at a random time. Every invariant is judged after every step; after stabilisation
 * every live honest member must keep committing. These runs use the TEST-ONLY fast signer
 * (test/support/fast-signer.ts), with the same interface and forgery detection as BLS, so that
 * hundreds of runs fit in seconds; the scenario tests cover real BLS.
 *
 * A failure prints the seed and the generated setup; `runRandomized(n, family, seed)` replays it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { faultTolerance } from "../../src/crypto/index.ts";
import {
  doubleVote,
  equivocate,
  ignoreLock,
  Random,
  runSimulation,
  silent,
  type Behaviour,
  type Crash,
  type Partition,
  type SimulationConfig,
  type SimulationResult,
} from "../../src/sim/index.ts";
import { createFastCommittee } from "../support/fast-signer.ts";

type Family = "byzantine" | "crash-restart" | "network";
const FAMILIES: Family[] = ["byzantine", "crash-restart", "network"];
const RUNS_PER_CASE = 24; // 3 sizes x 3 families x 24 = 216 runs
const BEHAVIOURS: (() => Behaviour)[] = [equivocate, doubleVote, silent, ignoreLock];

function pickDistinct(random: Random, n: number, count: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!);
  return out;
}

export function runRandomized(n: number, family: Family, seed: number, trace?: SimulationConfig["trace"]): { result: SimulationResult; setup: string } {
  const random = new Random(seed * 7919 + n * 31 + FAMILIES.indexOf(family));
  const stable = random.int(1000, 3000);
  const faulty = pickDistinct(random, n, family === "network" ? 0 : random.int(1, faultTolerance(n)));
  const byzantine = new Map<number, Behaviour>();
  const crashes: Crash[] = [];
  for (const m of faulty) {
    if (family === "byzantine") byzantine.set(m, BEHAVIOURS[random.int(0, BEHAVIOURS.length - 1)]!());
    else {
      const at = random.int(0, stable - 200);
      crashes.push(random.chance(0.6) ? { member: m, at, restartAt: at + random.int(100, 1500) } : { member: m, at });
    }
  }
  const partitions: Partition[] = [];
  for (let k = random.chance(family === "network" ? 0.9 : 0.3) ? random.int(1, 2) : 0; k > 0; k--) {
    const from = random.int(0, stable - 100);
    partitions.push({ from, until: random.int(from + 50, stable), groups: [pickDistinct(random, n, random.int(1, n - 1))] });
  }
  const minLatency = random.int(1, 10);
  const network = {
    minLatency,
    maxLatency: minLatency + random.int(5, 120),
    loss: random.next() * 0.15,
    duplication: random.next() * 0.1,
    partitions,
    stableAfter: stable,
  };
  const committee = createFastCommittee(n);
  const setup = JSON.stringify({
    n,
    family,
    seed,
    byzantine: [...byzantine].map(([m, b]) => `${m}:${b.name}`),
    crashes,
    network,
  });
  const result = runSimulation({
    n,
    seed,
    views: 1,
    // Long enough after stabilisation for f consecutive crashed leaders at the capped timeout.
    minTime: stable + 4000,
    maxTime: stable + 4000,
    signers: committee.signers,
    verifier: committee.verifier,
    network,
    pacemaker: { baseTimeout: 250, backoffFactor: 1.5, maxTimeout: 1000 },
    byzantine,
    crashes,
    wire: seed % 6 === 0,
    ...(trace === undefined ? {} : { trace }),
  });
  return { result, setup };
}

describe("randomized runs (fast test signer)", () => {
  for (const n of [4, 7, 10]) {
    for (const family of FAMILIES) {
      test(`n = ${n}, ${family}: ${RUNS_PER_CASE} seeded runs stay safe and live after the network stabilises`, () => {
        for (let seed = 1; seed <= RUNS_PER_CASE; seed++) {
          const { result, setup } = runRandomized(n, family, seed);
          const where = `seed ${seed} (replay: runRandomized(${n}, "${family}", ${seed})), setup ${setup}`;
          assert.deepEqual(result.violations, [], `safety violated at ${where}`);
          for (const [m, atStable] of result.heightsAtStable.entries()) {
            if (atStable < 0) continue; // faulty or down when the network stabilised
            assert.ok(result.heights[m]! >= atStable + 2, `member ${m} stalled at height ${result.heights[m]} (was ${atStable} at stabilisation), ${where}`);
          }
        }
      });
    }
  }
});
