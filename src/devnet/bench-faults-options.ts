/**
 * `npm run bench:faults`'s command line, checked at the boundary: every refusal names the option
 * and the value; the script prints it with the usage and exits 2. Pure, so tested without
 * starting anything.
 */
import { resolve } from "node:path";
import { integerOption as integer, parseOptions, UsageError } from "./cli-args.ts";

/** The committee of issue 9's claim: 4 members, so f = 1 member may crash. */
export const FAULTS_NODES = 4;

export const BENCH_FAULTS_USAGE = `usage: npm run bench:faults -- [options]

Brings up a devnet as npm start does (L1 hardhat node, contracts, ${FAULTS_NODES} members, on private ports
and a temporary data dir) and sends the same open-loop transfer load from the 10 L2 dev accounts
three times over:
  healthy   all members up;
  crashed   member --member SIGKILLed just before the load starts;
then restarts that member from its store and measures how long it takes to reach the others'
committed height (caughtUpMs) and to send a vote again (votingAgainMs), from the restart call.
One JSON line on stdout:
  {healthy:{p50CommitMs,p99CommitMs,sent,committed,...}, crashed:{...}, ratioP50, allCommitted,
   restart:{caughtUpMs, votingAgainMs, ...}, loadAverage, ...}
Every transfer is accounted for: committed, refused, pending when the chain halted, or unsent.
Progress goes to stderr.

options:
  --seconds S            length of each load phase (default 60)
  --rate R               transfers per second, 1..1000 (default 20)
  --member I             the member to kill and restart, 0..${FAULTS_NODES - 1} (default 2)
  --halt-after S         a phase stops early, reported as halted, when none of its transfers
                         is committed for this long (default 30)
  --catch-up-timeout S   how long the restarted member may take to catch up and vote (default 120)
  --data-dir <dir>       the devnet's data dir, kept afterwards (default: a temporary dir,
                         removed after a run in which every transfer was committed)
  --help                 this text

Redis: REDIS_URL, else redis://127.0.0.1:6379, else a private redis-server in the data dir.`;

export interface BenchFaultsOptions {
  readonly seconds: number;
  readonly rate: number;
  readonly member: number;
  readonly haltAfterMs: number;
  readonly catchUpTimeoutMs: number;
  /** Absolute; undefined: a temporary dir. */
  readonly dataDir: string | undefined;
}


/** `{ help: true }` for --help; otherwise the options, or a UsageError. */
export function parseBenchFaultsArgs(argv: readonly string[], cwd = process.cwd()): BenchFaultsOptions | { help: true } {
  const values = parseOptions(argv, {
      seconds: { type: "string" },
      rate: { type: "string" },
      member: { type: "string" },
      "halt-after": { type: "string" },
      "catch-up-timeout": { type: "string" },
      "data-dir": { type: "string" },
      help: { type: "boolean" },
  });
  if (values.help === true) return { help: true };
  const dataDir = values["data-dir"];
  if (dataDir === "") throw new UsageError("--data-dir must not be empty");
  return {
    seconds: integer("seconds", values.seconds, 60, 1, 3_600),
    rate: integer("rate", values.rate, 20, 1, 1_000),
    member: integer("member", values.member, 2, 0, FAULTS_NODES - 1),
    haltAfterMs: integer("halt-after", values["halt-after"], 30, 1, 3_600) * 1_000,
    catchUpTimeoutMs: integer("catch-up-timeout", values["catch-up-timeout"], 120, 1, 3_600) * 1_000,
    dataDir: dataDir === undefined ? undefined : resolve(cwd, dataDir),
  };
}
