/**
 * `npm run bench:e2e -- --txs 5000` (src/devnet/bench-e2e.ts): the same pre-signed transfers to
 * a plain hardhat node, then to a whole devnet; one JSON line on stdout, progress on stderr:
 *
 *   {"txs":5000,"txPerSec":...,"p50CommitMs":...,"p99CommitMs":...,"p50FinalizedMs":...,
 *    "hardhatNodeTxPerSec":...,"ratio":...,...}
 *
 * With --baseline-only: {"txs","hardhatNodeTxPerSec","hardhatNodeP50Ms","hardhatNodeP99Ms",...}.
 * With --sweep, the line gains "sweep": {maxTxPerSec, pointSeconds, svg, points: [...]}, and the
 * latency–throughput curve is written to the SVG file it names (src/devnet/bench-e2e-sweep.ts).
 *
 * Exit codes: 0 when the run completed (a missed target is a figure, not a failure: stderr says
 * which), 2 for a bad command line (with the usage), 1 when the run could not complete (an
 * endpoint refused transfers, a devnet that does not start...), 130/143 after SIGINT/SIGTERM.
 * Every process started is stopped in every case.
 */
import { cpus, loadavg } from "node:os";
import { BENCH_E2E_USAGE, parseBenchE2eArgs, type BenchE2eOptions } from "../src/devnet/bench-e2e-options.ts";
import { describeTargets, E2eBench, reportOf, type DevnetFigures } from "../src/devnet/bench-e2e.ts";
import { defaultSvgPath, planSweep, sweepPointReport, writeSweepSvg, type SweepReport } from "../src/devnet/bench-e2e-sweep.ts";
import { DevnetError } from "../src/devnet/errors.ts";
import { commandLine, stopOnSignals } from "../src/devnet/cli-args.ts";

function parse(): BenchE2eOptions {
  return commandLine(() => parseBenchE2eArgs(process.argv.slice(2)), BENCH_E2E_USAGE);
}

const say = (line: string) => process.stderr.write(`${line}\n`);
const loadAverage = () => Math.round(loadavg()[0]! * 100) / 100;

async function main(): Promise<void> {
  const options = parse();
  const bench = new E2eBench(options, say);
  const signalled = stopOnSignals(bench, say);
  try {
    const hardhat = await bench.measureHardhatNode();
    const hardhatLoad = loadAverage();
    if (options.baselineOnly) {
      const round = (x: number) => Math.round(x * 10) / 10;
      console.log(
        JSON.stringify({
          txs: hardhat.txs,
          hardhatNodeTxPerSec: round(hardhat.txPerSec),
          hardhatNodeP50Ms: round(hardhat.p50Ms),
          hardhatNodeP99Ms: round(hardhat.p99Ms),
          senders: options.senders,
          concurrency: options.concurrency,
          loadAverage: hardhatLoad,
        }),
      );
      return;
    }
    const devnet = await bench.measureDevnet();
    const devnetLoad = loadAverage();
    const sweep = options.sweep === undefined ? undefined : await runSweep(bench, options, devnet);
    await bench.stop();
    bench.cleanUp(devnet);
    const report = reportOf(options, hardhat, devnet);
    say("targets (DESIGN §8):");
    for (const line of describeTargets(report)) say(`  ${line}`);
    // 1-minute load average at the end of each half: the machine is shared, so figures move with it.
    const loads = { hardhatNode: hardhatLoad, devnet: devnetLoad, ...(sweep === undefined ? {} : { sweep: sweep.load }) };
    console.log(JSON.stringify({ ...report, ...(sweep === undefined ? {} : { sweep: sweep.report }), loadAverage: loads }));
  } catch (e) {
    if (signalled()) return; // the signal handler is stopping everything and exits
    // A refusal by an endpoint is said in full by its message; anything else needs its stack.
    say(`\nbench:e2e failed: ${e instanceof DevnetError && e.code !== "RPC_ERROR" ? e.message : (e as Error).stack}`);
    await bench.stop();
    if (options.dataDir === undefined) say("(the devnet's data dir with the member and L1 logs is kept: see the paths above)");
    process.exit(1);
  }
  await bench.stop();
}

/**
 * The sweep (--sweep): its points on the running devnet, which is then stopped so that the same
 * points reach a fresh hardhat node alone on the machine; the curve goes to the SVG file.
 */
async function runSweep(bench: E2eBench, options: BenchE2eOptions, devnet: DevnetFigures): Promise<{ report: SweepReport; load: { devnet: number; hardhatNode: number } }> {
  const sweep = options.sweep!;
  const maxTxPerSec = devnet.max.load.txPerSec;
  const points = planSweep(maxTxPerSec, sweep);
  say(`sweep: ${points.length} points (${sweep.percents.join(", ")} % of ${Math.round(maxTxPerSec * 10) / 10} tx/s, ${sweep.pointSeconds} s each, with ${sweep.senders.join(" and ")} senders)`);
  const onDevnet = await bench.sweepDevnet(points);
  const devnetLoad = loadAverage();
  await bench.stopRunning();
  const onHardhat = await bench.sweepHardhatNode(points);
  const hardhatLoad = loadAverage();
  const reports = points.map((p, i) => sweepPointReport(p, onDevnet[i]!, onHardhat[i]!));
  const at = new Date();
  const subtitle = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC, ${options.nodes} members on ${cpus().length} cores, load average ${devnetLoad} (devnet) / ${hardhatLoad} (hardhat node)`;
  const svg = writeSweepSvg(sweep.svgPath ?? defaultSvgPath(process.cwd(), at), reports, subtitle);
  say(`sweep: the curve is in ${svg}`);
  return { report: { maxTxPerSec: Math.round(maxTxPerSec * 10) / 10, pointSeconds: sweep.pointSeconds, svg, points: reports }, load: { devnet: devnetLoad, hardhatNode: hardhatLoad } };
}

void main();
