/**
 * The flood benchmark (`npm run bench:flood`): a standalone 4-member committee (no L1) on this
 * machine, the same open-loop transfer load (default 20/s) twice: once with every member honest,
 * once with member `flooder` in the `flood` mode of src/byzantine/ (config field `byzantine`).
 * Reported: each phase's committed transfers per second (submitted to an honest member, seen in
 * a block), their ratio (issue 9: flooding may cost honest commits at most 30%), the honest
 * members' refusals of the flooder, and every member's RSS sampled over time (a member whose
 * memory grows with the flood shows a rising series).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeDevnet } from "../node/devnet.ts";
import { parseMetrics } from "../node/metrics.ts";
import { runLoad, readNonces, signTransfers } from "./load.ts";
import { memberPorts, startMember, stopMember, waitForMember, type RunningMember } from "./members.ts";
import { findFreePorts } from "./ports.ts";

export interface FloodBenchOptions {
  readonly seconds: number;
  readonly ratePerSec: number;
  readonly flooder: number;
  readonly redisUrl: string;
  readonly sampleMs: number;
  readonly say: (line: string) => void;
}

export interface FloodPhase {
  readonly txs: number;
  readonly failed: number;
  readonly txPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** RSS in MiB per member, one sample every sampleMs. */
  readonly rssMiB: number[][];
  /** hotstuff_messages_dropped_total for the flooder, summed over the honest members, by reason. */
  readonly refusedFromFlooder: Record<string, number>;
}

export interface FloodBenchReport {
  readonly members: 4;
  readonly flooder: number;
  readonly ratePerSec: number;
  readonly seconds: number;
  readonly healthy: FloodPhase;
  readonly flood: FloodPhase;
  /** flood.txPerSec / healthy.txPerSec. */
  readonly commitRatio: number;
  /** Largest RSS growth of a member during the flood phase, first to last sample (MiB). */
  readonly maxRssGrowthMiB: number;
}

const BENCH_TIMING = { baseTimeoutMs: 2_000, backoffFactor: 1.5, maxTimeoutMs: 8_000, minBlockIntervalMs: 100, emptyBlockIntervalMs: 1_000, archiveBlocks: 256, leaderLinkGraceMs: 1_000 };

function rssMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
    return line === undefined ? NaN : Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10;
  } catch {
    return NaN;
  }
}

async function runPhase(o: FloodBenchOptions, flooding: boolean): Promise<FloodPhase> {
  const nodes = 4;
  const dir = mkdtempSync(join(tmpdir(), `bench-flood-${flooding ? "flood" : "healthy"}-`));
  const [rpcBase] = await findFreePorts(1);
  const ports = await memberPorts(nodes, { rpc: rpcBase!, p2p: undefined, metrics: undefined });
  const devnet = writeDevnet({ nodes, dir, redisUrl: o.redisUrl, redisPrefix: `bench-flood-${process.pid}-${Date.now()}`, ports: (i) => ports[i]!, seed: "bench-flood", consensus: BENCH_TIMING, accounts: 20 });
  if (flooding) {
    const file = devnet.configFiles[o.flooder]!;
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, "utf8")) as object), byzantine: "flood" }, null, 2));
  }
  const members: RunningMember[] = [];
  const samples: number[][] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    for (let i = 0; i < nodes; i++) members.push(await startMember(i, devnet.configFiles[i]!, devnet.rpcUrls[i]!, dir));
    for (const m of members) await waitForMember(m);
    const target = o.flooder === 0 ? 1 : 0;
    const rpcUrl = devnet.rpcUrls[target]!;
    const senders = devnet.accounts.map((a) => a.privateKey);
    const transfers = await signTransfers({ chainId: devnet.chainId, senders, startNonces: await readNonces(rpcUrl, devnet.accounts.map((a) => a.address)), count: Math.round(o.seconds * o.ratePerSec) });
    const sample = () => samples.push(members.map((m) => rssMiB(m.child.pid)));
    sample();
    timer = setInterval(sample, o.sampleMs);
    o.say(`bench:flood: ${flooding ? `member ${o.flooder} flooding` : "all honest"}: ${transfers.length} transfers at ${o.ratePerSec}/s to member ${target}`);
    const load = await runLoad({ rpcUrl, transfers, ratePerSec: o.ratePerSec, concurrency: 256, maxInFlightPerSender: 32, pollIntervalMs: 50, stallTimeoutMs: 60_000 });
    clearInterval(timer);
    sample();
    const refused: Record<string, number> = {};
    if (flooding) {
      for (let i = 0; i < nodes; i++) {
        if (i === o.flooder) continue;
        const metrics = parseMetrics(await (await fetch(devnet.metricsUrls[i]!)).text());
        for (const [key, value] of metrics) {
          const m = /^hotstuff_messages_dropped_total\{peer="(\d+)",reason="([a-z_]+)"\}$/.exec(key);
          if (m !== null && Number(m[1]) === o.flooder) refused[m[2]!] = (refused[m[2]!] ?? 0) + value;
        }
      }
    }
    return { txs: load.txs, failed: load.failed, txPerSec: Math.round(load.txPerSec * 100) / 100, p50Ms: Math.round(load.p50Ms), p99Ms: Math.round(load.p99Ms), rssMiB: samples, refusedFromFlooder: refused };
  } finally {
    clearInterval(timer);
    for (const m of members) await stopMember(m);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runFloodBench(o: FloodBenchOptions): Promise<FloodBenchReport> {
  const healthy = await runPhase(o, false);
  const flood = await runPhase(o, true);
  const growth = Math.max(...flood.rssMiB[0]!.map((first, i) => flood.rssMiB[flood.rssMiB.length - 1]![i]! - first));
  return {
    members: 4,
    flooder: o.flooder,
    ratePerSec: o.ratePerSec,
    seconds: o.seconds,
    healthy,
    flood,
    commitRatio: healthy.txPerSec === 0 ? 0 : Math.round((flood.txPerSec / healthy.txPerSec) * 1000) / 1000,
    maxRssGrowthMiB: Math.round(growth * 10) / 10,
  };
}
