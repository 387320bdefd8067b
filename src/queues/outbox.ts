/**
 * The L1 outbox: work that must reach L1 eventually (settling committed blocks, posting
 * equivocation evidence). L1 may be down or slow; jobs then wait and retry with capped
 * exponential back-off instead of being dropped. Job ids make every item idempotent: asking
 * twice to settle up to block N, or to report the same evidence, is one job.
 */
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { closeQueueParts, countPendingJobs, RunningJobs } from "./lifecycle.ts";
import { OUTBOX_QUEUE } from "./names.ts";
import { connectProducerRedis, connectWorkerRedis, producerDeadline, redisUnavailable, type RedisOptions } from "./redis.ts";

export type OutboxItem =
  /** Settle every committed block up to and including `number` (decimal string). */
  | { readonly kind: "settle"; readonly number: string }
  /** Post equivocation evidence; `evidence` is the codec's JSON form. */
  | { readonly kind: "evidence"; readonly id: string; readonly evidence: unknown };

export type OutboxConsumer = (item: OutboxItem, attempt: number) => Promise<void>;

export interface OutboxOptions extends RedisOptions {
  readonly prefix: string;
  /** First retry delay; doubles per attempt up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

/** A job that cannot succeed however often it is tried (for example: evidence L1 refuses). */
export class PermanentOutboxFailure extends UnrecoverableError {}

const MAX_ATTEMPTS = 1_000_000;

export function outboxJobId(item: OutboxItem): string {
  return item.kind === "settle" ? `settle-${item.number}` : `evidence-${item.id}`;
}

function parseItem(job: Job): OutboxItem {
  const data = job.data as { kind?: unknown; number?: unknown; id?: unknown; evidence?: unknown } | null;
  if (data?.kind === "settle" && typeof data.number === "string" && /^\d+$/.test(data.number)) {
    return { kind: "settle", number: data.number };
  }
  if (data?.kind === "evidence" && typeof data.id === "string" && data.evidence !== undefined) {
    return { kind: "evidence", id: data.id, evidence: data.evidence };
  }
  throw new UnrecoverableError(`outbox job ${job.id} is not a settle or evidence item`);
}

export class L1Outbox {
  readonly #options: OutboxOptions;
  readonly #producer: Redis;
  readonly #queue: Queue;
  #worker: Worker | undefined;
  readonly #running = new RunningJobs();
  #workerRedis: Redis | undefined;

  constructor(options: OutboxOptions) {
    this.#options = options;
    this.#producer = connectProducerRedis(options);
    this.#queue = new Queue(OUTBOX_QUEUE, {
      connection: this.#producer,
      prefix: options.prefix,
      skipWaitingForReady: true,
      defaultJobOptions: {
        attempts: MAX_ATTEMPTS,
        backoff: { type: "capped" },
        removeOnComplete: { count: 10_000 },
        removeOnFail: { count: 10_000 },
      },
    });
    this.#queue.on("error", () => {});
  }

  async enqueue(item: OutboxItem): Promise<void> {
    try {
      await producerDeadline(this.#queue.add(item.kind, item, { jobId: outboxJobId(item) }));
    } catch (cause) {
      throw redisUnavailable(this.#options.url, cause);
    }
  }

  /** Starts the consumer. One job at a time: settlement is ordered and shares one L1 nonce. */
  start(consume: OutboxConsumer): void {
    if (this.#worker !== undefined) throw new Error("outbox worker already started");
    const base = this.#options.retryDelayMs ?? 500;
    const cap = this.#options.maxRetryDelayMs ?? 30_000;
    this.#workerRedis = connectWorkerRedis(this.#options);
    this.#worker = new Worker(OUTBOX_QUEUE, async (job: Job) => this.#running.track(Promise.resolve(consume(parseItem(job), job.attemptsMade + 1))), {
      connection: this.#workerRedis,
      prefix: this.#options.prefix,
      concurrency: 1,
      settings: { backoffStrategy: (attemptsMade: number) => Math.min(base * 2 ** Math.max(0, attemptsMade - 1), cap) },
    });
    this.#worker.on("error", () => {});
  }

  async depth(): Promise<number> {
    return countPendingJobs(this.#queue);
  }

  async close(): Promise<void> {
    await closeQueueParts({ worker: this.#worker, running: this.#running, queue: this.#queue, workerRedis: this.#workerRedis, producer: this.#producer });
  }

  async obliterate(): Promise<void> {
    await this.#queue.obliterate({ force: true });
  }
}
