/**
 * `npm run bench:restart -- --blocks 500,50000` (src/sim/stack/restart-bench.ts): how long a
 * member restarted from its store after N committed blocks takes to vote again and to catch up,
 * in the whole-member simulator. One JSON line per N on stdout, progress on stderr. Exit 2 for a
 * bad command line.
 */
import { loadavg } from "node:os";
import { BENCH_RESTART_USAGE, parseRestartBenchArgs, RestartUsageError, type RestartBenchArgs } from "../src/sim/stack/restart-bench-options.ts";
import { runRestartBench } from "../src/sim/stack/restart-bench.ts";

let args: RestartBenchArgs;
try {
  const parsed = parseRestartBenchArgs(process.argv.slice(2));
  if ("help" in parsed) {
    console.log(BENCH_RESTART_USAGE);
    process.exit(0);
  }
  args = parsed;
} catch (e) {
  if (!(e instanceof RestartUsageError)) throw e;
  console.error(`${e.message}\n\n${BENCH_RESTART_USAGE}`);
  process.exit(2);
}

const say = (line: string) => process.stderr.write(`${line}\n`);
for (const blocks of args.blocks) {
  say(`bench:restart: ${blocks} blocks, then host ${args.host} crashes and restarts`);
  const figures = runRestartBench({ blocks, host: args.host, seed: args.seed, say });
  // 1-minute load average at the end: the machine is shared, figures move with it.
  console.log(JSON.stringify({ bench: "restart", ...figures, node: process.version, loadAverage: Math.round(loadavg()[0]! * 100) / 100 }));
}
