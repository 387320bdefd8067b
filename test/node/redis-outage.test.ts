/**
 * Redis lost while a member runs: the member says so, keeps running and retrying, and a wallet
 * submitting a transaction gets an error (-32002) instead of a silent drop; once Redis is back,
 * submissions are accepted again. Uses a private redis-server so the shared one is untouched.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, test } from "node:test";
import { freePort } from "../fixtures/ports.ts";
import { eventually } from "../fixtures/redis.ts";
import { pingRedis } from "../../src/queues/index.ts";
import { TestCluster } from "./support/cluster.ts";
import { signTransfer } from "./support/transactions.ts";

let port: number;
let redis: ChildProcess | undefined;
let cluster: TestCluster | undefined;

async function startRedis(): Promise<void> {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await eventually(async () => {
    try {
      await pingRedis(`redis://127.0.0.1:${port}`, 500);
      return true;
    } catch {
      return false;
    }
  }, "the private redis-server to answer");
}

async function stopRedis(): Promise<void> {
  const r = redis;
  if (r === undefined || r.exitCode !== null) return;
  const exited = new Promise((resolve) => r.once("exit", resolve));
  r.kill("SIGKILL");
  await exited;
}

before(async () => {
  port = await freePort();
  await startRedis();
  cluster = await TestCluster.create("redis-outage", 4, `redis://127.0.0.1:${port}`);
  // One member alone is enough: submission and intake do not need a quorum.
  await cluster.start(0);
});
after(async () => {
  await cluster?.stop().catch(() => {});
  await stopRedis();
});

test("with Redis gone a submission is refused with -32002 and the member keeps running; when Redis is back it accepts again", async () => {
  const c = cluster!;
  const { accounts, chainId } = c.devnet;
  const first = await signTransfer(accounts[0]!, { chainId, to: accounts[1]!.address, value: 1n, nonce: 0 });
  assert.match(await c.rpc<string>(0, "eth_sendRawTransaction", [first]), /^0x[0-9a-f]{64}$/);

  await eventually(async () => (await c.rpc<string>(0, "eth_getTransactionCount", [accounts[0]!.address, "pending"])) === "0x1", "the first transfer to reach the mempool");

  await stopRedis();
  const second = await signTransfer(accounts[0]!, { chainId, to: accounts[1]!.address, value: 1n, nonce: 1 });
  await assert.rejects(c.rpc(0, "eth_sendRawTransaction", [second]), (e: Error & { code: number }) => e.code === -32002 && /Redis is not reachable/.test(e.message));
  await eventually(() => c.events(0, "redis.unavailable").length > 0, "the member to log the outage");
  assert.equal((await c.metrics(0)).get("hotstuff_redis_up"), 0);
  assert.ok(c.isRunning(0));
  assert.equal(await c.rpc(0, "eth_chainId"), `0x${chainId.toString(16)}`, "the RPC still answers reads");

  await startRedis();
  await eventually(async () => {
    try {
      await c.rpc(0, "eth_sendRawTransaction", [second]);
      return true;
    } catch (e) {
      if ((e as { code?: number }).code !== -32002) throw e;
      return false;
    }
  }, "a submission to be accepted after Redis is back", 30_000);
  await eventually(() => c.events(0, "redis.recovered").length > 0, "the member to log the recovery");
  await eventually(async () => (await c.rpc<string>(0, "eth_getTransactionCount", [accounts[0]!.address, "pending"])) === "0x2", "both transfers to reach the mempool", 30_000);
});

test("after a restart (mempool lost, intake jobs kept) a resubmitted transaction is admitted again, not answered and dropped", async () => {
  const c = cluster!;
  const { accounts, chainId } = c.devnet;
  assert.equal(await c.kill(0, "SIGTERM"), 0);
  await c.start(0);
  assert.equal(await c.rpc(0, "eth_getTransactionCount", [accounts[0]!.address, "pending"]), "0x0", "the mempool is not persisted");
  for (const nonce of [0, 1]) {
    const raw = await signTransfer(accounts[0]!, { chainId, to: accounts[1]!.address, value: 1n, nonce });
    await c.rpc(0, "eth_sendRawTransaction", [raw]);
  }
  assert.equal(await c.rpc(0, "eth_getTransactionCount", [accounts[0]!.address, "pending"]), "0x2");
});
