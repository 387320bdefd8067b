/**
 * Redis down under the RPC: a submission is -32002 (resource unavailable) saying so, never a
 * silent drop or a 500; reads, rollup_status (queue depths unknown: null) and batches keep
 * answering. A real member process on a private redis-server, which the test kills.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, test } from "node:test";
import { pingRedis } from "../../src/queues/index.ts";
import { freePort } from "../fixtures/ports.ts";
import { eventually } from "../fixtures/redis.ts";
import { TestCluster } from "../node/support/cluster.ts";
import { signTransfer } from "../node/support/transactions.ts";
import { call, post } from "./support/rpc.ts";

let redis: ChildProcess | undefined;
let cluster: TestCluster | undefined;

before(async () => {
  const port = await freePort();
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await eventually(async () => {
    try {
      await pingRedis(`redis://127.0.0.1:${port}`, 500);
      return true;
    } catch {
      return false;
    }
  }, "the private redis-server to answer");
  cluster = await TestCluster.create("rpc-redis-down", 4, `redis://127.0.0.1:${port}`);
  await cluster.start(0); // submission and reads need no quorum
});
after(async () => {
  await cluster?.stop().catch(() => {}); // its Redis is gone: key cleanup cannot succeed
  if (redis !== undefined && redis.exitCode === null) redis.kill("SIGKILL");
});

test("with Redis down: eth_sendRawTransaction is -32002 naming Redis; reads, status and batches still answer", async () => {
  const c = cluster!;
  const url = c.devnet.rpcUrls[0]!;
  const { accounts, chainId } = c.devnet;
  const exited = new Promise((resolve) => redis!.once("exit", resolve));
  redis!.kill("SIGKILL");
  await exited;

  const raw = await signTransfer(accounts[0]!, { chainId, to: accounts[1]!.address, value: 1n, nonce: 0 });
  const refused = await call(url, "eth_sendRawTransaction", [raw]);
  assert.equal(refused.error.code, -32002);
  assert.match(refused.error.message, /^transaction not accepted: .*Redis/);

  const status = (await call(url, "rollup_status")).result;
  assert.equal(status.intakeDepth, null);
  assert.equal(status.outboxDepth, null);
  assert.equal((await call(url, "eth_getBalance", [accounts[0]!.address, "latest"])).result, (await call(url, "eth_getBalance", [accounts[0]!.address, "pending"])).result);

  const batch = await post(url, JSON.stringify([
    { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [raw] },
    { jsonrpc: "2.0", id: 2, method: "eth_chainId" },
  ]));
  assert.equal(batch.status, 200);
  const byId = new Map(batch.body.map((r: { id: number }) => [r.id, r]));
  assert.equal((byId.get(1) as { error: { code: number } }).error.code, -32002);
  assert.equal((byId.get(2) as { result: string }).result, `0x${chainId.toString(16)}`);
  assert.ok(c.isRunning(0));
});
