/**
 * The leader rule in whole runs (real BLS): with one member down from the start, Carousel stops
 * sending votes to it, every member agrees on the leader of each happy-path view, and fewer views
 * fail than under round-robin on the same seed.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Hex } from "viem";
import type { Proposal } from "../../src/consensus/index.ts";
import type { LeaderRuleName } from "../../src/consensus/leader.ts";
import { createScenario, runSimulation, type SimulationResult } from "../../src/sim/index.ts";
import { committee } from "../support/fixtures.ts";

const CRASHED = 1;

interface Observed {
  readonly result: SimulationResult;
  /** view -> the members honest voters sent their vote of that view to, on the happy path. */
  readonly voteTargets: Map<bigint, Set<number>>;
}

function runWithCrashedMember(leaderRule: LeaderRuleName, seed: number): Observed {
  const scenario = createScenario({ nodes: 4, faulty: 1, behaviour: "crash", seed, views: 60, stableAfter: 1600 }, committee(4));
  const blocks = new Map<Hex, Proposal>();
  const voteTargets = new Map<bigint, Set<number>>();
  const result = runSimulation({
    ...scenario,
    leaderRule,
    crashes: [{ member: CRASHED, at: 0 }],
    trace: (_now, _member, _event, actions) => {
      for (const a of actions) if (a.type === "persist-block") blocks.set(a.hash, a.proposal);
      for (const a of actions) {
        if (a.type !== "send" || a.message.kind !== "vote") continue;
        // Happy path: the voted block and its parent each extend the QC of the view just before.
        const voted = blocks.get(a.message.vote.blockHash)?.block;
        const parent = voted === undefined ? undefined : blocks.get(voted.header.parentHash)?.block;
        if (voted === undefined || parent === undefined) continue;
        if (voted.justify.view + 1n !== voted.header.view || parent.justify.view + 1n !== parent.header.view) continue;
        const targets = voteTargets.get(a.message.vote.view) ?? new Set<number>();
        voteTargets.set(a.message.vote.view, targets.add(a.to));
      }
    },
  });
  assert.deepEqual(result.violations, [], `seed ${seed}, ${leaderRule}: invariant violated`);
  return { result, voteTargets };
}

describe("leader rule with a crashed member (real BLS)", () => {
  for (const seed of [1, 2]) {
    test(`seed ${seed}: after warm-up, Carousel never sends a happy-path vote to the crashed member, and voters agree on the leader`, () => {
      const { result, voteTargets } = runWithCrashedMember("carousel", seed);
      assert.ok(result.committedBlocks >= 20, `only ${result.committedBlocks} blocks committed`);
      let checked = 0;
      for (const [view, targets] of voteTargets) {
        if (view < 4n) continue; // views 1..3 read genesis: round-robin
        assert.equal(targets.size, 1, `view ${view}: votes went to ${[...targets]}`);
        assert.ok(!targets.has(CRASHED), `view ${view}: a vote went to the crashed member`);
        checked++;
      }
      assert.ok(checked >= 20, `only ${checked} happy-path views`);
    });
  }

  test("on the same seed, Carousel fails fewer views than round-robin", () => {
    const carousel = runWithCrashedMember("carousel", 3).result;
    const robin = runWithCrashedMember("round-robin", 3).result;
    assert.ok(carousel.failedViews < robin.failedViews, `carousel ${carousel.failedViews}, round-robin ${robin.failedViews}`);
  });
});
