/**
 * Redis connections for BullMQ. Redis is a node-local service (DESIGN §2): a node's Redis
 * failing is that node failing, so the node says so loudly and keeps retrying rather than
 * pretending to work.
 *
 * Two kinds of connection:
 *  - worker connections block on Redis and must retry forever (`maxRetriesPerRequest: null`,
 *    which BullMQ requires for workers);
 *  - producer connections serve callers that are waiting (an RPC client submitting a
 *    transaction): they must fail within seconds so the caller gets an error instead of a hang, which is
 *    how "accepted into Redis, or the sender gets an error" is kept.
 *
 * The caller's deadline (PRODUCER_TIMEOUT_MS, `withinDeadline`) counts Redis's time, not ours: a
 * member whose own event loop stalled (a loaded machine, a long block) reads the answers that came
 * meanwhile before it gives up. ioredis' own commandTimeout fires from a timer that runs before
 * the socket is read after such a stall, and refused healthy Redis commands at load 13–25; it stays
 * only as the backstop that bounds what a hung Redis can pile up.
 */
import { Redis } from "ioredis";
import { QueueError } from "./errors.ts";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export interface RedisOptions {
  readonly url: string;
  /** Called at most once per outage, when the connection drops or cannot be made. */
  readonly onUnavailable?: (error: Error) => void;
  readonly onRecovered?: () => void;
}

const MAX_RECONNECT_DELAY_MS = 2_000;
export const PRODUCER_TIMEOUT_MS = 2_000;
const PRODUCER_BACKSTOP_MS = 30_000;
/** A timer this late fired after a stall of the event loop, not after the time it was set for. */
const STALL_MS = 50;

/**
 * `work`, or a rejection with `timeout()` once it has had `ms` of this process's attention: a
 * timer that fires late (the loop stalled) is set again for the time lost, and the last one
 * yields to I/O (setImmediate runs after the poll phase) so an answer already received is read
 * before giving up. `maxMs` bounds the whole wait however much the loop stalls.
 */
export function withinDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error, maxMs = PRODUCER_BACKSTOP_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const started = performance.now();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const arm = (delay: number) => {
      const due = performance.now() + delay;
      timer = setTimeout(() => {
        const late = performance.now() - due;
        if (late > STALL_MS && performance.now() - started < maxMs) return arm(late);
        setImmediate(() => settle(() => reject(timeout())));
      }, delay);
    };
    arm(ms);
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/** A producer's Redis call within PRODUCER_TIMEOUT_MS of Redis's own time (see withinDeadline). */
export function producerDeadline<T>(work: Promise<T>): Promise<T> {
  return withinDeadline(work, PRODUCER_TIMEOUT_MS, () => new Error(`Redis did not answer within ${PRODUCER_TIMEOUT_MS} ms`));
}

function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), MAX_RECONNECT_DELAY_MS);
}

function watch(redis: Redis, options: RedisOptions): Redis {
  let down = false;
  redis.on("error", (error: Error) => {
    if (!down) {
      down = true;
      options.onUnavailable?.(error);
    }
  });
  redis.on("ready", () => {
    if (down) {
      down = false;
      options.onRecovered?.();
    }
  });
  return redis;
}

/** A connection for BullMQ workers and queue events: retries forever, with back-off. */
export function connectWorkerRedis(options: RedisOptions): Redis {
  return watch(
    new Redis(options.url, { maxRetriesPerRequest: null, retryStrategy: reconnectDelay, lazyConnect: false }),
    options,
  );
}

/** A connection for producers: commands fail at once while Redis is unreachable. */
export function connectProducerRedis(options: RedisOptions): Redis {
  return watch(
    new Redis(options.url, {
      // Commands issued while (re)connecting wait in ioredis' offline queue: BullMQ sends
      // commands as soon as a Queue is made, so the queue cannot be disabled outright. A waiting
      // sender gets its answer from withinDeadline; this only bounds a hung Redis's backlog.
      maxRetriesPerRequest: 1,
      commandTimeout: PRODUCER_BACKSTOP_MS,
      retryStrategy: reconnectDelay,
      connectTimeout: PRODUCER_TIMEOUT_MS,
    }),
    options,
  );
}

/** REDIS_UNAVAILABLE, saying where we looked and how to get a Redis. */
export function redisUnavailable(url: string, cause: unknown): QueueError {
  return new QueueError("REDIS_UNAVAILABLE", redisUnavailableMessage(url, cause), { cause });
}

/** What a user reads when Redis is not there: where we looked and how to get one. */
export function redisUnavailableMessage(url: string, cause?: unknown): string {
  const reason = cause instanceof Error ? ` (${cause.message})` : "";
  return (
    `Redis is not reachable at ${url}${reason}. Start one (for example ` +
    "`redis-server --port 6379 --save '' --appendonly no`, or `apt-get install redis-server`) " +
    "or point REDIS_URL at a running Redis 6.2+."
  );
}

/** Resolves once Redis answers PING within `timeoutMs`; otherwise a REDIS_UNAVAILABLE error. */
export async function pingRedis(url: string, timeoutMs = 2_000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (cause) {
    throw redisUnavailable(url, cause);
  } finally {
    redis.disconnect();
  }
}
