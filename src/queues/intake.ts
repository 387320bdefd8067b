/**
 * Transaction intake: the durable hand-off between the RPC (which answers the sender) and the
 * mempool (which feeds proposals). A transaction is in Redis before its sender hears "accepted";
 * if Redis refuses, the sender gets the error instead. The job id is the transaction hash, so a
 * resubmission (by the wallet, or by gossip from a peer) is the same job, not a second one.
 */
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { QueueError } from "./errors.ts";
import { closeQueueParts, countPendingJobs, RunningJobs } from "./lifecycle.ts";
import { INTAKE_QUEUE } from "./names.ts";
import { connectProducerRedis, connectWorkerRedis, producerDeadline, redisUnavailable, type RedisOptions } from "./redis.ts";

export interface IntakeJobData {
  /** The signed transaction, 0x-hex, as received by eth_sendRawTransaction or from a peer. */
  readonly raw: `0x${string}`;
  /** Where it came from: "rpc" or "peer:<index>"; for logs and metrics. */
  readonly source: string;
}

/**
 * Moves one transaction into the mempool. Throw `RejectedTransaction` for a transaction that
 * can never be accepted (bad nonce, insufficient funds...): the job then fails without retries.
 */
export type IntakeConsumer = (hash: `0x${string}`, data: IntakeJobData) => Promise<void> | void;

/** A transaction that is invalid for good: retrying it would not help. */
export class RejectedTransaction extends UnrecoverableError {}

export interface IntakeOptions extends RedisOptions {
  readonly prefix: string;
  /** How long finished jobs are kept, which is also how long resubmissions are recognised. */
  readonly keepSeconds?: number;
  /** How long close() waits for a running consumer call before leaving it (lifecycle.ts; default CLOSE_GRACE_MS). */
  readonly closeGraceMs?: number;
}

const HEX = /^0x[0-9a-fA-F]*$/;

/**
 * Jobs the intake worker holds at once. Each job costs the worker several Redis round trips
 * (take, finish) and the consumer microseconds to a millisecond, so one job at a time left the
 * worker waiting on Redis: on a busy devnet member the queue drained at ~20-30 transactions/s
 * while hundreds waited in it, seconds of every transaction's latency (BENCHMARKS.md, end to
 * end). With several jobs in flight the round trips overlap. Order does not matter for
 * correctness: the mempool keeps a sender's nonce gaps until the missing nonce arrives, and a
 * fee replacement wins whichever of the two arrives first.
 */
export const INTAKE_CONCURRENCY = 32;

/** Most submissions in one `addBulk` (one MULTI of that many scripts). */
const SUBMIT_BATCH = 256;

function parseJobData(job: Job): IntakeJobData {
  const data = job.data as Partial<IntakeJobData> | null;
  if (data === null || typeof data !== "object" || typeof data.raw !== "string" || !HEX.test(data.raw)) {
    throw new UnrecoverableError(`intake job ${job.id} has no valid "raw" hex field`);
  }
  if (typeof job.id !== "string" || !/^0x[0-9a-f]{64}$/.test(job.id)) {
    throw new UnrecoverableError(`intake job id ${JSON.stringify(job.id)} is not a transaction hash`);
  }
  return { raw: data.raw as `0x${string}`, source: typeof data.source === "string" ? data.source : "unknown" };
}

export class TxIntake {
  readonly #options: IntakeOptions;
  readonly #producer: Redis;
  readonly #queue: Queue;
  #worker: Worker | undefined;
  readonly #running = new RunningJobs();
  #workerRedis: Redis | undefined;
  #closed = false;
  /** Submissions waiting for the end of this turn of the event loop. */
  #batch: { hash: `0x${string}`; data: IntakeJobData; resolve: () => void; reject: (e: Error) => void }[] = [];
  /** The addBulk calls under way (close() waits for them) and how many were made. */
  readonly #adding = new Set<Promise<void>>();
  #bulkAdds = 0;

  constructor(options: IntakeOptions) {
    this.#options = options;
    this.#producer = connectProducerRedis(options);
    const keep = options.keepSeconds ?? 3_600;
    this.#queue = new Queue(INTAKE_QUEUE, {
      connection: this.#producer,
      prefix: options.prefix,
      skipWaitingForReady: true,
      defaultJobOptions: {
        removeOnComplete: { age: keep, count: 200_000 },
        removeOnFail: { age: keep, count: 200_000 },
      },
    });
    this.#queue.on("error", () => {});
  }

  /**
   * Durably accepts a transaction: once this resolves, a job with this hash is in Redis (the one
   * just added, or the one a resubmission finds: BullMQ adds nothing for an existing job id).
   * Rejects with REDIS_UNAVAILABLE when Redis cannot take it. The submissions of one turn of the
   * event loop (a burst of eth_sendRawTransaction calls) go to Redis together, as one `addBulk`:
   * one round trip and one socket write for all of them, not one each.
   */
  submit(hash: `0x${string}`, data: IntakeJobData): Promise<void> {
    if (this.#closed) return Promise.reject(new QueueError("QUEUE_CLOSED", "transaction intake is shut down"));
    return new Promise((resolve, reject) => {
      if (this.#batch.length === 0) setImmediate(() => this.#flush());
      this.#batch.push({ hash, data, resolve, reject });
    });
  }

  /** `addBulk` calls made so far (tests: the submissions of one turn share one). */
  get bulkAdds(): number {
    return this.#bulkAdds;
  }

  #flush(): void {
    const batch = this.#batch;
    this.#batch = [];
    for (let i = 0; i < batch.length; i += SUBMIT_BATCH) {
      const part = batch.slice(i, i + SUBMIT_BATCH);
      this.#bulkAdds++;
      const adding = producerDeadline(this.#queue.addBulk(part.map((s) => ({ name: "tx", data: s.data, opts: { jobId: s.hash } })))).then(
        () => part.forEach((s) => s.resolve()),
        (cause: unknown) => {
          const error = redisUnavailable(this.#options.url, cause);
          part.forEach((s) => s.reject(error));
        },
      );
      this.#adding.add(adding);
      void adding.finally(() => this.#adding.delete(adding));
    }
  }

  /**
   * Starts consuming: each job is handed to `consume` once it succeeds or fails for good, up to
   * `concurrency` jobs at a time (default INTAKE_CONCURRENCY).
   */
  start(consume: IntakeConsumer, concurrency = INTAKE_CONCURRENCY): void {
    if (this.#worker !== undefined) throw new Error("intake worker already started");
    this.#workerRedis = connectWorkerRedis(this.#options);
    this.#worker = new Worker(
      INTAKE_QUEUE,
      async (job: Job) => {
        const data = parseJobData(job);
        await this.#running.track(Promise.resolve(consume(job.id as `0x${string}`, data)));
      },
      { connection: this.#workerRedis, prefix: this.#options.prefix, concurrency },
    );
    this.#worker.on("error", () => {});
  }

  /** Whether the job of `hash` is still to be consumed (a refusal now is not the last word on it). */
  async willRun(hash: `0x${string}`): Promise<boolean> {
    try {
      const state = await producerDeadline(this.#queue.getJobState(hash));
      return state === "waiting" || state === "active" || state === "delayed" || state === "prioritized";
    } catch (cause) {
      throw redisUnavailable(this.#options.url, cause);
    }
  }

  /** Jobs not yet consumed (waiting + active + delayed). */
  async depth(): Promise<number> {
    return countPendingJobs(this.#queue);
  }

  /** Why a transaction was refused after it was queued, if it was. */
  async failureReason(hash: `0x${string}`): Promise<string | undefined> {
    const job = await this.#queue.getJob(hash);
    return job?.failedReason || undefined;
  }

  /** Stops taking jobs, waits for the running ones, closes connections. */
  async close(): Promise<void> {
    this.#closed = true;
    // Submissions already made get their answer before the connection goes.
    this.#flush();
    await Promise.allSettled([...this.#adding]);
    await closeQueueParts({ worker: this.#worker, running: this.#running, queue: this.#queue, workerRedis: this.#workerRedis, producer: this.#producer }, this.#options.closeGraceMs);
  }

  /** Deletes every key of this queue (tests and `--reset` only). */
  async obliterate(): Promise<void> {
    await this.#queue.obliterate({ force: true });
  }
}
