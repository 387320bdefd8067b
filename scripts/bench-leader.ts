/**
 * Failed views (views that ended by timeout) with one member crashed for the whole run, per
 * leader rule, on the same seeds and network. Prints one JSON line per rule and a summary line.
 *
 *   node --experimental-strip-types scripts/bench-leader.ts [--nodes 4] [--views 300] [--seeds 5]
 */
import { parseArgs } from "node:util";
import { LEADER_RULES, type LeaderRuleName } from "../src/consensus/index.ts";
import { createBlsCommittee, createScenario, runSimulation } from "../src/sim/index.ts";

const { values } = parseArgs({ options: { nodes: { type: "string" }, views: { type: "string" }, seeds: { type: "string" } } });
const nodes = Number(values.nodes ?? 4);
const views = Number(values.views ?? 300);
const seeds = Number(values.seeds ?? 5);
const committee = createBlsCommittee(nodes);
const summary: Record<string, number> = {};
for (const leaderRule of Object.keys(LEADER_RULES) as LeaderRuleName[]) {
  let failedViews = 0;
  let committedBlocks = 0;
  let viewReached = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    // Member 1 is down from the start: it never votes, never proposes, never times out.
    const scenario = createScenario({ nodes, faulty: 1, behaviour: "crash", seed, views }, committee);
    const result = runSimulation({ ...scenario, leaderRule, crashes: [{ member: 1, at: 0 }] });
    if (result.violations.length > 0) throw new Error(`seed ${seed}, ${leaderRule}: ${result.violations[0]}`);
    failedViews += result.failedViews;
    committedBlocks += result.committedBlocks;
    viewReached += result.viewReached;
  }
  summary[leaderRule] = failedViews;
  console.log(JSON.stringify({ leaderRule, nodes, crashed: 1, views, seeds, failedViews, committedBlocks, viewReached }));
}
console.log(JSON.stringify({ failedViews: summary }));
