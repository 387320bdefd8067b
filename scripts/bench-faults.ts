/**
 * `npm run bench:faults -- --seconds 60 --member 2` (src/devnet/bench-faults.ts): a devnet under
 * 20 transfers/s healthy, then with one member SIGKILLed, then that member restarted; one JSON
 * line on stdout, progress on stderr:
 *
 *   {"healthy":{"sent":..,"committed":..,"p50CommitMs":..,...},"crashed":{...},"ratioP50":..,
 *    "allCommitted":..,"restart":{"caughtUpMs":..,"votingAgainMs":..,...},"loadAverage":{...},...}
 *
 * Exit codes: 0 when the run completed (a halt, a missed ratio or a member that did not rejoin
 * are figures in the line, not failures), 2 for a bad command line, 1 when the run could not
 * complete (a devnet that does not start...), 130/143 after SIGINT/SIGTERM. Every process
 * started is stopped in every case.
 */
import { BENCH_FAULTS_USAGE, parseBenchFaultsArgs, type BenchFaultsOptions } from "../src/devnet/bench-faults-options.ts";
import { FaultsBench } from "../src/devnet/bench-faults.ts";
import { DevnetError } from "../src/devnet/errors.ts";
import { commandLine, stopOnSignals } from "../src/devnet/cli-args.ts";

function parse(): BenchFaultsOptions {
  return commandLine(() => parseBenchFaultsArgs(process.argv.slice(2)), BENCH_FAULTS_USAGE);
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parse();
  const bench = new FaultsBench(options, say);
  const signalled = stopOnSignals(bench, say);
  try {
    const report = await bench.run();
    await bench.stop();
    // A run that lost transfers or left the member behind keeps its logs for a look.
    const clean = report.allCommitted && !("failed" in report.restart) && report.restart.votingAgainMs !== null;
    if (clean) bench.cleanUp();
    else say(`(the devnet's data dir with the member logs is kept: ${bench.dataDir})`);
    console.log(JSON.stringify(report));
  } catch (e) {
    if (signalled()) return;
    say(`\nbench:faults failed: ${e instanceof DevnetError && e.code !== "RPC_ERROR" ? e.message : (e as Error).stack}`);
    await bench.stop();
    say(`(the devnet's data dir with the member and L1 logs is kept: ${bench.dataDir})`);
    process.exit(1);
  }
}

void main();
