import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { L1Outbox, PermanentOutboxFailure, type OutboxItem } from "../../src/queues/index.ts";
import { eventually, redisUrl, uniquePrefix } from "../fixtures/redis.ts";

describe("L1 outbox over real Redis", () => {
  const outboxes: L1Outbox[] = [];
  const open = () => {
    const outbox = new L1Outbox({ url: redisUrl, prefix: uniquePrefix("outbox"), retryDelayMs: 20, maxRetryDelayMs: 50 });
    outboxes.push(outbox);
    return outbox;
  };
  after(async () => {
    for (const o of outboxes) {
      await o.obliterate().catch(() => {});
      await o.close();
    }
  });

  test("the same settle request twice is one job", async () => {
    const outbox = open();
    await outbox.enqueue({ kind: "settle", number: "5" });
    await outbox.enqueue({ kind: "settle", number: "5" });
    assert.equal(await outbox.depth(), 1);
    const done: OutboxItem[] = [];
    outbox.start(async (item) => void done.push(item));
    await eventually(() => done.length === 1, "settle job consumed");
    assert.deepEqual(done, [{ kind: "settle", number: "5" }]);
  });

  test("an L1 failure is retried with back-off until it succeeds: nothing is lost", async () => {
    const outbox = open();
    const attempts: number[] = [];
    outbox.start(async (_item, attempt) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error("L1 RPC unreachable");
    });
    await outbox.enqueue({ kind: "evidence", id: "vote-2-17", evidence: { view: "17" } });
    await eventually(() => attempts.length === 3, "third attempt");
    assert.deepEqual(attempts, [1, 2, 3]);
    await eventually(async () => (await outbox.depth()) === 0, "job completed");
  });

  test("a permanent failure is not retried", async () => {
    const outbox = open();
    let calls = 0;
    outbox.start(async () => {
      calls++;
      throw new PermanentOutboxFailure("evidence refused by L1: MemberAlreadySlashed(2)");
    });
    await outbox.enqueue({ kind: "evidence", id: "vote-2-18", evidence: { view: "18" } });
    await eventually(async () => (await outbox.depth()) === 0, "job failed");
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls, 1);
  });
});
