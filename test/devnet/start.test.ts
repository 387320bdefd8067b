/**
 * `npm start` as a developer runs it: scripts/start.ts as a child process with a temp data dir
 * and free loopback ports, read through its printed output; then Ctrl-C (SIGINT) and a check
 * that every process it started is gone and its ports are free again.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { l2DevAccounts } from "../../src/devnet/accounts.ts";
import { checkPortFree } from "../../src/devnet/ports.ts";
import { findOnPath } from "../../src/devnet/redis.ts";
import { callRpc } from "../../src/devnet/rpc.ts";
import { L2_DEV_BALANCE } from "../../src/devnet/start.ts";
import { readDeployment } from "../../src/deployment/contracts.ts";
import { deadRedisUrl, eventually } from "../fixtures/redis.ts";
import { freePort } from "../fixtures/ports.ts";
import { alive, descendants, freeRange, kill, runStart, waitUntilReady, type ProcessRef, type Run } from "../fixtures/devnet-process.ts";

describe("npm start refuses what it cannot run, before starting anything", () => {
  test("a bad option: the reason and the usage on stderr, exit 2", async () => {
    const run = runStart(["--nodes", "2"]);
    assert.deepEqual(await run.exit, { code: 2, signal: null });
    assert.match(run.err, /--nodes must be an integer from 4 to 16 \(got "2"\)/);
    assert.match(run.err, /usage: npm start -- \[options\]/);
    assert.equal(run.out, "");
  });

  test("--help prints the usage, exit 0", async () => {
    const run = runStart(["--help"]);
    assert.deepEqual(await run.exit, { code: 0, signal: null });
    assert.match(run.out, /--byzantine <i>:<mode>/);
  });
});

test("no Redis and no redis-server to start: says how to get one, exit 1, nothing left behind", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "devnet-start-noredis-")), "data");
  try {
    // PATH holds only this Node (hardhat build needs it), so there is no redis-server to find.
    const run = runStart(["--data-dir", dir], { ...process.env, REDIS_URL: deadRedisUrl, PATH: dirname(process.execPath) });
    assert.deepEqual(await run.exit, { code: 1, signal: null });
    assert.match(run.err, /cannot start the devnet: No Redis answers at redis:\/\/127\.0\.0\.1:1 and there is no `redis-server` on PATH/);
    assert.match(run.err, /apt-get install redis-server/);
    assert.deepEqual(descendants(run.child.pid!), []);
  } finally {
    rmSync(join(dir, ".."), { recursive: true, force: true });
  }
});

test("SIGTERM during start-up: the step under way ends, what started is stopped in order, exit 0", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "devnet-start-term-")), "data");
  const run = runStart(["--data-dir", dir, "--l1-port", String(await freePort()), "--rpc-port", String(await freeRange(4))], { ...process.env, REDIS_URL: deadRedisUrl });
  let started: ProcessRef[] = [];
  try {
    await eventually(() => {
      if (run.child.exitCode !== null) throw new Error(`npm start exited with ${run.child.exitCode}:\n${run.out}\n${run.err}`);
      return run.out.includes("• L1 hardhat node");
    }, "npm start to start its L1 node", 120_000);
    started = descendants(run.child.pid!);
    assert.ok(started.length >= 2, `redis-server and the L1 node run below npm start: ${started.join(", ")}`);
    run.child.kill("SIGTERM");
    assert.deepEqual(await run.exit, { code: 0, signal: null });
    assert.match(run.out, /SIGTERM: stopping the devnet\n(?:.*\n)*• stopping L1 node\n(?:.*\n)*• stopping redis-server\n(?:.*\n)*stopped\n$/);
    assert.doesNotMatch(run.out, /devnet ready/);
    assert.equal(run.err, "");
    await eventually(() => started.every((pid) => !alive(pid)), `the processes ${started.join(", ")} to be gone`, 10_000);
  } finally {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
    for (const p of [...started, ...descendants(run.child.pid!)]) kill(p);
    rmSync(join(dir, ".."), { recursive: true, force: true });
  }
});

/**
 * With no Redis answering at REDIS_URL, npm start runs its own redis-server in the data dir: the
 * README's quick start on a machine that has only the binary. So this run covers every process
 * npm start can own, and the stop order of all of them.
 */
describe("npm start runs the whole devnet and Ctrl-C stops all of it", () => {
  const root = mkdtempSync(join(tmpdir(), "devnet-start-"));
  const dataDir = join(root, "data");
  let run: Run | undefined;
  let l1Port = 0;
  let rpcPort = 0;
  let started: ProcessRef[] = [];

  before(async () => {
    l1Port = await freePort();
    rpcPort = await freeRange(4);
    assert.ok(findOnPath("redis-server"), "this machine has redis-server on PATH (the test depends on it)");
    run = runStart(["--data-dir", dataDir, "--l1-port", String(l1Port), "--rpc-port", String(rpcPort), "--status-interval", "1"], { ...process.env, REDIS_URL: deadRedisUrl });
    await waitUntilReady(run);
    started = descendants(run.child.pid!);
  });

  after(async () => {
    // After a failure: nothing may outlive the test.
    if (run !== undefined && run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
    for (const p of [...started, ...(run?.child.pid === undefined ? [] : descendants(run.child.pid))]) kill(p);
    rmSync(root, { recursive: true, force: true });
  });

  test("prints the endpoints, which answer: L2 chain 901 on member 0's port, L1 chain 31337", async () => {
    const l2 = `http://127.0.0.1:${rpcPort}`;
    const l1 = `http://127.0.0.1:${l1Port}`;
    assert.match(run!.out, new RegExp(`L2 JSON-RPC   ${l2}   \\(member 0; chain id 901\\)`));
    for (let i = 1; i < 4; i++) assert.match(run!.out, new RegExp(`http://127\\.0\\.0\\.1:${rpcPort + i}   \\(member ${i}\\)`));
    assert.match(run!.out, new RegExp(`L1 JSON-RPC   ${l1}   \\(hardhat node; chain id 31337\\)`));
    assert.equal(await callRpc(l2, "eth_chainId"), "0x385");
    assert.equal(await callRpc(l1, "eth_chainId"), "0x7a69");
  });

  test("the deployments file is in the data dir and the printed addresses are its contracts, with code on L1", async () => {
    const deployment = readDeployment(join(dataDir, "deployments.json"));
    assert.equal(deployment.l2ChainId, "901");
    for (const [name, address] of [["Committee", deployment.contracts.committee], ["Rollup", deployment.contracts.rollup], ["Bridge/Inbox", deployment.contracts.bridge]] as const) {
      assert.match(run!.out, new RegExp(`${name.replace("/", "\\/")} +${address}`));
      assert.notEqual(await callRpc(`http://127.0.0.1:${l1Port}`, "eth_getCode", [address, "latest"]), "0x");
    }
    assert.equal(deployment.members.length, 4);
  });

  test("the members keep committing blocks, on every member's endpoint", async () => {
    const heights = await Promise.all([0, 1, 2, 3].map(async (i) => BigInt(await callRpc<string>(`http://127.0.0.1:${rpcPort + i}`, "eth_blockNumber"))));
    const first = heights[0]!;
    assert.ok(heights.every((h) => h > 0n), `every member has committed blocks: ${heights.join(", ")}`);
    await eventually(async () => BigInt(await callRpc<string>(`http://127.0.0.1:${rpcPort}`, "eth_blockNumber")) > first, "member 0 to commit another block", 60_000);
  });

  test("the dev accounts hold their deposits on L2, and their keys are printed", async () => {
    assert.match(run!.out, /L2 dev accounts, funded by deposits \(public keys from the Hardhat test mnemonic: devnet only\)/);
    for (const account of l2DevAccounts(10)) {
      assert.match(run!.out, new RegExp(`${account.address} \\(100 ETH\\)\\n +private key ${account.privateKey}`));
      assert.equal(BigInt(await callRpc<string>(`http://127.0.0.1:${rpcPort + 1}`, "eth_getBalance", [account.address, "latest"])), L2_DEV_BALANCE);
    }
  });

  test("SIGINT stops everything in order and exits 0: no process left, every port free", async () => {
    const [, redisPort, redisPidText] = /• redis redis:\/\/127\.0\.0\.1:(\d+) \(private redis-server, pid (\d+)\)/.exec(run!.out) ?? [];
    const redisPid = Number(redisPidText);
    assert.ok(started.some((p) => p.pid === redisPid), `the private redis-server (pid ${redisPid}) is npm start's child`);
    assert.ok(started.length >= 6, `npm start runs redis-server, the L1 node and 4 members: ${started.length} processes below it`);
    run!.child.kill("SIGINT");
    assert.deepEqual(await run!.exit, { code: 0, signal: null });
    assert.match(run!.out, /SIGINT: stopping the devnet\n• stopping members\n(?:.*\n)*• stopping L1 node\n(?:.*\n)*• stopping redis-server\n(?:.*\n)*stopped\n/);
    await eventually(() => started.every((pid) => !alive(pid)), `the devnet's processes ${started.join(", ")} to be gone`, 10_000);
    await checkPortFree(l1Port, "127.0.0.1", "L1 (after stop)");
    for (let i = 0; i < 4; i++) await checkPortFree(rpcPort + i, "127.0.0.1", `member ${i} RPC (after stop)`);
    await checkPortFree(Number(redisPort), "127.0.0.1", "private redis-server (after stop)");
  });
});
