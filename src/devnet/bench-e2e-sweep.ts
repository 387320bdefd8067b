/**
 * bench:e2e's latency–throughput sweep (issue 11, DESIGN §8): after the devnet's max rate is
 * measured, each sender count offers a series of loads, in % of that rate, open loop, for a fixed
 * time each, to the devnet and then to a fresh hardhat node (the same offered tx/s on both, so
 * the curves share their x axis). Per point: commit and finalized latency p50/p99 on the devnet,
 * receipt latency p50/p99 on the hardhat node, and the rate each actually carried.
 *
 * This file is the pure part: the plan, the figures of the JSON line, and the chart (rendered by
 * latency-curve.ts). E2eBench (bench-e2e.ts) runs the points.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { MIN_POINT_TXS, type SweepOptions } from "./bench-e2e-options.ts";
import type { DevnetPhase } from "./bench-e2e.ts";
import { renderLatencyCurve, type Chart, type Series } from "./latency-curve.ts";
import { percentile, type LoadResult } from "./load.ts";

export interface SweepPoint {
  readonly senders: number;
  /** Offered load in % of the devnet's max rate. */
  readonly percent: number;
  readonly offeredTxPerSec: number;
  readonly txs: number;
}

/**
 * The points, sender count by sender count, loads ascending: each offers `percent` of
 * `maxTxPerSec` for `pointSeconds` (at least MIN_POINT_TXS transfers, so a p99 means something).
 */
export function planSweep(maxTxPerSec: number, sweep: Pick<SweepOptions, "senders" | "percents" | "pointSeconds">): SweepPoint[] {
  if (!(Number.isFinite(maxTxPerSec) && maxTxPerSec > 0)) throw new RangeError(`the sweep needs a positive max rate, got ${maxTxPerSec} tx/s`);
  return sweep.senders.flatMap((senders) =>
    sweep.percents.map((percent) => {
      const offeredTxPerSec = Math.round(maxTxPerSec * percent) / 100;
      return { senders, percent, offeredTxPerSec, txs: Math.max(MIN_POINT_TXS, Math.ceil(offeredTxPerSec * sweep.pointSeconds)) };
    }),
  );
}

/** What one sender of `points` must hold to pay its share of every point it sends in, twice over. */
export function sweepFundingTxs(points: readonly SweepPoint[]): number {
  return points.reduce((sum, p) => sum + Math.ceil(p.txs / p.senders), 0) * 2;
}

const round = (x: number) => Math.round(x * 10) / 10;
const finite = (x: number) => (Number.isFinite(x) ? round(x) : null);

export interface SweepPointReport extends SweepPoint {
  readonly devnet: {
    readonly txs: number;
    readonly txPerSec: number;
    readonly p50CommitMs: number;
    readonly p99CommitMs: number;
    readonly p50FinalizedMs: number | null;
    readonly p99FinalizedMs: number | null;
  };
  /** Its commit is the receipt: automine includes a transfer in the block that answers it. */
  readonly hardhatNode: { readonly txs: number; readonly txPerSec: number; readonly p50Ms: number; readonly p99Ms: number };
}

export interface SweepReport {
  readonly maxTxPerSec: number;
  readonly pointSeconds: number;
  /** Where the curve was written. */
  readonly svg: string;
  readonly points: readonly SweepPointReport[];
}

export function sweepPointReport(point: SweepPoint, devnet: DevnetPhase, hardhat: LoadResult): SweepPointReport {
  return {
    ...point,
    devnet: {
      txs: devnet.load.txs,
      txPerSec: round(devnet.load.txPerSec),
      p50CommitMs: round(devnet.load.p50Ms),
      p99CommitMs: round(devnet.load.p99Ms),
      p50FinalizedMs: finite(percentile(devnet.finalizedMs, 0.5)),
      p99FinalizedMs: finite(percentile(devnet.finalizedMs, 0.99)),
    },
    hardhatNode: { txs: hardhat.txs, txPerSec: round(hardhat.txPerSec), p50Ms: round(hardhat.p50Ms), p99Ms: round(hardhat.p99Ms) },
  };
}

/** The curve's series, one panel per sender count; x is the offered load. */
export function sweepChart(points: readonly SweepPointReport[], subtitle: string): Chart {
  const counts = [...new Set(points.map((p) => p.senders))];
  const line = (name: string, color: string, dash: string | undefined, of: readonly SweepPointReport[], y: (p: SweepPointReport) => number | null): Series => ({
    name,
    color,
    ...(dash === undefined ? {} : { dash }),
    points: of.map((p) => ({ x: p.offeredTxPerSec, y: y(p) })),
  });
  return {
    title: "bench:e2e latency against offered load",
    subtitle,
    xLabel: "offered load (transfers/s)",
    yLabel: "latency (ms, log scale)",
    panels: counts.map((senders) => {
      const of = points.filter((p) => p.senders === senders);
      return {
        title: `${senders} senders`,
        series: [
          line("devnet commit p50", "#1f77b4", undefined, of, (p) => p.devnet.p50CommitMs),
          line("devnet commit p99", "#1f77b4", "6 3", of, (p) => p.devnet.p99CommitMs),
          line("devnet finalized p50", "#2ca02c", undefined, of, (p) => p.devnet.p50FinalizedMs),
          line("hardhat node p50", "#d62728", undefined, of, (p) => p.hardhatNode.p50Ms),
          line("hardhat node p99", "#d62728", "6 3", of, (p) => p.hardhatNode.p99Ms),
        ],
      };
    }),
  };
}

/** bench-results/latency-curve-2026-12-03T14-05-09Z.svg under `cwd`: one file per run. */
export function defaultSvgPath(cwd: string, at: Date): string {
  return join(cwd, "bench-results", `latency-curve-${at.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-")}.svg`);
}

/** Writes the curve (creating its directory) and returns the path. */
export function writeSweepSvg(path: string, points: readonly SweepPointReport[], subtitle: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderLatencyCurve(sweepChart(points, subtitle)));
  return path;
}
