/** The start-up Redis check. */
import { pingRedis, QueueError, redisUnavailableMessage } from "../queues/index.ts";

const REDIS_CHECK_MS = 5_000;

/**
 * pingRedis, bounded: once, under a loaded `npm test`, a ping to a closed port never settled and
 * the node hung at start instead of exiting; the bound makes "Redis unreachable" always an answer.
 */
export async function checkRedis(url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueError("REDIS_UNAVAILABLE", redisUnavailableMessage(url, new Error(`no answer within ${REDIS_CHECK_MS} ms`)))), REDIS_CHECK_MS);
  });
  try {
    await Promise.race([pingRedis(url), late]);
  } finally {
    clearTimeout(timer);
  }
}
