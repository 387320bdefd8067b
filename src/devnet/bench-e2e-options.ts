/**
 * `npm run bench:e2e`'s command line, checked at the boundary: every refusal names the option
 * and the value; the script prints it with the usage and exits 2. Pure, so tested without
 * starting anything.
 */
import { resolve } from "node:path";
import { integerOption as integer, parseOptions, UsageError } from "./cli-args.ts";
import { MAX_NODES } from "./start-options.ts";

/** Senders are funded by one transfer each; more than this would be a different benchmark. */
export const MAX_SENDERS = 1_000;

/** The sweep's default points, in % of the devnet's max rate (issue 11). */
export const DEFAULT_POINTS: readonly number[] = [10, 25, 50, 75, 100, 120];
export const DEFAULT_SWEEP_SENDERS: readonly number[] = [10, 100];
/** Points beyond this share of the max rate measure only a growing backlog. */
export const MAX_POINT_PERCENT = 200;
/** Fewer transfers than this make a p99 meaningless. */
export const MIN_POINT_TXS = 20;

export const BENCH_E2E_USAGE = `usage: npm run bench:e2e -- [options]

Sends the same pre-signed transfer load to a plain hardhat node (automine) and to a whole devnet
(L1 hardhat node, contracts, 4 members, JSON-RPC, as npm start runs it, on private ports and a
temporary data dir), one after the other, and prints one JSON line:
  {txs, txPerSec, p50CommitMs, p99CommitMs, p50FinalizedMs, hardhatNodeTxPerSec, ratio, ...}
txPerSec and hardhatNodeTxPerSec are each target's rate under the full load; the devnet's
latencies are measured in a second phase at half that rate (DESIGN §8), and under the full load
in "atMaxRate". Progress goes to stderr.

options:
  --txs N                    transfers per target at full load (default 5000; the half-rate
                             phase sends N/2 more)
  --senders K                sending accounts, 1..${MAX_SENDERS}, funded before the clock starts (default 100);
                             with --sweep a list, e.g. 10,100: the sweep runs once with each, and
                             the max rate is measured with the largest (default 10,100)
  --concurrency C            most transfers submitted and not yet seen in a block (default 1024)
  --per-sender P             most of those per sender, 1..64 (default 64: the members' mempool
                             takes at most 64 nonces ahead of an account's committed one)
  --nodes N                  committee members, 4..${MAX_NODES} (default 4)
  --finality-timeout <s>     how long to wait for the last block to be final on L1 (default 120)
  --data-dir <dir>           the devnet's data dir, kept afterwards (default: a temporary dir,
                             removed after a successful run)
  --baseline-only            only the hardhat node half
  --sweep                    then a latency-throughput curve: the devnet, and a fresh hardhat node,
                             at each point's share of the devnet's max rate, open loop; the JSON
                             line gains "sweep" and the curve is written as an SVG
  --points P,P,...           the sweep's offered loads in % of the max rate, 1..${MAX_POINT_PERCENT}
                             (default ${DEFAULT_POINTS.join(",")})
  --point-seconds S          how long each point offers its load, 1..600 (default 10; at least
                             ${MIN_POINT_TXS} transfers a point)
  --svg <path>               where the curve goes (default bench-results/latency-curve-<date>.svg)
  --help                     this text

Redis: REDIS_URL, else redis://127.0.0.1:6379, else a private redis-server in the data dir.`;

export interface SweepOptions {
  /** Sender counts, each a curve; ascending, distinct. */
  readonly senders: readonly number[];
  /** Offered loads in % of the max rate, ascending, distinct. */
  readonly percents: readonly number[];
  readonly pointSeconds: number;
  /** Absolute; undefined: bench-results/latency-curve-<date>.svg under the working dir. */
  readonly svgPath: string | undefined;
}

export interface BenchE2eOptions {
  readonly txs: number;
  readonly senders: number;
  readonly concurrency: number;
  readonly perSender: number;
  readonly nodes: number;
  readonly finalityTimeoutMs: number;
  /** Absolute; undefined: a temporary dir. */
  readonly dataDir: string | undefined;
  readonly baselineOnly: boolean;
  /** Present with --sweep. */
  readonly sweep: SweepOptions | undefined;
}

/** `--name`'s comma-separated integers in [min, max], ascending and distinct; `fallback` when absent. */
function integerList(name: string, value: string | undefined, fallback: readonly number[], min: number, max: number): number[] {
  if (value === undefined) return [...fallback];
  const items = value.split(",");
  const numbers = items.map((item) => integer(name, item, 0, min, max));
  if (new Set(numbers).size !== numbers.length) throw new UsageError(`--${name} lists a value twice (got ${JSON.stringify(value)})`);
  return numbers.sort((a, b) => a - b);
}


/** `{ help: true }` for --help; otherwise the options, or a UsageError. */
export function parseBenchE2eArgs(argv: readonly string[], cwd = process.cwd()): BenchE2eOptions | { help: true } {
  const values = parseOptions(argv, {
      txs: { type: "string" },
      senders: { type: "string" },
      concurrency: { type: "string" },
      "per-sender": { type: "string" },
      nodes: { type: "string" },
      "finality-timeout": { type: "string" },
      "data-dir": { type: "string" },
      "baseline-only": { type: "boolean" },
      sweep: { type: "boolean" },
      points: { type: "string" },
      "point-seconds": { type: "string" },
      svg: { type: "string" },
      help: { type: "boolean" },
  });
  if (values.help === true) return { help: true };
  const dataDir = values["data-dir"];
  if (dataDir === "") throw new UsageError("--data-dir must not be empty");
  const sweeping = values.sweep === true;
  if (!sweeping) {
    for (const name of ["points", "point-seconds", "svg"] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} needs --sweep`);
    }
    if (values.senders?.includes(",") === true) throw new UsageError(`--senders takes one count without --sweep (got ${JSON.stringify(values.senders)})`);
  }
  if (sweeping && values["baseline-only"] === true) throw new UsageError("--sweep needs the devnet's max rate: it cannot go with --baseline-only");
  if (values.svg === "") throw new UsageError("--svg must not be empty");
  const senderCounts = sweeping ? integerList("senders", values.senders, DEFAULT_SWEEP_SENDERS, 1, MAX_SENDERS) : [integer("senders", values.senders, 100, 1, MAX_SENDERS)];
  const sweep: SweepOptions | undefined = sweeping
    ? {
        senders: senderCounts,
        percents: integerList("points", values.points, DEFAULT_POINTS, 1, MAX_POINT_PERCENT),
        pointSeconds: integer("point-seconds", values["point-seconds"], 10, 1, 600),
        svgPath: values.svg === undefined ? undefined : resolve(cwd, values.svg),
      }
    : undefined;
  return {
    txs: integer("txs", values.txs, 5000, 1, 1_000_000),
    senders: Math.max(...senderCounts),
    concurrency: integer("concurrency", values.concurrency, 1024, 1, 100_000),
    perSender: integer("per-sender", values["per-sender"], 64, 1, 64),
    nodes: integer("nodes", values.nodes, 4, 4, MAX_NODES),
    finalityTimeoutMs: integer("finality-timeout", values["finality-timeout"], 120, 1, 3_600) * 1_000,
    dataDir: dataDir === undefined ? undefined : resolve(cwd, dataDir),
    baselineOnly: values["baseline-only"] === true,
    sweep,
  };
}
