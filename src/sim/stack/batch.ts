/**
 * Many runs of the whole-member simulator, in worker threads (one per core by default), and
 * their summary: the one JSON line `npm run sim:stack` prints. Run k uses seed `seed + k`; a
 * share of them signs with real BLS (the rest with the fast simulation signer, for volume).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { runStack, type StackRunResult } from "./run.ts";
import type { Family } from "./schedule.ts";

export interface BatchOptions {
  readonly runs: number;
  readonly seed: number;
  readonly family?: Family;
  /** One run in `blsEvery` signs with real BLS (0: none). */
  readonly blsEvery: number;
  readonly workers?: number;
  readonly onRun?: (result: StackRunResult, done: number) => void;
}

export interface BatchSummary {
  readonly runs: number;
  readonly seed: number;
  readonly safetyViolations: number;
  readonly epochSplits: number;
  readonly stalledRuns: number;
  readonly epochChanges: number;
  readonly crashes: number;
  readonly twinsRuns: number;
  readonly floodRuns: number;
  readonly blsRuns: number;
  /** The first failing run (lowest seed), if any. */
  readonly firstFailure?: StackRunResult;
}

export const failed = (r: StackRunResult): boolean => r.safetyViolations.length > 0 || r.epochSplits.length > 0 || r.stalled !== undefined;

export function schemeOf(k: number, blsEvery: number): "fast" | "bls" {
  return blsEvery > 0 && k % blsEvery === blsEvery - 1 ? "bls" : "fast";
}

/** Runs `indexes` (run numbers) one after the other in this thread. */
export function runSlice(o: Pick<BatchOptions, "seed" | "family" | "blsEvery">, indexes: readonly number[], report: (r: StackRunResult) => void): void {
  for (const k of indexes) report(runStack(o.seed + k, { scheme: schemeOf(k, o.blsEvery), ...(o.family === undefined ? {} : { family: o.family }) }));
}

export async function runBatch(o: BatchOptions): Promise<BatchSummary> {
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), o.runs));
  const results: StackRunResult[] = [];
  const report = (r: StackRunResult) => {
    results.push(r);
    o.onRun?.(r, results.length);
  };
  const slices = Array.from({ length: workers }, (_, w) => Array.from({ length: o.runs }, (_, k) => k).filter((k) => k % workers === w));
  if (workers === 1) runSlice(o, slices[0]!, report);
  else {
    await Promise.all(slices.map((indexes) => new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL("./worker.ts", import.meta.url), { workerData: { seed: o.seed, family: o.family, blsEvery: o.blsEvery, indexes } });
      worker.on("message", (r: StackRunResult) => report(r));
      worker.on("error", reject);
      worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a simulator worker exited with ${code}`))));
    })));
  }
  const failures = results.filter(failed).sort((a, b) => a.seed - b.seed);
  return {
    runs: results.length,
    seed: o.seed,
    safetyViolations: results.filter((r) => r.safetyViolations.length > 0).length,
    epochSplits: results.filter((r) => r.epochSplits.length > 0).length,
    stalledRuns: results.filter((r) => r.stalled !== undefined).length,
    epochChanges: results.reduce((a, r) => a + r.epochChanges, 0),
    crashes: results.reduce((a, r) => a + r.crashes, 0),
    twinsRuns: results.filter((r) => r.twins).length,
    floodRuns: results.filter((r) => r.flooders > 0).length,
    blsRuns: results.filter((r) => r.scheme === "bls").length,
    ...(failures[0] === undefined ? {} : { firstFailure: failures[0] }),
  };
}
