/**
 * Scenario tests with real BLS12-381 signatures: one per behaviour, named like the protocol.
 * Each runs the deterministic simulator on a lossy, reordering network that stabilises at
 * a fixed time, and asserts agreement (no violation of any invariant) plus what the scenario is
 * about: evidence against the right member, progress after a crash, a heal, or a restart.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createScenario, runSimulation, type ScenarioOptions, type SimulationResult } from "../../src/sim/index.ts";
import { committee } from "../support/fixtures.ts";

/** Faults happen early and the network stabilises at STABLE, to keep real-BLS runs short. */
const STABLE = 1600;

function run(options: ScenarioOptions, minTime?: number, wire = false): SimulationResult {
  const config = { ...createScenario({ stableAfter: STABLE, ...options }, committee(options.nodes)), wire };
  const result = runSimulation(minTime === undefined ? config : { ...config, minTime });
  assert.deepEqual(result.violations, [], `seed ${options.seed}: invariant violated`);
  return result;
}

const honestHeights = (r: SimulationResult, faulty: number[]) => r.heights.filter((_, i) => !faulty.includes(i));

describe("scenarios (real BLS)", () => {
  test("n = 4, all honest on a lossy network, every message through the wire codec: every member commits the same chain", () => {
    const r = run({ nodes: 4, faulty: 0, behaviour: "none", seed: 1, views: 14 }, undefined, true);
    assert.ok(r.committedBlocks >= 8, `only ${r.committedBlocks} blocks committed`);
    assert.ok(Math.min(...r.heights) >= 8);
  });

  test("the leader of view 1 equivocates; honest members still agree and evidence names it", () => {
    const r = run({ nodes: 4, faulty: 1, behaviour: "equivocate", seed: 7, views: 10 });
    assert.ok(r.evidence.some((e) => e.kind === "proposal" && e.signer === 1 && e.view === 1n), JSON.stringify(r.evidence.map(String)));
    assert.ok(r.evidence.every((e) => e.signer === 1));
    assert.ok(r.committedBlocks >= 4);
  });

  test("a member double-votes; the next leader reports it and honest members still commit", () => {
    const r = run({ nodes: 4, faulty: 1, behaviour: "double-vote", seed: 3, views: 8 });
    assert.ok(r.evidence.some((e) => e.kind === "vote" && e.signer === 1));
    assert.ok(r.committedBlocks >= 4);
  });

  test("a silent member: the three others still commit without it", () => {
    const r = run({ nodes: 4, faulty: 1, behaviour: "silent", seed: 5, views: 12 });
    assert.ok(Math.min(...honestHeights(r, [1])) >= 3);
    assert.equal(r.evidence.length, 0);
  });

  test("a member votes ignoring its lock and the voting rule; honest committed chains still agree", () => {
    const r = run({ nodes: 4, faulty: 1, behaviour: "ignore-lock", seed: 11, views: 10 });
    assert.ok(r.committedBlocks >= 5);
  });

  test("a leader crashes; the others time out, form TCs and keep committing", () => {
    // The window covers Carousel's warm-up: the crashed member signed the QCs of the blocks
    // committed just before its crash, so it may still be picked (and the round-robin fallback
    // after those timeouts may pick it again) until blocks signed without it are committed.
    const r = run({ nodes: 4, faulty: 1, behaviour: "crash", seed: 2, views: 10 }, STABLE + 4000);
    for (const [i, h] of r.heightsAtStable.entries()) if (i !== 1) assert.ok(r.heights[i]! > h + 2, `member ${i} stalled at ${h}`);
  });

  test("a partition splits the committee in halves; nothing is lost, and after it heals everyone commits again", () => {
    const r = run({ nodes: 4, faulty: 0, behaviour: "partition", seed: 4, views: 10 }, STABLE + 500);
    const atHeal = Math.max(...r.heightsAtStable);
    for (const h of r.heights) assert.ok(h > atHeal + 2, `a member stayed at ${h} after the heal (others were at ${atHeal})`);
  });

  test("a member restarts after voting: it never signs twice in a view and catches up", () => {
    const r = run({ nodes: 4, faulty: 1, behaviour: "restart", seed: 9, views: 10 }, STABLE + 500);
    // The restarted member is honest: the invariants covered its signatures across the restart.
    assert.ok(r.heights[1]! > r.heightsAtStable[1]!, "the restarted member did not catch up");
    assert.ok(Math.min(...r.heights) >= r.heightsAtStable[0]!);
  });

  test("n = 7 with two equivocating leaders in a row: agreement holds and evidence names both", () => {
    const r = run({ nodes: 7, faulty: 2, behaviour: "equivocate", seed: 13, views: 9 });
    const named = new Set(r.evidence.map((e) => e.signer));
    // Member 1's votes go to member 2 (faulty), so its equivocation surfaces only through the
    // proposals the honest members attach to their timeouts when the split view fails.
    assert.deepEqual([...named].sort(), [1, 2]);
    assert.ok(r.committedBlocks >= 2);
  });

  test("n = 10 with three double-voting members: agreement holds and evidence names only them", () => {
    const r = run({ nodes: 10, faulty: 3, behaviour: "double-vote", seed: 17, views: 6 });
    assert.ok(r.evidence.length > 0);
    for (const e of r.evidence) assert.ok([1, 2, 3].includes(e.signer));
    assert.ok(r.committedBlocks >= 2);
  });
});
