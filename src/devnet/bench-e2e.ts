/**
 * `npm run bench:e2e` (DESIGN §8): the same pre-signed transfer load (src/devnet/load.ts, from
 * the same sender keys, src/devnet/senders.ts) sent to a plain `hardhat node` (automine: the
 * baseline) and to a whole devnet brought up exactly as `npm start` does it (DevnetRun), each
 * alone on the machine, one after the other.
 *
 * Each target first gets the full load (as fast as `concurrency` and the senders allow): its
 * transfers/s. DESIGN's latency targets hold "at half the max rate", so the devnet then gets
 * half as many transfers again, sent open loop at half its measured rate: the latencies of
 * the report. What is measured on the devnet, per transfer:
 *  - commit latency: submission → the first poll of member 0's JSON-RPC that shows it in a block
 *    (`latest` is the committed head, so a block seen there is committed);
 *  - finalized latency: submission → the first poll of `Rollup.finalizedHead()` on L1 at or
 *    above that block (finality.ts), i.e. settled with its commit proof verified on L1.
 *
 * Before the loads, on the idle devnet: one transfer at a time (send, wait until it is in a block,
 * pause, next), as a script or a test suite does: `idleReceiptP50Ms`.
 *
 * Every process either half starts is stopped by stop(), which the script calls on success,
 * failure and SIGINT/SIGTERM alike.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { l1DevAccounts } from "./accounts.ts";
import type { BenchE2eOptions } from "./bench-e2e-options.ts";
import { sweepFundingTxs, type SweepPoint } from "./bench-e2e-sweep.ts";
import { DevnetError } from "./errors.ts";
import { watchFinality, type FinalityWatch } from "./finality.ts";
import { startL1 } from "./l1.ts";
import { percentile, readNonces, runLoad, signTransfers, type LoadResult, type SignedTransfer } from "./load.ts";
import { findFreePort, findFreePortRange } from "./ports.ts";
import { benchSenders, fundSenders, MAX_TRANSFER_COST } from "./senders.ts";
import { parseStartArgs, type StartOptions } from "./start-options.ts";
import { DevnetRun } from "./start.ts";

/** One load sent to the devnet, with when each transfer's block became final on L1. */
export interface DevnetPhase {
  readonly load: LoadResult;
  /** Submission → block final on L1, per included transfer; Infinity when not final in time. */
  readonly finalizedMs: readonly number[];
}

/** Transfers sent one at a time on the idle devnet, and the pause between them. */
export const IDLE_TRANSFERS = 8;
const IDLE_GAP_MS = 300;

export interface DevnetFigures {
  /** Submission → in a block, per transfer sent alone on the idle devnet. */
  readonly idleMs: readonly number[];
  /** The full load: the devnet's transfers/s. */
  readonly max: DevnetPhase;
  /** Half as many transfers at half that rate: the latencies DESIGN §8 sets targets for. */
  readonly half: DevnetPhase;
  readonly dataDir: string;
}

/** The JSON line's figures (milliseconds and rates rounded to 0.1; null when not measured). */
export interface BenchE2eReport {
  readonly txs: number;
  readonly txPerSec: number;
  readonly p50CommitMs: number;
  readonly p99CommitMs: number;
  readonly p50FinalizedMs: number | null;
  /** One transfer at a time on the idle devnet: submission → in a block (its receipt), p50. */
  readonly idleReceiptP50Ms: number;
  readonly hardhatNodeTxPerSec: number;
  readonly ratio: number;
  readonly p99FinalizedMs: number | null;
  /** The latency phase: its transfers and the rate they went out at. */
  readonly halfRate: { readonly txs: number; readonly txPerSec: number };
  readonly atMaxRate: { readonly p50CommitMs: number; readonly p99CommitMs: number; readonly p50FinalizedMs: number | null; readonly p99FinalizedMs: number | null };
  readonly hardhatNodeP50Ms: number;
  readonly hardhatNodeP99Ms: number;
  readonly blocks: number;
  readonly nodes: number;
  readonly senders: number;
  readonly concurrency: number;
}

const round = (x: number) => Math.round(x * 10) / 10;
const finite = (x: number) => (Number.isFinite(x) ? round(x) : null);

export function reportOf(options: BenchE2eOptions, hardhat: LoadResult, devnet: DevnetFigures): BenchE2eReport {
  const { max, half } = devnet;
  const blocks = new Set([...max.load.inclusions, ...half.load.inclusions].map((i) => i.blockNumber));
  return {
    txs: max.load.txs,
    txPerSec: round(max.load.txPerSec),
    p50CommitMs: round(half.load.p50Ms),
    p99CommitMs: round(half.load.p99Ms),
    p50FinalizedMs: finite(percentile(half.finalizedMs, 0.5)),
    idleReceiptP50Ms: round(percentile(devnet.idleMs, 0.5)),
    hardhatNodeTxPerSec: round(hardhat.txPerSec),
    ratio: Math.round((max.load.txPerSec / hardhat.txPerSec) * 1000) / 1000,
    p99FinalizedMs: finite(percentile(half.finalizedMs, 0.99)),
    halfRate: { txs: half.load.txs, txPerSec: round(half.load.txPerSec) },
    atMaxRate: {
      p50CommitMs: round(max.load.p50Ms),
      p99CommitMs: round(max.load.p99Ms),
      p50FinalizedMs: finite(percentile(max.finalizedMs, 0.5)),
      p99FinalizedMs: finite(percentile(max.finalizedMs, 0.99)),
    },
    hardhatNodeP50Ms: round(hardhat.p50Ms),
    hardhatNodeP99Ms: round(hardhat.p99Ms),
    blocks: blocks.size,
    nodes: options.nodes,
    senders: options.senders,
    concurrency: options.concurrency,
  };
}

/** DESIGN §8's targets against a report, as lines for stderr: met or missed, with the figure. */
export function describeTargets(report: BenchE2eReport): string[] {
  const line = (met: boolean, what: string) => `${met ? "met   " : "MISSED"}  ${what}`;
  return [
    line(report.ratio >= 2, `throughput ≥ 2× hardhat node: ${report.txPerSec} vs ${report.hardhatNodeTxPerSec} tx/s (ratio ${report.ratio})`),
    line(report.p50CommitMs <= 250, `submit → committed p50 ≤ 250 ms at half the max rate (${report.halfRate.txPerSec} tx/s): ${report.p50CommitMs} ms`),
    line(report.p99CommitMs <= 1000, `submit → committed p99 ≤ 1 s at half the max rate: ${report.p99CommitMs} ms`),
    line(report.idleReceiptP50Ms <= 200, `one transfer at a time on the idle devnet, submit → receipt p50 ≤ 200 ms: ${report.idleReceiptP50Ms} ms`),
    line(report.p50FinalizedMs !== null && report.p50FinalizedMs <= 1000, `submit → finalized on L1 p50 ≤ 1 s: ${report.p50FinalizedMs ?? "not final in time"} ms`),
  ];
}

export class E2eBench {
  readonly #o: BenchE2eOptions;
  readonly #say: (line: string) => void;
  /** What is running now, newest last; stop() pops it. */
  readonly #pieces: { name: string; stop: () => Promise<void> }[] = [];
  #stopped = false;
  /** The running devnet, once measureDevnet brought it up: what the sweep sends to. */
  #devnet: { rpcUrl: string; chainId: bigint; funders: Hex[]; finality: FinalityWatch } | undefined;

  constructor(options: BenchE2eOptions, say: (line: string) => void) {
    this.#o = options;
    this.#say = say;
  }

  #check(): void {
    if (this.#stopped) throw new DevnetError("LOAD_FAILED", "the benchmark was stopped");
  }

  /** Transfers of the half-rate phase: half as many as the full load (at least one). */
  get #halfTxs(): number {
    return Math.max(1, Math.floor(this.#o.txs / 2));
  }

  /** A progress line on stderr at most every 5 s. */
  #progress(total: number): (included: number, inFlight: number) => void {
    const started = performance.now();
    let last = started;
    return (included, inFlight) => {
      const now = performance.now();
      if (now - last < 5_000) return;
      last = now;
      this.#say(`  ${included}/${total} included, ${inFlight} in flight, ${round((included * 1000) / (now - started))} tx/s so far`);
    };
  }

  /** Sends `transfers`, refusing a run in which the endpoint refused any. */
  async #send(target: string, rpcUrl: string, transfers: readonly SignedTransfer[], ratePerSec?: number): Promise<LoadResult> {
    const pace = ratePerSec === undefined ? "" : `, at ${round(ratePerSec)} tx/s`;
    this.#say(`${target}: sending ${transfers.length} transfers, at most ${this.#o.concurrency} in flight (${this.#o.perSender} per sender)${pace}`);
    const result = await runLoad({
      rpcUrl,
      transfers,
      concurrency: this.#o.concurrency,
      maxInFlightPerSender: this.#o.perSender,
      ratePerSec,
      onProgress: this.#progress(transfers.length),
    });
    if (result.failed > 0) {
      throw new DevnetError("LOAD_FAILED", `${target} refused ${result.failed} transfers (or they could not be sent after a refusal):\n${result.errors.join("\n")}`);
    }
    this.#say(`${target}: ${round(result.txPerSec)} tx/s, in a block after p50 ${round(result.p50Ms)} ms, p99 ${round(result.p99Ms)} ms`);
    return result;
  }

  /**
   * The senders, funded at `rpcUrl` by `funders` (not timed), and `count` transfers from them
   * signed for each phase. Each sender gets enough for its share of every phase, twice over.
   */
  async #prepare(target: string, rpcUrl: string, chainId: number | bigint, funders: readonly Hex[], counts: readonly number[]): Promise<SignedTransfer[][]> {
    const senders = benchSenders(this.#o.senders);
    const total = counts.reduce((a, b) => a + b, 0);
    const amount = BigInt(Math.ceil(total / senders.length)) * MAX_TRANSFER_COST * 2n;
    this.#say(`${target}: funding ${senders.length} senders from ${funders.length} accounts`);
    await fundSenders({ rpcUrl, chainId, funders, senders: senders.map((s) => s.address), amount });
    this.#check();
    const keys = senders.map((s) => s.privateKey);
    let nonces = await readNonces(rpcUrl, senders.map((s) => s.address));
    const phases: SignedTransfer[][] = [];
    for (const count of counts) {
      const transfers = await signTransfers({ chainId, senders: keys, startNonces: nonces, count });
      phases.push(transfers);
      // The next phase continues each sender's nonces.
      nonces = nonces.map((n, k) => n + BigInt(transfers.filter((_, i) => i % keys.length === k).length));
    }
    return phases;
  }

  /** The baseline: a plain `hardhat node` on a free port; its dev accounts 1..10 fund the senders. */
  async measureHardhatNode(): Promise<LoadResult> {
    const l1 = await startL1({ port: await findFreePort() });
    const piece = { name: "baseline hardhat node", stop: () => l1.stop() };
    this.#pieces.push(piece);
    try {
      this.#check();
      const funders = l1DevAccounts(11).slice(1).map((a) => a.privateKey);
      // Funded for the devnet's two phases too, so both targets' senders sign the same transfers.
      const [transfers] = await this.#prepare(`hardhat node ${l1.rpcUrl}`, l1.rpcUrl, l1.chainId, funders, [this.#o.txs, this.#halfTxs]);
      return await this.#send("hardhat node", l1.rpcUrl, transfers!);
    } finally {
      this.#pieces.splice(this.#pieces.indexOf(piece), 1);
      await l1.stop();
    }
  }

  /**
   * The devnet as `npm start` runs it, on private ports and its own data dir; its L2 dev
   * accounts fund the senders; member 0 takes the load: full, then half as many at half the rate.
   */
  async measureDevnet(): Promise<DevnetFigures> {
    const dataDir = this.#o.dataDir ?? join(mkdtempSync(join(tmpdir(), "hotstuff-bench-e2e-")), "devnet");
    const start = parseStartArgs([
      "--nodes", String(this.#o.nodes),
      "--data-dir", dataDir,
      "--reset",
      "--l1-port", String(await findFreePort()),
      "--rpc-port", String(await findFreePortRange(this.#o.nodes)),
    ]) as StartOptions;
    const run = new DevnetRun(start, { out: (text) => this.#say(text.replace(/\n$/, "")), tty: false });
    this.#pieces.push({ name: "devnet", stop: () => run.stop() });
    const summary = await run.start();
    this.#check();
    if (!summary.funded) throw new DevnetError("LOAD_FAILED", "the devnet's L2 dev accounts were not funded on L2 in time: nothing to send from");
    const rpcUrl = summary.l2RpcUrls[0]!;
    const funders = summary.accounts.map((a) => a.privateKey as Hex);
    const [idle, full, halfLoad] = await this.#prepare(`devnet member 0 ${rpcUrl}`, rpcUrl, summary.l2ChainId, funders, [IDLE_TRANSFERS, this.#o.txs, this.#halfTxs]);
    const finality: FinalityWatch = await watchFinality({ l1RpcUrl: summary.l1RpcUrl, rollup: summary.contracts.rollup });
    this.#pieces.push({ name: "finality watch", stop: () => finality.stop() });
    this.#check();
    this.#devnet = { rpcUrl, chainId: summary.l2ChainId, funders, finality };
    const idleMs = await this.#oneAtATime(rpcUrl, idle!);
    const max = await this.#phase("devnet, full load", rpcUrl, full!, finality);
    const half = await this.#phase("devnet, half rate", rpcUrl, halfLoad!, finality, max.load.txPerSec / 2);
    return { idleMs, max, half, dataDir };
  }

  /**
   * The sweep's points on the devnet measureDevnet left running (bench-e2e-sweep.ts): the senders
   * funded for all of them first, then each point's transfers signed (untimed) and sent open loop
   * at its offered rate, and waited for until final on L1.
   */
  async sweepDevnet(points: readonly SweepPoint[]): Promise<DevnetPhase[]> {
    const devnet = this.#devnet;
    if (devnet === undefined) throw new DevnetError("LOAD_FAILED", "the sweep runs on the devnet measureDevnet started: measure it first");
    await this.#fundSweep("devnet", devnet.rpcUrl, devnet.chainId, devnet.funders, points);
    const phases: DevnetPhase[] = [];
    for (const point of points) {
      const transfers = await this.#signPoint(devnet.rpcUrl, devnet.chainId, point);
      phases.push(await this.#phase(`devnet, ${point.senders} senders, ${point.percent}%`, devnet.rpcUrl, transfers, devnet.finality, point.offeredTxPerSec));
    }
    return phases;
  }

  /** The same points on a fresh hardhat node (its dev accounts 1..10 fund the senders). */
  async sweepHardhatNode(points: readonly SweepPoint[]): Promise<LoadResult[]> {
    const l1 = await startL1({ port: await findFreePort() });
    const piece = { name: "sweep's hardhat node", stop: () => l1.stop() };
    this.#pieces.push(piece);
    try {
      this.#check();
      await this.#fundSweep("hardhat node", l1.rpcUrl, l1.chainId, l1DevAccounts(11).slice(1).map((a) => a.privateKey), points);
      const results: LoadResult[] = [];
      for (const point of points) {
        const transfers = await this.#signPoint(l1.rpcUrl, l1.chainId, point);
        results.push(await this.#send(`hardhat node, ${point.senders} senders, ${point.percent}%`, l1.rpcUrl, transfers, point.offeredTxPerSec));
      }
      return results;
    } finally {
      this.#pieces.splice(this.#pieces.indexOf(piece), 1);
      await l1.stop();
    }
  }

  async #fundSweep(target: string, rpcUrl: string, chainId: number | bigint, funders: readonly Hex[], points: readonly SweepPoint[]): Promise<void> {
    const senders = benchSenders(Math.max(...points.map((p) => p.senders)));
    this.#say(`${target}: funding ${senders.length} senders for the sweep's ${points.length} points`);
    const amount = BigInt(sweepFundingTxs(points)) * MAX_TRANSFER_COST;
    await fundSenders({ rpcUrl, chainId, funders, senders: senders.map((s) => s.address), amount });
    this.#check();
  }

  /** A point's transfers from its first `senders` bench senders, from their next nonces. */
  async #signPoint(rpcUrl: string, chainId: number | bigint, point: SweepPoint): Promise<SignedTransfer[]> {
    const senders = benchSenders(point.senders);
    const startNonces = await readNonces(rpcUrl, senders.map((s) => s.address));
    this.#check();
    return await signTransfers({ chainId, senders: senders.map((s) => s.privateKey), startNonces, count: point.txs });
  }

  /** Each transfer alone: sent, waited for until in a block, then a pause before the next. */
  async #oneAtATime(rpcUrl: string, transfers: readonly SignedTransfer[]): Promise<number[]> {
    const latencies: number[] = [];
    for (const transfer of transfers) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_GAP_MS));
      this.#check();
      const result = await runLoad({ rpcUrl, transfers: [transfer], concurrency: 1 });
      if (result.failed > 0) throw new DevnetError("LOAD_FAILED", `the idle devnet refused a transfer: ${result.errors.join("; ")}`);
      latencies.push(result.latenciesMs[0]!);
    }
    this.#say(`devnet, idle: ${transfers.length} transfers one at a time, in a block after p50 ${round(percentile(latencies, 0.5))} ms (${latencies.map((l) => Math.round(l)).join(", ")} ms)`);
    return latencies;
  }

  /** One load to the devnet, then the wait until its last block is final on L1. */
  async #phase(target: string, rpcUrl: string, transfers: readonly SignedTransfer[], finality: FinalityWatch, ratePerSec?: number): Promise<DevnetPhase> {
    const load = await this.#send(target, rpcUrl, transfers, ratePerSec);
    const last = load.inclusions.reduce((a, i) => (i.blockNumber > a ? i.blockNumber : a), 0n);
    if (!(await finality.waitFor(last, this.#o.finalityTimeoutMs))) {
      this.#say(`! block ${last} was not final on L1 within ${this.#o.finalityTimeoutMs / 1000} s (finalized head ${finality.height()})`);
    }
    this.#check();
    const finalizedMs = load.inclusions.map((i) => (finality.finalizedAt(i.blockNumber) ?? Number.POSITIVE_INFINITY) - i.submittedAt);
    return { load, finalizedMs };
  }

  /** Stops everything still running, newest first. Idempotent; never throws. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.stopRunning();
  }

  /** Stops what runs now (the devnet, before the sweep's hardhat node runs alone), newest first; the benchmark goes on. */
  async stopRunning(): Promise<void> {
    this.#devnet = undefined;
    for (let piece = this.#pieces.pop(); piece !== undefined; piece = this.#pieces.pop()) {
      await piece.stop().catch((e: Error) => this.#say(`! stopping the ${piece.name} failed: ${e.message}`));
    }
  }

  /** Removes the temporary data dir (never one the user named). */
  cleanUp(figures: DevnetFigures): void {
    if (this.#o.dataDir === undefined) rmSync(join(figures.dataDir, ".."), { recursive: true, force: true });
  }
}
