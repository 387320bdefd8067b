/**
 * What the intake and the outbox do alike with their BullMQ parts: count what is still to do,
 * and shut down in the right order (the worker first, so running jobs finish, then the queue,
 * then the connections).
 */
import type { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";

/** Jobs not yet done: waiting, running, delayed (retries) and prioritized. */
export async function countPendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

export async function closeQueueParts(parts: { worker: Worker | undefined; queue: Queue; workerRedis: Redis | undefined; producer: Redis }): Promise<void> {
  await parts.worker?.close();
  await parts.queue.close();
  parts.workerRedis?.disconnect();
  parts.producer.disconnect();
}
