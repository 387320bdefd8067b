/**
 * `npm run bench:faults` (issue 9): on the `npm start` devnet, the same open-loop load (R
 * transfers/s from the 10 L2 dev accounts) healthy, then with one member SIGKILLed; then that
 * member is restarted from its store and must catch up and vote again. The claim under test:
 * every transfer is committed with a member down, commit p50 stays within 1.3× the healthy one,
 * and the restarted member rejoins.
 *
 * Commit latency is as bench:e2e measures it (load.ts): submission → the first poll of a live
 * member's JSON-RPC that shows the transfer in a block (`latest` is the committed head). The
 * load goes to the lowest-numbered member that is not the one killed.
 *
 * Accounting: each phase's transfers are signed up front, and every one ends in exactly one of
 * committed, refused (by the endpoint, with its reason), pending (accepted, not committed when
 * the phase gave up because nothing was committed for --halt-after: the chain halted) or unsent
 * (not submitted because the phase had given up). Pending ones are looked up again at the end:
 * a halt that the restart ended may still commit them (`committedLate`).
 *
 * The restarted member is watched through its own metrics endpoint (src/node/telemetry.ts):
 * `hotstuff_committed_height` against the live members' and `hotstuff_votes_sent_total`, which
 * a new process starts at 0, so its first increment is its first vote since the restart.
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { parseMetrics } from "../node/metrics.ts";
import type { BenchFaultsOptions } from "./bench-faults-options.ts";
import { FAULTS_NODES } from "./bench-faults-options.ts";
import { DevnetError } from "./errors.ts";
import { percentile, readNonces, runLoad, signTransfers, type LoadResult, type SignedTransfer } from "./load.ts";
import { killMember, restartMember } from "./members.ts";
import { findFreePort, findFreePortRange } from "./ports.ts";
import { callRpcBatch } from "./rpc.ts";
import { parseStartArgs, type StartOptions } from "./start-options.ts";
import { DevnetRun, type DevnetSummary } from "./start.ts";

/** One phase's transfers, each accounted for. Milliseconds rounded to 0.1; null when none was committed. */
export interface PhaseFigures {
  /** Signed for the phase (rate × seconds). */
  readonly sent: number;
  readonly committed: number;
  readonly refused: number;
  /** Accepted by the endpoint, not committed when the phase gave up. */
  readonly pending: number;
  /** Never submitted: the phase gave up first. */
  readonly unsent: number;
  readonly p50CommitMs: number | null;
  readonly p99CommitMs: number | null;
  readonly maxCommitMs: number | null;
  /** Committed transfers/s over the phase. */
  readonly txPerSec: number;
  /** Why the phase ended early (no commit for --halt-after); absent when it did not. */
  readonly halted?: string;
  /** The endpoint's first refusals. */
  readonly errors?: readonly string[];
}

const round = (x: number) => Math.round(x * 10) / 10;
const ms = (x: number) => (Number.isFinite(x) ? round(x) : null);

/**
 * A phase's figures from what runLoad saw. Throws when the four outcomes do not add up to the
 * transfers signed: a transfer silently lost by the load generator is a bug, not a figure.
 */
export function phaseFigures(signed: number, load: Pick<LoadResult, "txs" | "failed" | "errors" | "latenciesMs" | "txPerSec" | "stalled" | "pending" | "unsent">): PhaseFigures {
  const accounted = load.txs + load.failed + load.pending.length + load.unsent;
  if (accounted !== signed) {
    throw new DevnetError("LOAD_FAILED", `${signed} transfers signed, ${accounted} accounted for (committed ${load.txs}, refused ${load.failed}, pending ${load.pending.length}, unsent ${load.unsent})`);
  }
  const max = load.latenciesMs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  return {
    sent: signed,
    committed: load.txs,
    refused: load.failed,
    pending: load.pending.length,
    unsent: load.unsent,
    p50CommitMs: ms(percentile(load.latenciesMs, 0.5)),
    p99CommitMs: ms(percentile(load.latenciesMs, 0.99)),
    maxCommitMs: ms(load.latenciesMs.length === 0 ? Number.NaN : max),
    txPerSec: round(load.txPerSec),
    ...(load.stalled === undefined ? {} : { halted: load.stalled }),
    ...(load.errors.length === 0 ? {} : { errors: load.errors }),
  };
}

/** crashed p50 / healthy p50, to 0.01; null when either is missing. */
export function ratioOf(healthy: PhaseFigures, crashed: PhaseFigures): number | null {
  if (healthy.p50CommitMs === null || crashed.p50CommitMs === null || healthy.p50CommitMs === 0) return null;
  return Math.round((crashed.p50CommitMs / healthy.p50CommitMs) * 100) / 100;
}

/** What a member's metrics say about its progress (null: its endpoint did not answer). */
export interface MemberProgress {
  readonly member: number;
  readonly view: number;
  readonly committedHeight: number;
  readonly highQcView: number;
  readonly votes: number;
  readonly timeouts: number;
  readonly tcs: number;
  readonly leaderTimeouts: number;
  /** Peer messages dropped (malformed, out of budget, not in the epoch): a member deaf to a peer cannot form its TCs. */
  readonly dropped: number;
}

/** The figures of one member's /metrics text. */
export function progressOf(member: number, metricsText: string): MemberProgress {
  const m = parseMetrics(metricsText);
  const get = (name: string) => m.get(name) ?? 0;
  return {
    member,
    view: get("hotstuff_view"),
    committedHeight: get("hotstuff_committed_height"),
    highQcView: get("hotstuff_high_qc_view"),
    votes: get("hotstuff_votes_sent_total"),
    timeouts: get("hotstuff_timeouts_total"),
    tcs: get("hotstuff_tcs_total"),
    leaderTimeouts: get("hotstuff_leader_timeouts_total"),
    dropped: [...m].filter(([k]) => k.startsWith("hotstuff_messages_dropped_total")).reduce((a, [, v]) => a + v, 0),
  };
}

export interface RestartFigures {
  /** Restart call → its JSON-RPC answers (process start, store open, restore, L1 read). */
  readonly rpcUpMs: number;
  /** Restart call → its committed height reaches the live members' lowest (null: not within the timeout). */
  readonly caughtUpMs: number | null;
  /** Restart call → its votes counter is above 0 (null: not within the timeout). */
  readonly votingAgainMs: number | null;
  /** The live members' highest committed height at the restart, and the member's own before it was killed. */
  readonly othersHeightAtRestart: number;
  readonly heightAtKill: number;
}

export interface FaultsReport {
  readonly healthy: PhaseFigures;
  readonly crashed: PhaseFigures;
  readonly ratioP50: number | null;
  /** Every transfer of both phases committed within its phase. */
  readonly allCommitted: boolean;
  /** Pending transfers (of a halted phase) found committed at the end of the run. */
  readonly committedLate: number;
  readonly restart: RestartFigures | { readonly failed: string };
  readonly killedMember: number;
  readonly rate: number;
  readonly seconds: number;
  readonly nodes: number;
  /** Each member's metrics at the end of each phase (the crashed one's is absent while it is down). */
  readonly progress: { readonly healthy: readonly (MemberProgress | null)[]; readonly crashed: readonly (MemberProgress | null)[]; readonly restarted: readonly (MemberProgress | null)[] };
  /** 1-minute load average at the end of each phase: the machine is shared, figures move with it. */
  readonly loadAverage: { readonly healthy: number; readonly crashed: number; readonly restart: number };
}

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const loadAverage = () => Math.round(loadavg()[0]! * 100) / 100;

export class FaultsBench {
  readonly #o: BenchFaultsOptions;
  readonly #say: (line: string) => void;
  #run: DevnetRun | undefined;
  #dataDir: string | undefined;
  #stopped = false;

  constructor(options: BenchFaultsOptions, say: (line: string) => void) {
    this.#o = options;
    this.#say = say;
  }

  #check(): void {
    if (this.#stopped) throw new DevnetError("LOAD_FAILED", "the benchmark was stopped");
  }

  /** Each member's metrics endpoint, from the config it runs (the configs own the ports). */
  #metricsUrl(index: number): string {
    const member = this.#run!.members[index]!;
    const config = JSON.parse(readFileSync(member.configFile, "utf8")) as { listen: { host: string; metricsPort: number } };
    return `http://${config.listen.host}:${config.listen.metricsPort}/metrics`;
  }

  async #progress(index: number): Promise<MemberProgress | null> {
    try {
      const res = await fetch(this.#metricsUrl(index), { signal: AbortSignal.timeout(2_000) });
      return res.ok ? progressOf(index, await res.text()) : null;
    } catch {
      return null;
    }
  }

  async #allProgress(): Promise<(MemberProgress | null)[]> {
    return await Promise.all(Array.from({ length: FAULTS_NODES }, (_, i) => this.#progress(i)));
  }

  async run(): Promise<FaultsReport> {
    const o = this.#o;
    this.#dataDir = o.dataDir ?? join(mkdtempSync(join(tmpdir(), "hotstuff-bench-faults-")), "devnet");
    const start = parseStartArgs([
      "--nodes", String(FAULTS_NODES),
      "--data-dir", this.#dataDir,
      "--reset",
      "--l1-port", String(await findFreePort()),
      "--rpc-port", String(await findFreePortRange(FAULTS_NODES)),
    ]) as StartOptions;
    const run = new DevnetRun(start, { out: (text) => this.#say(text.replace(/\n$/, "")), tty: false });
    this.#run = run;
    const summary = await run.start();
    this.#check();
    if (!summary.funded) throw new DevnetError("LOAD_FAILED", "the devnet's L2 dev accounts were not funded on L2 in time: nothing to send from");
    const victim = o.member;
    const endpoint = summary.l2RpcUrls[victim === 0 ? 1 : 0]!;
    const [healthyTransfers, crashedTransfers] = await this.#sign(summary, endpoint);

    const healthyLoad = await this.#phase("healthy", endpoint, healthyTransfers!);
    const healthy = phaseFigures(healthyTransfers!.length, healthyLoad);
    const healthyProgress = await this.#allProgress();
    const healthyLoadAvg = loadAverage();
    this.#check();

    const heightAtKill = (await this.#progress(victim))?.committedHeight ?? -1;
    const killed = run.members[victim]!;
    this.#say(`killing member ${victim} (pid ${killed.child.pid}, SIGKILL) at committed height ${heightAtKill}`);
    await killMember(killed);
    const crashedLoad = await this.#phase(`member ${victim} down`, endpoint, crashedTransfers!);
    const crashed = phaseFigures(crashedTransfers!.length, crashedLoad);
    const crashedProgress = await this.#allProgress();
    const crashedLoadAvg = loadAverage();
    this.#check();

    let restart: FaultsReport["restart"];
    try {
      restart = await this.#restart(victim, heightAtKill);
    } catch (e) {
      restart = { failed: (e as Error).message };
      this.#say(`! restarting member ${victim} failed: ${(e as Error).message}`);
    }
    const restartLoadAvg = loadAverage();
    const restartedProgress = await this.#allProgress();
    const pending = [...healthyLoad.pending, ...crashedLoad.pending];
    const committedLate = await this.#countCommitted(endpoint, pending);
    return {
      healthy,
      crashed,
      ratioP50: ratioOf(healthy, crashed),
      allCommitted: healthy.committed === healthy.sent && crashed.committed === crashed.sent,
      committedLate,
      restart,
      killedMember: victim,
      rate: o.rate,
      seconds: o.seconds,
      nodes: FAULTS_NODES,
      progress: { healthy: healthyProgress, crashed: crashedProgress, restarted: restartedProgress },
      loadAverage: { healthy: healthyLoadAvg, crashed: crashedLoadAvg, restart: restartLoadAvg },
    };
  }

  /** Both phases' transfers from the 10 L2 dev accounts, signed before anything is timed. */
  async #sign(summary: DevnetSummary, rpcUrl: string): Promise<SignedTransfer[][]> {
    const keys = summary.accounts.map((a) => a.privateKey as Hex);
    let nonces = await readNonces(rpcUrl, summary.accounts.map((a) => a.address));
    const count = this.#o.rate * this.#o.seconds;
    const phases: SignedTransfer[][] = [];
    for (let p = 0; p < 2; p++) {
      const transfers = await signTransfers({ chainId: summary.l2ChainId, senders: keys, startNonces: nonces, count });
      phases.push(transfers);
      nonces = nonces.map((n, k) => n + BigInt(transfers.filter((_, i) => i % keys.length === k).length));
    }
    return phases;
  }

  async #phase(name: string, rpcUrl: string, transfers: readonly SignedTransfer[]): Promise<LoadResult> {
    const o = this.#o;
    this.#say(`${name}: ${transfers.length} transfers at ${o.rate}/s to ${rpcUrl}`);
    const started = performance.now();
    let last = started;
    const load = await runLoad({
      rpcUrl,
      transfers,
      ratePerSec: o.rate,
      concurrency: 1_024,
      // The members' mempool takes at most 64 nonces ahead of an account's committed one.
      maxInFlightPerSender: 64,
      stallTimeoutMs: o.haltAfterMs,
      onStall: "report",
      onProgress: (included, inFlight) => {
        const now = performance.now();
        if (now - last < 5_000) return;
        last = now;
        this.#say(`  ${included}/${transfers.length} committed, ${inFlight} in flight, ${round((now - started) / 1000)} s`);
      },
    });
    if (load.stalled !== undefined) this.#say(`! ${name}: HALTED: ${load.stalled}`);
    this.#say(`${name}: ${load.txs}/${transfers.length} committed, p50 ${round(load.p50Ms)} ms, p99 ${round(load.p99Ms)} ms`);
    return load;
  }

  /** Restarts the killed member and watches its metrics until it has caught up and voted (or the timeout). */
  async #restart(index: number, heightAtKill: number): Promise<RestartFigures> {
    const run = this.#run!;
    const others = Array.from({ length: FAULTS_NODES }, (_, i) => i).filter((i) => i !== index);
    const othersHeights = async () => (await Promise.all(others.map((i) => this.#progress(i)))).flatMap((p) => (p === null ? [] : [p.committedHeight]));
    const atRestart = await othersHeights();
    const othersHeightAtRestart = atRestart.length === 0 ? -1 : Math.max(...atRestart);
    this.#say(`restarting member ${index}: it was at height ${heightAtKill}, the others are at ${othersHeightAtRestart}`);
    const t0 = performance.now();
    run.members[index] = await restartMember(run.members[index]!, this.#o.catchUpTimeoutMs);
    const rpcUpMs = performance.now() - t0;
    let caughtUpMs: number | null = null;
    let votingAgainMs: number | null = null;
    const deadline = t0 + this.#o.catchUpTimeoutMs;
    while ((caughtUpMs === null || votingAgainMs === null) && performance.now() < deadline) {
      this.#check();
      // The others first: the restarted member, read last, may only have moved further meanwhile.
      const heights = await othersHeights();
      const mine = await this.#progress(index);
      const now = performance.now() - t0;
      if (mine !== null && heights.length > 0 && caughtUpMs === null && mine.committedHeight >= Math.min(...heights)) caughtUpMs = now;
      if (mine !== null && votingAgainMs === null && mine.votes > 0) votingAgainMs = now;
      await sleep(100);
    }
    const r = (x: number | null) => (x === null ? null : round(x));
    this.#say(`member ${index}: JSON-RPC up after ${round(rpcUpMs)} ms, caught up after ${r(caughtUpMs) ?? "never"} ms, voting after ${r(votingAgainMs) ?? "never"} ms`);
    return { rpcUpMs: round(rpcUpMs), caughtUpMs: r(caughtUpMs), votingAgainMs: r(votingAgainMs), othersHeightAtRestart, heightAtKill };
  }

  /** How many of `hashes` have a receipt now (a halted phase's pending transfers, after the restart). */
  async #countCommitted(rpcUrl: string, hashes: readonly Hex[]): Promise<number> {
    let committed = 0;
    for (let i = 0; i < hashes.length; i += 100) {
      const batch = hashes.slice(i, i + 100);
      try {
        const receipts = await callRpcBatch(rpcUrl, batch.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })));
        committed += receipts.filter((r) => r !== null).length;
      } catch (e) {
        this.#say(`! looking up ${batch.length} pending transfers failed: ${(e as Error).message}`);
      }
    }
    return committed;
  }

  /** Stops the devnet (idempotent; never throws). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#run?.stop().catch((e: Error) => this.#say(`! stopping the devnet failed: ${e.message}`));
  }

  get dataDir(): string | undefined {
    return this.#dataDir;
  }

  /** Removes the temporary data dir (never one the user named). */
  cleanUp(): void {
    if (this.#o.dataDir === undefined && this.#dataDir !== undefined) rmSync(join(this.#dataDir, ".."), { recursive: true, force: true });
  }
}
