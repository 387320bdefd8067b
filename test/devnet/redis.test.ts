import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pingRedis } from "../../src/queues/index.ts";
import { DevnetError } from "../../src/devnet/errors.ts";
import { ensureRedis, findOnPath, type DevnetRedis } from "../../src/devnet/redis.ts";
import { deadRedisUrl, redisUrl } from "../fixtures/redis.ts";
import { alive, identify } from "../fixtures/devnet-process.ts";

const dataDir = mkdtempSync(join(tmpdir(), "devnet-redis-"));
const started: DevnetRedis[] = [];
after(async () => {
  await Promise.all(started.map((r) => r.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("ensureRedis", () => {
  test("uses the Redis that answers at the given URL and starts nothing", async () => {
    await pingRedis(redisUrl);
    const redis = await ensureRedis({ url: redisUrl, dataDir });
    started.push(redis);
    assert.equal(redis.url, redisUrl);
    assert.equal(redis.started, false);
    assert.equal(redis.pid, undefined);
    await redis.stop();
    await pingRedis(redisUrl);
  });

  test("starts a private redis-server on a loopback port when none answers, and stops it", async () => {
    assert.ok(findOnPath("redis-server"), "this machine has redis-server on PATH (the test depends on it)");
    const redis = await ensureRedis({ url: deadRedisUrl, dataDir });
    started.push(redis);
    assert.equal(redis.started, true);
    assert.match(redis.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(redis.url, deadRedisUrl);
    await pingRedis(redis.url);
    const server = identify(redis.pid!)!;
    assert.ok(server && alive(server));
    await redis.stop();
    assert.equal(alive(server), false, "redis-server has exited");
    await assert.rejects(pingRedis(redis.url, 500), /Redis is not reachable/);
    await redis.stop();
  });

  test("says how to get a Redis when none answers and there is no redis-server binary", async () => {
    await assert.rejects(ensureRedis({ url: deadRedisUrl, dataDir, searchPath: dataDir }), (error: unknown) => {
      assert.ok(error instanceof DevnetError);
      assert.equal(error.code, "REDIS_UNAVAILABLE");
      assert.match(error.message, /No Redis answers at redis:\/\/127\.0\.0\.1:1/);
      assert.match(error.message, /apt-get install redis-server/);
      assert.match(error.message, /REDIS_URL/);
      return true;
    });
  });
});
