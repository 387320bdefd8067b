/**
 * `npm run bench:e2e` as a developer runs it (scripts/bench-e2e.ts as a child process): a small
 * load through both halves prints the one JSON line with every figure; a bad option prints the
 * usage; Ctrl-C in the middle of the devnet half stops everything it started. Figures are never
 * checked against targets here (BENCHMARKS.md holds them): only that they were measured.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { deadRedisUrl, eventually } from "../fixtures/redis.ts";
import { alive, descendants, kill, type ProcessRef } from "../fixtures/processes.ts";

const SCRIPT = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/bench-e2e.ts"];

interface Run {
  readonly child: ChildProcess;
  out: string;
  err: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runBench(args: string[]): Run {
  // No Redis at REDIS_URL: the devnet runs a private redis-server in its data dir, and its queues
  // go with it, instead of lingering in the shared Redis other test files use.
  const child = spawn(process.execPath, [...SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, REDIS_URL: deadRedisUrl } });
  const run: Run = { child, out: "", err: "", exit: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))) };
  child.stdout!.on("data", (d: Buffer) => (run.out += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (run.err += d.toString("utf8")));
  return run;
}

/** Whatever happens, nothing the script started outlives the test. */
function cleanUp(run: Run, seen: ProcessRef[]): void {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  for (const p of [...seen, ...descendants(run.child.pid!)]) kill(p);
}

test("a bad option: the reason and the usage on stderr, exit 2, nothing on stdout", async () => {
  const run = runBench(["--txs", "0"]);
  assert.deepEqual(await run.exit, { code: 2, signal: null });
  assert.match(run.err, /--txs must be an integer from 1 to 1000000 \(got "0"\)/);
  assert.match(run.err, /usage: npm run bench:e2e -- \[options\]/);
  assert.equal(run.out, "");
});

test("both halves measured, and a two-point sweep: one JSON line with every figure, the curve's SVG, targets said on stderr, exit 0, nothing left behind", async () => {
  const root = mkdtempSync(join(tmpdir(), "bench-e2e-test-"));
  const dataDir = join(root, "devnet");
  const svg = join(root, "curve.svg");
  // The smallest sweep: 2 points a sender count, MIN_POINT_TXS transfers each (bench-e2e-sweep.test.ts checks the plan and the drawing).
  const sweep = ["--sweep", "--senders", "2,4", "--points", "50,100", "--point-seconds", "1", "--svg", svg];
  const run = runBench(["--txs", "40", ...sweep, "--data-dir", dataDir, "--finality-timeout", "120"]);
  let seen: ProcessRef[] = [];
  const watch = setInterval(() => (seen = [...seen, ...descendants(run.child.pid!).filter((p) => !seen.some((s) => s.pid === p.pid && s.startTime === p.startTime))]), 500);
  try {
    const exit = await run.exit;
    assert.deepEqual(exit, { code: 0, signal: null }, run.err);
    const lines = run.out.trim().split("\n");
    assert.equal(lines.length, 1, run.out);
    const report = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const key of ["txs", "txPerSec", "p50CommitMs", "p99CommitMs", "p50FinalizedMs", "idleReceiptP50Ms", "hardhatNodeTxPerSec", "ratio"]) {
      assert.equal(typeof report[key], "number", `${key} in ${lines[0]}`);
    }
    assert.equal(report.txs, 40);
    // The latencies come from the second phase: half as many transfers, at half the rate.
    const halfRate = report.halfRate as { txs: number; txPerSec: number };
    assert.equal(halfRate.txs, 20);
    assert.ok(halfRate.txPerSec <= (report.txPerSec as number));
    assert.equal(typeof (report.atMaxRate as Record<string, unknown>).p50CommitMs, "number");
    assert.ok((report.p50CommitMs as number) <= (report.p99CommitMs as number));
    // Final on L1 after committed on L2.
    assert.ok((report.p50FinalizedMs as number) >= (report.p50CommitMs as number));
    assert.ok(Math.abs((report.ratio as number) - (report.txPerSec as number) / (report.hardhatNodeTxPerSec as number)) < 0.01);
    assert.match(run.err, /targets \(DESIGN §8\):\n.*throughput ≥ 2× hardhat node.*\n.*committed p50 ≤ 250 ms at half the max rate/);
    assert.match(run.err, /one transfer at a time on the idle devnet, submit → receipt p50 ≤ 200 ms: [\d.]+ ms/);
    assert.match(run.err, /devnet, idle: 8 transfers one at a time/);
    // The sweep: each point on both targets, at the same offered rate, and the curve on disk.
    const curve = report.sweep as { svg: string; maxTxPerSec: number; points: { senders: number; percent: number; offeredTxPerSec: number; txs: number; devnet: Record<string, unknown>; hardhatNode: Record<string, unknown> }[] };
    assert.equal(curve.svg, svg);
    assert.equal(curve.maxTxPerSec, report.txPerSec);
    assert.deepEqual(curve.points.map((p) => [p.senders, p.percent]), [[2, 50], [2, 100], [4, 50], [4, 100]]);
    for (const p of curve.points) {
      assert.equal(p.devnet.txs, p.txs);
      assert.equal(p.hardhatNode.txs, p.txs);
      for (const key of ["p50CommitMs", "p99CommitMs", "p50FinalizedMs"]) assert.equal(typeof p.devnet[key], "number", `${key} in ${JSON.stringify(p)}`);
      for (const key of ["p50Ms", "p99Ms"]) assert.equal(typeof p.hardhatNode[key], "number", `${key} in ${JSON.stringify(p)}`);
    }
    assert.equal((readFileSync(svg, "utf8").match(/<polyline /g) ?? []).length, 10, "five series in each of two panels");
    // The named data dir is kept, with the members' logs and configs: l1Origins 2 s old, which
    // a member busy with the load has read (src/node/devnet.ts, l1OriginDelayMs).
    assert.ok(existsSync(join(dataDir, "member-0.log")));
    const config = JSON.parse(readFileSync(join(dataDir, "members", "member-0.json"), "utf8")) as { l1: { originDelayMs: number } };
    assert.equal(config.l1.originDelayMs, 2000);
    await eventually(() => seen.every((pid) => !alive(pid)), `the processes ${seen.join(", ")} to be gone`, 10_000);
  } finally {
    clearInterval(watch);
    cleanUp(run, seen);
    rmSync(root, { recursive: true, force: true });
  }
});

test("SIGINT while the devnet starts: everything the benchmark started is stopped, exit 130", async () => {
  const root = mkdtempSync(join(tmpdir(), "bench-e2e-int-"));
  const run = runBench(["--txs", "20", "--senders", "4", "--data-dir", join(root, "devnet")]);
  let seen: ProcessRef[] = [];
  try {
    await eventually(() => {
      if (run.child.exitCode !== null) throw new Error(`bench:e2e exited with ${run.child.exitCode}:\n${run.err}`);
      return run.err.includes("• L1 hardhat node");
    }, "the devnet half to start its L1 node", 180_000);
    seen = descendants(run.child.pid!);
    assert.ok(seen.length >= 1, "the devnet's L1 node runs below the benchmark");
    run.child.kill("SIGINT");
    assert.deepEqual(await run.exit, { code: 130, signal: null }, run.err);
    assert.match(run.err, /SIGINT: stopping everything the benchmark started/);
    assert.equal(run.out, "");
    await eventually(() => seen.every((pid) => !alive(pid)), `the processes ${seen.join(", ")} to be gone`, 10_000);
  } finally {
    cleanUp(run, seen);
    rmSync(root, { recursive: true, force: true });
  }
});
