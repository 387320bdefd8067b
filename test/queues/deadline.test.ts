/**
 * The producer's deadline counts Redis's time, not a stall of our own event loop: an answer that
 * arrived while the loop was blocked is read before the deadline is called missed.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Redis } from "ioredis";
import { TxIntake, withinDeadline } from "../../src/queues/index.ts";
import { redisUrl, uniquePrefix } from "../fixtures/redis.ts";

/** Blocks the event loop, as a long synchronous step (a big block, a loaded machine) does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else runs
  }
}

const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
after(() => redis.quit());

test("an answer that came while the loop was stalled past the deadline is taken, not refused", async () => {
  await redis.ping();
  const answer = withinDeadline(redis.ping(), 50, () => new Error("deadline missed"));
  stall(400);
  assert.equal(await answer, "PONG");
});

test("work that never answers is refused with the caller's error once the deadline passes", async () => {
  await assert.rejects(withinDeadline(new Promise<never>(() => {}), 30, () => new Error("Redis did not answer")), /Redis did not answer/);
});

test("a failure of the work is passed on as it is", async () => {
  await assert.rejects(withinDeadline(Promise.reject(new Error("WRONGTYPE")), 1_000, () => new Error("deadline missed")), /WRONGTYPE/);
});

test("a submission whose answers wait behind a 3 s stall of the member is accepted (ioredis' 2 s commandTimeout refused it)", async () => {
  const intake = new TxIntake({ url: redisUrl, prefix: uniquePrefix("deadline") });
  try {
    await intake.depth(); // connected, scripts loaded
    const submitted = intake.submit(`0x${"ab".repeat(32)}`, { raw: "0x01", source: "rpc" });
    await new Promise((resolve) => setImmediate(resolve)); // its first command is on the wire
    stall(3_000);
    await submitted;
    assert.equal(await intake.willRun(`0x${"ab".repeat(32)}`), true, "its job is in Redis");
  } finally {
    await intake.obliterate();
    await intake.close();
  }
});
