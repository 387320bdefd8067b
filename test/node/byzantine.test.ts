/**
 * Three honest member processes and one Byzantine member (test/node/support/byzantine.ts: the
 * real member in this process, config field `byzantine: "bad-proposal"`, over the real
 * authenticated links). Honest members refuse to vote for a block
 * with a wrong state root, one carrying an invalid transaction, and a proposal with a bad
 * signature, and the chain moves on past those views. Then the same cluster is fed malformed,
 * oversized and unauthenticated network traffic and malformed transactions, and keeps committing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import { WebSocket } from "ws";
import { eventually } from "../fixtures/redis.ts";
import { ByzantineMember } from "./support/byzantine.ts";
import { TestCluster } from "./support/cluster.ts";
import { signTransfer } from "./support/transactions.ts";

const HONEST = [0, 1, 2];
let cluster: TestCluster;
let byzantine: ByzantineMember;

before(async () => {
  cluster = await TestCluster.create("byzantine");
  await cluster.startAll(HONEST);
  byzantine = await ByzantineMember.start(cluster.devnet.configFiles[3]!, "bad-proposal");
});
after(async () => {
  await byzantine?.stop();
  await cluster?.stop();
});

function votesOf(member: number): { view: number; payload: string }[] {
  const db = new DatabaseSync(join(cluster.devnet.dataDirs[member]!, "store.sqlite"), { readOnly: true });
  try {
    return db.prepare("SELECT view, payload FROM signed WHERE kind = 'vote'").all() as unknown as { view: number; payload: string }[];
  } finally {
    db.close();
  }
}

async function committedView(member: number): Promise<bigint> {
  const block = await cluster.rpc<{ view: string }>(member, "eth_getBlockByNumber", ["latest", false]);
  return BigInt(block.view);
}

test("honest members do not vote for a wrong state root, an invalid transaction or a badly signed proposal, and the chain moves on", async () => {
  await eventually(() => byzantine.proposals.length >= 3, "the Byzantine leader to propose three bad blocks", 120_000);
  const bad = byzantine.proposals.slice(0, 3);
  assert.deepEqual(bad.map((p) => p.kind), ["state-root", "invalid-tx", "bad-signature"]);
  const lastBadView = bad[bad.length - 1]!.view;
  await eventually(async () => {
    for (const m of HONEST) if ((await committedView(m)) <= lastBadView) return false;
    return true;
  }, "honest members to commit a block from a view after the last bad one", 120_000);

  for (const m of HONEST) {
    const votes = votesOf(m);
    for (const p of bad) assert.ok(!votes.some((v) => v.payload === p.hash), `member ${m} did not vote for the ${p.kind} block ${p.hash}`);
    const reasons = cluster.events(m, "consensus.rejected").map((l) => String(l.reason));
    const [stateRoot, invalidTx, badSig] = bad;
    assert.ok(reasons.some((r) => r.includes(stateRoot!.hash) && r.includes("STATE_ROOT_MISMATCH")), `member ${m} refused the wrong state root: ${reasons.join(" | ")}`);
    assert.ok(reasons.some((r) => r.includes(invalidTx!.hash) && r.includes("INVALID_BLOCK_TRANSACTION")), `member ${m} refused the invalid transaction: ${reasons.join(" | ")}`);
    assert.ok(reasons.some((r) => r.includes(`proposal of view ${badSig!.view} is not signed by its leader`)), `member ${m} refused the bad signature: ${reasons.join(" | ")}`);
  }
  const roots = await Promise.all(HONEST.map(async (m) => (await cluster.rpc<{ stateRoot: string }>(m, "eth_getBlockByNumber", ["0x1", false])).stateRoot));
  assert.equal(new Set(roots).size, 1);
});

test("malformed, oversized and unauthenticated network messages and malformed transactions are refused; the member keeps committing", async () => {
  const target = 0;
  // Drops are counted per sending member (config index) and reason; refused handshakes have no member.
  const dropped = async (reason: string) => (await cluster.metrics(target)).get(`hotstuff_messages_dropped_total{peer="3",reason="${reason}"}`) ?? 0;
  const refusedHandshakes = async () => (await cluster.metrics(target)).get("hotstuff_handshakes_refused_total") ?? 0;
  const malformedBefore = await dropped("malformed");

  // Authenticated but malformed: unknown envelope, broken JSON, wrong shape, a non-point signature.
  const garbage = [
    "hello",
    "c {not json",
    "c 1 {not json",
    'c 1 {"kind":"vote"}',
    'c 1 {"kind":"vote","vote":{"view":"0x5","blockHash":"0x' + "11".repeat(32) + '","signer":3,"signature":"0x' + "ab".repeat(96) + '"}}',
    'c 1 {"kind":"nonsense"}',
    "tx 0xzz",
  ];
  await eventually(() => byzantine.network.connectedPeers().includes(target), "the link to the target");
  for (const g of garbage) assert.ok(byzantine.sendRaw(target, g));
  await eventually(async () => (await dropped("malformed")) >= malformedBefore + garbage.length, "the malformed messages to be counted", 30_000);

  // Oversized: the link is closed by the receiver before it buffers the frame; it reconnects.
  byzantine.sendRaw(target, `c ${"x".repeat(9 * 1024 * 1024)}`);
  await eventually(() => !byzantine.network.connectedPeers().includes(target), "the oversized frame to close the link", 30_000);
  await eventually(() => byzantine.network.connectedPeers().includes(target), "the link to come back", 30_000);

  // Unauthenticated: a stranger's hello with a bad signature, and plain garbage before any hello.
  const unauthenticatedBefore = await refusedHandshakes();
  const port = Number(new URL(cluster.devnet.committee[target]!.url).port);
  for (const first of [JSON.stringify({ t: "hello", from: 1, nonce: `0x${"00".repeat(32)}`, sig: `0x${"ab".repeat(96)}` }), "garbage"]) {
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      ws.on("message", () => ws.send(first));
      ws.on("close", (c) => resolve(c));
      ws.on("error", () => {});
    });
    assert.equal(code, 4001);
  }
  assert.ok((await refusedHandshakes()) >= unauthenticatedBefore + 2);

  // Malformed and invalid transactions over the RPC: refused with EIP-1474 codes.
  const { accounts, chainId } = cluster.devnet;
  const refusals: [unknown, number, RegExp][] = [
    ["0xzz", -32602, /hex bytes/],
    ["0x1234", -32000, /unsupported transaction type|transaction/],
    [await signTransfer(accounts[5]!, { chainId: chainId + 1n, to: accounts[6]!.address, value: 1n, nonce: 0 }), -32000, /chain/i],
    [await signTransfer({ address: "0x0000000000000000000000000000000000000000", privateKey: `0x${"42".repeat(32)}` }, { chainId, to: accounts[6]!.address, value: 1n, nonce: 0 }), -32000, /insufficient funds/],
    [42, -32602, /hex bytes/],
  ];
  for (const [raw, code, message] of refusals) {
    await assert.rejects(cluster.rpc(target, "eth_sendRawTransaction", [raw]), (e: Error & { code: number }) => e.code === code && message.test(e.message), `refusal of ${String(raw).slice(0, 20)}`);
  }
  const url = cluster.devnet.rpcUrls[target]!;
  const post = async (body: string) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    return { status: res.status, body: (await res.json()) as { error?: { code: number } } | { error?: { code: number } }[] };
  };
  assert.equal(((await post("{not json")).body as { error: { code: number } }).error.code, -32700);
  assert.equal(((await post('{"jsonrpc":"2.0","id":1,"method":"eth_nope"}')).body as { error: { code: number } }).error.code, -32601);
  assert.equal(((await post('{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}')).body as { error: { code: number } }).error.code, -32600);
  assert.equal(((await post('{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x12"]}')).body as { error: { code: number } }).error.code, -32602);
  const big = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [`0x${"00".repeat(2 * 1024 * 1024)}`] }));
  assert.equal(big.status, 413);
  assert.equal((big.body as { error: { code: number } }).error.code, -32600);
  const batch = (await post('[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_nope"},5]')).body as { id: number | null; error?: { code: number } }[];
  assert.deepEqual(batch.map((r) => r.error?.code), [undefined, -32601, -32600]);

  // Still alive and committing: a valid transfer sent to the same member is committed.
  assert.ok(cluster.isRunning(target));
  const raw = await signTransfer(accounts[7]!, { chainId, to: accounts[8]!.address, value: 5n, nonce: 0 });
  const hash = await cluster.rpc<string>(target, "eth_sendRawTransaction", [raw]);
  await eventually(async () => (await cluster.rpc(target, "eth_getTransactionReceipt", [hash])) !== null, "a transfer after the abuse to commit", 90_000);
  for (const m of HONEST) assert.ok(cluster.isRunning(m), `member ${m} is still running`);
});
