/** A worker thread of runBatch (batch.ts): runs its slice of the batch and posts each result. */
import { parentPort, workerData } from "node:worker_threads";
import { runSlice } from "./batch.ts";
import type { Family } from "./schedule.ts";

const data = workerData as { seed: number; family?: Family; blsEvery: number; indexes: number[] };
runSlice({ seed: data.seed, blsEvery: data.blsEvery, ...(data.family === undefined ? {} : { family: data.family }) }, data.indexes, (r) => parentPort!.postMessage(r));
