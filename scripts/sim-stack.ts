/**
 * The whole-member adversarial simulator: the real member code (src/node/replica.ts) on real
 * SQLite stores, with only links, clock and L1 simulated, over seeded schedules of crashes,
 * restarts, partitions, Twins, flooding members, targeted drops and epoch changes (src/sim/stack). Prints ONE JSON
 * line:
 *   {runs, seed, safetyViolations, epochSplits, stalledRuns, epochChanges, crashes, twinsRuns, floodRuns, blsRuns, seconds}
 * and, when a run failed, its reasons and the command that replays it on stderr. Exit 0 only when
 * safetyViolations, epochSplits and stalledRuns are all 0; 1 otherwise; 2 for bad arguments.
 *
 *   npm run sim:stack -- --runs 10000 --seed 1
 *   npm run sim:stack -- --replay 4711           (one run, every member's log on stderr)
 */
import { parseArgs } from "node:util";
import { failed, runBatch, schemeOf } from "../src/sim/stack/batch.ts";
import { runStack } from "../src/sim/stack/run.ts";
import { FAMILIES, scheduleOf, type Family } from "../src/sim/stack/schedule.ts";

const USAGE = `usage: npm run sim:stack -- [--runs N] [--seed S] [--family F] [--bls-every K] [--workers W]
       npm run sim:stack -- --replay SEED [--family F] [--scheme fast|bls]
  --runs       runs, 1..1000000 (default 200); run k uses seed S + k
  --seed       first seed, a non-negative integer (default 1)
  --family     only schedules of one family: ${FAMILIES.join(", ")} (default: each run picks)
  --bls-every  one run in K signs with real BLS12-381, the rest with the fast simulation signer (default 50; 0: none)
  --workers    worker threads (default: one per core)
  --replay     run one seed with every member's log lines on stderr`;

function usage(problem: string): never {
  process.stderr.write(`sim:stack: ${problem}\n${USAGE}\n`);
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
      runs: { type: "string" },
      seed: { type: "string" },
      family: { type: "string" },
      "bls-every": { type: "string" },
      workers: { type: "string" },
      replay: { type: "string" },
      scheme: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  }));
} catch (e) {
  usage((e as Error).message);
}
if (values.help === true) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const family = values.family as string | undefined;
if (family !== undefined && !(FAMILIES as readonly string[]).includes(family)) usage(`--family must be one of ${FAMILIES.join(", ")}, got ${JSON.stringify(family)}`);
const familyOption = family === undefined ? {} : { family: family as Family };
const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

if (values.replay !== undefined) {
  const seed = integer("replay", values.replay as string, 0, 0, Number.MAX_SAFE_INTEGER);
  const scheme = values.scheme ?? "fast";
  if (scheme !== "fast" && scheme !== "bls") usage(`--scheme must be fast or bls, got ${JSON.stringify(scheme)}`);
  process.stderr.write(`schedule ${json(scheduleOf(seed, familyOption.family))}\n`);
  const result = runStack(seed, {
    scheme,
    ...familyOption,
    trace: (at, host, level, event, fields) => process.stderr.write(`${at} host ${host} ${level} ${event} ${json(fields)}\n`),
  });
  process.stdout.write(`${json(result)}\n`);
  process.exit(failed(result) ? 1 : 0);
}

const runs = integer("runs", values.runs as string | undefined, 200, 1, 1_000_000);
const seed = integer("seed", values.seed as string | undefined, 1, 0, Number.MAX_SAFE_INTEGER);
const blsEvery = integer("bls-every", values["bls-every"] as string | undefined, 50, 0, 1_000_000);
const workers = values.workers === undefined ? {} : { workers: integer("workers", values.workers as string, 1, 1, 64) };
const started = Date.now();
let lastReport = started;
const summary = await runBatch({
  runs,
  seed,
  blsEvery,
  ...familyOption,
  ...workers,
  onRun: (r, done) => {
    if (failed(r)) process.stderr.write(`sim:stack: run ${r.seed} (${r.family}, n=${r.n}, ${r.scheme}) failed: ${json({ safetyViolations: r.safetyViolations, epochSplits: r.epochSplits, stalled: r.stalled })}\n`);
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      process.stderr.write(`sim:stack: ${done}/${runs} runs, ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
  },
});
const { firstFailure, ...counts } = summary;
process.stdout.write(`${json({ ...counts, seconds: Math.round((Date.now() - started) / 100) / 10 })}\n`);
if (firstFailure !== undefined) {
  const k = firstFailure.seed - seed;
  const scheme = schemeOf(k, blsEvery);
  process.stderr.write(`sim:stack: first failing run: seed ${firstFailure.seed}; replay with: npm run sim:stack -- --replay ${firstFailure.seed}${family === undefined ? "" : ` --family ${family}`}${scheme === "bls" ? " --scheme bls" : ""}\n`);
}
process.exit(summary.safetyViolations + summary.epochSplits + summary.stalledRuns === 0 ? 0 : 1);
