import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { INTAKE_CONCURRENCY, INTAKE_QUEUE, QueueError, RejectedTransaction, TxIntake, pingRedis } from "../../src/queues/index.ts";
import { deadRedisUrl, eventually, redisUrl, uniquePrefix } from "../fixtures/redis.ts";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;

describe("transaction intake over real Redis", () => {
  const intakes: TxIntake[] = [];
  const open = () => {
    const intake = new TxIntake({ url: redisUrl, prefix: uniquePrefix("intake") });
    intakes.push(intake);
    return intake;
  };
  after(async () => {
    for (const i of intakes) {
      await i.obliterate().catch(() => {});
      await i.close();
    }
  });

  test("a transaction is consumed once, and its resubmission is the same job, which does not run again", async () => {
    const intake = open();
    const seen: string[] = [];
    intake.start((h) => void seen.push(h));
    await intake.submit(hash(1), { raw: "0x01", source: "rpc" });
    await eventually(() => seen.length === 1, "first transaction consumed");
    assert.equal(await intake.willRun(hash(1)), false, "its job ran");
    await intake.submit(hash(1), { raw: "0x01", source: "peer:2" });
    assert.equal(await intake.willRun(hash(1)), false, "the resubmission added no job");
    await intake.submit(hash(2), { raw: "0x02", source: "rpc" });
    await eventually(() => seen.length === 2, "second transaction consumed");
    assert.deepEqual(seen, [hash(1), hash(2)]);
    assert.equal(await intake.willRun(hash(3)), false, "no job at all");
  });

  test("a job not yet consumed will run", async () => {
    const intake = open();
    await intake.submit(hash(4), { raw: "0x04", source: "rpc" });
    assert.equal(await intake.willRun(hash(4)), true, "waiting for a worker");
  });

  test("several jobs are consumed at once, each once", async () => {
    const intake = open();
    let active = 0;
    let most = 0;
    const seen: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    intake.start(async (h) => {
      most = Math.max(most, ++active);
      await released;
      seen.push(h);
      active--;
    });
    try {
      for (let n = 20; n < 28; n++) await intake.submit(hash(n), { raw: "0x01", source: "rpc" });
      await eventually(() => active >= 2, "a second job taken while the first is still running");
    } finally {
      release();
    }
    await eventually(() => seen.length === 8, "every job consumed");
    assert.equal(new Set(seen).size, 8);
    assert.ok(most <= INTAKE_CONCURRENCY);
  });

  test("a rejected transaction fails once with its reason, and the worker goes on", async () => {
    const intake = open();
    const seen: string[] = [];
    let calls = 0;
    intake.start((h) => {
      calls++;
      if (h === hash(7)) throw new RejectedTransaction("nonce too low: expected 5, got 3");
      seen.push(h);
    });
    await intake.submit(hash(7), { raw: "0x07", source: "rpc" });
    await intake.submit(hash(8), { raw: "0x08", source: "rpc" });
    await eventually(() => seen.length === 1, "the valid transaction after the rejected one");
    assert.equal(await intake.failureReason(hash(7)), "nonce too low: expected 5, got 3");
    assert.equal(calls, 2, "a rejected transaction is not retried");
  });

  test("a malformed job (written to Redis by something else) fails with a clear reason, not a crash", async () => {
    const prefix = uniquePrefix("intake-bad");
    const intake = new TxIntake({ url: redisUrl, prefix });
    intakes.push(intake);
    const seen: string[] = [];
    intake.start((h) => void seen.push(h));
    const connection = new Redis(redisUrl);
    const raw = new Queue(INTAKE_QUEUE, { connection, prefix });
    try {
      await raw.add("tx", { raw: 42 }, { jobId: hash(9) });
      await raw.add("tx", { raw: "0x0a" }, { jobId: "not-a-hash" });
      await intake.submit(hash(10), { raw: "0x0a", source: "rpc" });
      await eventually(() => seen.length === 1, "the good job after two bad ones");
      assert.match((await intake.failureReason(hash(9))) ?? "", /no valid "raw" hex field/);
    } finally {
      await raw.close();
      connection.disconnect();
    }
  });

  test("graceful close waits for the running job", async () => {
    const intake = new TxIntake({ url: redisUrl, prefix: uniquePrefix("intake-close") });
    let finished = false;
    let started = false;
    intake.start(async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 200));
      finished = true;
    });
    await intake.submit(hash(11), { raw: "0x0b", source: "rpc" });
    await eventually(() => started, "job started");
    await intake.obliterate().catch(() => {});
    await intake.close();
    assert.equal(finished, true);
  });

  test("close() leaves a consumer call that never ends after its grace period instead of waiting for ever", async () => {
    const intake = new TxIntake({ url: redisUrl, prefix: uniquePrefix("intake-hung"), closeGraceMs: 300 });
    let started = false;
    intake.start(async () => {
      started = true;
      await new Promise(() => {}); // a consumer waiting on something that will not come
    });
    await intake.submit(hash(13), { raw: "0x0d", source: "rpc" });
    await eventually(() => started, "job started");
    await intake.obliterate().catch(() => {});
    await intake.close(); // returns: before, this awaited the hung job, and the test file never exited
  });

  test("the submissions of one turn go to Redis in one addBulk, each its own job; later ones in another", async () => {
    const intake = open();
    const before = intake.bulkAdds;
    await Promise.all(Array.from({ length: 40 }, (_, i) => intake.submit(hash(100 + i), { raw: "0x01", source: "rpc" })));
    assert.equal(intake.bulkAdds - before, 1, "one addBulk for the 40");
    for (let i = 0; i < 40; i++) assert.equal(await intake.willRun(hash(100 + i)), true, `job ${i} is in Redis`);
    await intake.submit(hash(100), { raw: "0x01", source: "rpc" });
    assert.equal(intake.bulkAdds - before, 2, "a submission in a later turn is another");
    assert.equal(await intake.depth(), 40, "a resubmission in a batch adds nothing");
  });

  test("close() answers the submissions already made before it closes the connection", async () => {
    const prefix = uniquePrefix("intake-close");
    const intake = new TxIntake({ url: redisUrl, prefix });
    const submitted = intake.submit(hash(200), { raw: "0x01", source: "rpc" });
    await intake.close();
    await submitted;
    const reopened = new TxIntake({ url: redisUrl, prefix });
    intakes.push(reopened);
    assert.equal(await reopened.willRun(hash(200)), true, "the job is in Redis");
  });

  test("when Redis is unreachable the sender gets an error that says so", async () => {
    const intake = new TxIntake({ url: deadRedisUrl, prefix: uniquePrefix("dead") });
    await assert.rejects(intake.submit(hash(12), { raw: "0x0c", source: "rpc" }), (e: QueueError) => {
      assert.equal(e.code, "REDIS_UNAVAILABLE");
      assert.match(e.message, /Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
      assert.match(e.message, /REDIS_URL/);
      return true;
    });
    await intake.close();
    await assert.rejects(pingRedis(deadRedisUrl, 500), (e: QueueError) => e.code === "REDIS_UNAVAILABLE");
    await pingRedis(redisUrl);
  });
});
