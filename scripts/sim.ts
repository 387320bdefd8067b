/**
 * Runs one named simulation with real BLS12-381 signatures and prints ONE JSON line:
 *   {nodes, faulty, behaviour, seed, views, committedBlocks, safetyViolations, evidence, failedViews, crypto}
 * Exit 0 only when no invariant was violated and blocks were committed; 1 otherwise; 2 for bad
 * arguments (with a usage message on stderr).
 *
 *   npm run sim -- --nodes 4 --faulty 1 --behaviour equivocate --seed 7 --views 300
 */
import { parseArgs } from "node:util";
import { faultTolerance } from "../src/crypto/index.ts";
import { BEHAVIOURS, createBlsCommittee, createScenario, runSimulation, type BehaviourName } from "../src/sim/index.ts";

const USAGE = `usage: npm run sim -- [--nodes N] [--faulty F] [--behaviour B] [--seed S] [--views V] [--verbose]
  --nodes      committee size, 4..64 (default 4)
  --faulty     faulty members, 0..floor((N-1)/3) (default floor((N-1)/3))
  --behaviour  one of: ${BEHAVIOURS.join(", ")} (default none)
  --seed       non-negative integer seeding network and faults (default 1)
  --views      run until every live honest member reaches this view, 1..100000 (default 100)
  --verbose    also print per-member heights and timing on stderr`;

function usage(problem: string): never {
  process.stderr.write(`sim: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) usage(`--${name} must be an integer, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min || n > max) usage(`--${name} must be in [${min}, ${max}], got ${n}`);
  return n;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      nodes: { type: "string" },
      faulty: { type: "string" },
      behaviour: { type: "string" },
      seed: { type: "string" },
      views: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
if (values.help === true) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
const nodes = integer("nodes", str("nodes"), 4, 4, 64);
const faulty = integer("faulty", str("faulty"), faultTolerance(nodes), 0, faultTolerance(nodes));
const behaviourArg = str("behaviour") ?? "none";
if (!(BEHAVIOURS as readonly string[]).includes(behaviourArg)) usage(`unknown --behaviour ${JSON.stringify(behaviourArg)}`);
const behaviour = behaviourArg as BehaviourName;
const seed = integer("seed", str("seed"), 1, 0, 2 ** 32 - 1);
const views = integer("views", str("views"), 100, 1, 100_000);

const started = performance.now();
const committee = createBlsCommittee(nodes);
const result = runSimulation(createScenario({ nodes, faulty, behaviour, seed, views }, committee));
const ok = result.violations.length === 0 && result.committedBlocks > 0;
const evidence = result.evidence.map((e) => ({ kind: e.kind, view: Number(e.view), signer: e.signer }));
console.log(
  JSON.stringify({
    nodes,
    faulty: behaviour === "none" || behaviour === "partition" ? 0 : faulty,
    behaviour,
    seed,
    views,
    committedBlocks: result.committedBlocks,
    safetyViolations: result.violations.length,
    evidence: evidence.length,
    failedViews: result.failedViews,
    crypto: committee.scheme,
  }),
);
if (values.verbose === true || !ok) {
  process.stderr.write(
    `${JSON.stringify({
      viewReached: result.viewReached,
      heights: result.heights,
      virtualMs: Math.round(result.time),
      steps: result.steps,
      wallMs: Math.round(performance.now() - started),
      evidence,
      violations: result.violations,
    })}\n`,
  );
}
process.exit(ok ? 0 : 1);
