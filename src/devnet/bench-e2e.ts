/**
 * `npm run bench:e2e` (DESIGN §8): the same pre-signed transfer load (src/devnet/load.ts) sent
 * to a plain `hardhat node` (automine: the baseline) and to a whole devnet brought up exactly as
 * `npm start` does it (DevnetRun), each alone on the machine, one after the other.
 *
 * What is measured on the devnet, per transfer:
 *  - commit latency: submission → the first poll of member 0's JSON-RPC that shows it in a block
 *    (`latest` is the committed head, so a block seen there is committed);
 *  - finalized latency: submission → the first poll of `Rollup.finalizedHead()` on L1 at or
 *    above that block (finality.ts), i.e. settled with its commit proof verified on L1.
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
import { DevnetError } from "./errors.ts";
import { watchFinality, type FinalityWatch } from "./finality.ts";
import { startL1 } from "./l1.ts";
import { percentile, readNonces, runLoad, signTransfers, type LoadResult } from "./load.ts";
import { findFreePort, findFreePortRange } from "./ports.ts";
import { parseStartArgs, type StartOptions } from "./start-options.ts";
import { DevnetRun } from "./start.ts";

export interface DevnetFigures {
  readonly load: LoadResult;
  /** Submission → block final on L1, per included transfer; Infinity when not final in time. */
  readonly finalizedMs: readonly number[];
  readonly committedBlocks: number;
  readonly dataDir: string;
}

/** The JSON line's figures (milliseconds rounded to 0.1, rates to 0.1; null when not measured). */
export interface BenchE2eReport {
  readonly txs: number;
  readonly txPerSec: number;
  readonly p50CommitMs: number;
  readonly p99CommitMs: number;
  readonly p50FinalizedMs: number | null;
  readonly hardhatNodeTxPerSec: number;
  readonly ratio: number;
  readonly p99FinalizedMs: number | null;
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
  return {
    txs: devnet.load.txs,
    txPerSec: round(devnet.load.txPerSec),
    p50CommitMs: round(devnet.load.p50Ms),
    p99CommitMs: round(devnet.load.p99Ms),
    p50FinalizedMs: finite(percentile(devnet.finalizedMs, 0.5)),
    hardhatNodeTxPerSec: round(hardhat.txPerSec),
    ratio: Math.round((devnet.load.txPerSec / hardhat.txPerSec) * 1000) / 1000,
    p99FinalizedMs: finite(percentile(devnet.finalizedMs, 0.99)),
    hardhatNodeP50Ms: round(hardhat.p50Ms),
    hardhatNodeP99Ms: round(hardhat.p99Ms),
    blocks: devnet.committedBlocks,
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
    line(report.p50CommitMs <= 250, `submit → committed p50 ≤ 250 ms: ${report.p50CommitMs} ms (measured at full load, not at half the max rate)`),
    line(report.p99CommitMs <= 1000, `submit → committed p99 ≤ 1 s: ${report.p99CommitMs} ms (same)`),
    line(report.p50FinalizedMs !== null && report.p50FinalizedMs <= 2000, `submit → finalized on L1 p50 ≤ 2 s: ${report.p50FinalizedMs ?? "not final in time"} ms`),
  ];
}

export class E2eBench {
  readonly #o: BenchE2eOptions;
  readonly #say: (line: string) => void;
  /** What is running now, newest last; stop() pops it. */
  readonly #pieces: { name: string; stop: () => Promise<void> }[] = [];
  #stopped = false;

  constructor(options: BenchE2eOptions, say: (line: string) => void) {
    this.#o = options;
    this.#say = say;
  }

  #check(): void {
    if (this.#stopped) throw new DevnetError("LOAD_FAILED", "the benchmark was stopped");
  }

  #loadOptions() {
    return { concurrency: this.#o.concurrency, maxInFlightPerSender: this.#o.perSender, onProgress: this.#progress() };
  }

  /** A progress line on stderr at most every 5 s. */
  #progress(): (included: number, inFlight: number) => void {
    const started = performance.now();
    let last = started;
    return (included, inFlight) => {
      const now = performance.now();
      if (now - last < 5_000) return;
      last = now;
      this.#say(`  ${included}/${this.#o.txs} included, ${inFlight} in flight, ${round((included * 1000) / (now - started))} tx/s so far`);
    };
  }

  /** The baseline: a plain `hardhat node` on a free port, L1 dev accounts 1..senders sending. */
  async measureHardhatNode(): Promise<LoadResult> {
    const l1 = await startL1({ port: await findFreePort() });
    const piece = { name: "baseline hardhat node", stop: () => l1.stop() };
    this.#pieces.push(piece);
    try {
      this.#check();
      const senders = l1DevAccounts(this.#o.senders + 1).slice(1);
      this.#say(`hardhat node (baseline) at ${l1.rpcUrl}: signing ${this.#o.txs} transfers from ${senders.length} senders`);
      const transfers = await signTransfers({
        chainId: l1.chainId,
        senders: senders.map((s) => s.privateKey),
        startNonces: await readNonces(l1.rpcUrl, senders.map((s) => s.address)),
        count: this.#o.txs,
      });
      this.#say(`sending them, at most ${this.#o.concurrency} in flight (${this.#o.perSender} per sender)`);
      const result = await runLoad({ rpcUrl: l1.rpcUrl, transfers, ...this.#loadOptions() });
      checkLoad("hardhat node", result);
      this.#say(`hardhat node: ${round(result.txPerSec)} tx/s, p50 ${round(result.p50Ms)} ms, p99 ${round(result.p99Ms)} ms`);
      return result;
    } finally {
      this.#pieces.splice(this.#pieces.indexOf(piece), 1);
      await l1.stop();
    }
  }

  /** The devnet as `npm start` runs it, on private ports and its own data dir; member 0 takes the load. */
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
    const senders = summary.accounts.slice(0, this.#o.senders);
    this.#say(`devnet: signing ${this.#o.txs} transfers from ${senders.length} L2 dev accounts (chain id ${summary.l2ChainId})`);
    const transfers = await signTransfers({
      chainId: summary.l2ChainId,
      senders: senders.map((s) => s.privateKey as Hex),
      startNonces: await readNonces(rpcUrl, senders.map((s) => s.address)),
      count: this.#o.txs,
    });
    const finality: FinalityWatch = await watchFinality({ l1RpcUrl: summary.l1RpcUrl, rollup: summary.contracts.rollup });
    this.#pieces.push({ name: "finality watch", stop: () => finality.stop() });
    this.#check();
    this.#say(`sending them to member 0 (${rpcUrl}), at most ${this.#o.concurrency} in flight (${this.#o.perSender} per sender)`);
    const load = await runLoad({ rpcUrl, transfers, ...this.#loadOptions() });
    checkLoad("devnet", load);
    this.#say(`devnet: ${round(load.txPerSec)} tx/s committed, p50 ${round(load.p50Ms)} ms, p99 ${round(load.p99Ms)} ms; waiting for L1 finality`);
    const blocks = new Set(load.inclusions.map((i) => i.blockNumber));
    const last = load.inclusions.reduce((a, i) => (i.blockNumber > a ? i.blockNumber : a), 0n);
    if (!(await finality.waitFor(last, this.#o.finalityTimeoutMs))) {
      this.#say(`! block ${last} was not final on L1 within ${this.#o.finalityTimeoutMs / 1000} s (finalized head ${finality.height()})`);
    }
    const finalizedMs = load.inclusions.map((i) => (finality.finalizedAt(i.blockNumber) ?? Number.POSITIVE_INFINITY) - i.submittedAt);
    return { load, finalizedMs, committedBlocks: blocks.size, dataDir };
  }

  /** Stops everything still running, newest first. Idempotent; never throws. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (let piece = this.#pieces.pop(); piece !== undefined; piece = this.#pieces.pop()) {
      await piece.stop().catch((e: Error) => this.#say(`! stopping the ${piece.name} failed: ${e.message}`));
    }
  }

  /** Removes the temporary data dir (never one the user named). */
  cleanUp(figures: DevnetFigures): void {
    if (this.#o.dataDir === undefined) rmSync(join(figures.dataDir, ".."), { recursive: true, force: true });
  }
}

/** A run where the endpoint refused transfers measured something else than the load. */
function checkLoad(target: string, result: LoadResult): void {
  if (result.failed > 0) {
    throw new DevnetError("LOAD_FAILED", `${target} refused ${result.failed} transfers (or they could not be sent after a refusal):\n${result.errors.join("\n")}`);
  }
}
