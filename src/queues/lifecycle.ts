/**
 * What the intake and the outbox do alike with their BullMQ parts: count what is still to do,
 * and shut down in the right order (the worker first, so running jobs finish, then the queue,
 * then the connections).
 *
 * A running job gets CLOSE_GRACE_MS to finish; one that does not (a consumer waiting on
 * something that will not come) is left behind with `worker.close(true)`, not waited on for
 * ever: a shutdown that hangs keeps a member's process, its ports and its store lock alive. A job
 * left so stays in Redis and is taken again (BullMQ's stalled-job check) by the next worker.
 */
import type { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";

/** Jobs not yet done: waiting, running, delayed (retries) and prioritized. */
export async function countPendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

export const CLOSE_GRACE_MS = 10_000;

/** The consumer calls under way, so that a shutdown can wait for them with a bound. */
export class RunningJobs {
  readonly #running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const done = () => void this.#running.delete(work);
    work.then(done, done);
    return work;
  }

  /** True once every call under way has ended, false if `ms` passed first. */
  async endedWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const ended = Promise.allSettled([...this.#running]).then(() => true as const);
    try {
      return await Promise.race([ended, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export async function closeQueueParts(
  parts: { worker: Worker | undefined; running: RunningJobs; queue: Queue; workerRedis: Redis | undefined; producer: Redis },
  graceMs = CLOSE_GRACE_MS,
): Promise<void> {
  if (parts.worker !== undefined) {
    // Paused first (not waiting for the running jobs), so that no job starts while we wait, and
    // so that close(true) can still be chosen after: a graceful close() could not be forced later.
    await parts.worker.pause(true);
    const ended = await parts.running.endedWithin(graceMs);
    await parts.worker.close(!ended);
  }
  await parts.queue.close();
  parts.workerRedis?.disconnect();
  parts.producer.disconnect();
}
