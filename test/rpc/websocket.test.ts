/**
 * JSON-RPC over WebSocket on the HTTP port (src/rpc/websocket.ts, subscriptions.ts), against an
 * in-memory chain whose commits and receipts (with logs) drive the notifications: viem's
 * webSocket transport and ethers' WebSocketProvider as users run them, raw frames for the
 * refusals, and the bounds (subscriptions, connections, a consumer that does not read).
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, test } from "node:test";
import { WebSocketProvider } from "ethers";
import { createPublicClient, defineChain, encodeAbiParameters, encodeEventTopics, parseAbiItem, webSocket, type Address, type Hex } from "viem";
import WebSocket from "ws";
import { closeRpc, createMethods, serveRpc, type RpcContext, type WebSocketOptions } from "../../src/rpc/index.ts";
import { key, signTransaction } from "../execution/fixtures.ts";
import { eventually } from "../fixtures/redis.ts";
import { MemoryChain } from "./support/chain.ts";
import { call } from "./support/rpc.ts";

const TRANSFER = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");
const TOKEN: Address = "0x00000000000000000000000000000000000000aa";
const OTHER: Address = "0x00000000000000000000000000000000000000bb";
const sender = key("websocket");
let nonce = 0;
const tx = () => signTransaction(sender, { nonce: BigInt(nonce++) });
const transferLog = (address: Address, value: bigint) => ({
  address,
  topics: encodeEventTopics({ abi: [TRANSFER], eventName: "Transfer", args: { from: sender.address, to: OTHER } }) as Hex[],
  data: encodeAbiParameters([{ type: "uint256" }], [value]),
});

const servers: Server[] = [];
const logged: { event: string; fields: Record<string, unknown> }[] = [];
async function serve(ctx: RpcContext, webSocket?: WebSocketOptions): Promise<{ http: string; ws: string }> {
  const server = await serveRpc({ registry: createMethods({ blockGasLimit: 30_000_000n }), context: ctx, log: (event, fields) => logged.push({ event, fields }), ...(webSocket === undefined ? {} : { webSocket }) }, "127.0.0.1", 0);
  servers.push(server);
  const port = (server.address() as { port: number }).port;
  return { http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

/** A raw WebSocket client: frames in, parsed messages out in order. */
async function connect(url: string): Promise<{ ws: WebSocket; send: (m: unknown) => void; next: () => Promise<any>; closed: Promise<void> }> {
  const ws = new WebSocket(url);
  const queue: any[] = [];
  const waiting: ((m: any) => void)[] = [];
  ws.on("message", (data) => {
    const m = JSON.parse(data.toString());
    const w = waiting.shift();
    if (w === undefined) queue.push(m);
    else w(m);
  });
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    ws,
    send: (m) => ws.send(typeof m === "string" ? m : JSON.stringify(m)),
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))),
    closed,
  };
}

let chain: MemoryChain;
let urls: { http: string; ws: string };
before(async () => {
  chain = new MemoryChain();
  await chain.commit();
  urls = await serve(chain.ctx, { maxSubscriptions: 3 });
});
after(async () => {
  await Promise.all(servers.map((s) => closeRpc(s)));
});

test("viem's webSocket transport: requests, newHeads (watchBlocks) and a contract's events (watchContractEvent)", async () => {
  const devnet = defineChain({ id: 901, name: "ws-test", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [urls.http], webSocket: [urls.ws] } } });
  const client = createPublicClient({ chain: devnet, transport: webSocket(urls.ws, { reconnect: false }) });
  try {
    assert.equal(await client.getChainId(), 901);
    assert.equal(await client.getBlockNumber({ cacheTime: 0 }), 1n);
    const heads: bigint[] = [];
    const transfers: { from?: Address; to?: Address; value?: bigint; logIndex: number | null; blockNumber: bigint | null }[] = [];
    const stopBlocks = client.watchBlocks({ onBlock: (b) => void heads.push(b.number!), onError: (e) => assert.fail(e) });
    const stopEvents = client.watchContractEvent({
      address: TOKEN,
      abi: [TRANSFER],
      eventName: "Transfer",
      onLogs: (logs) => logs.forEach((l) => transfers.push({ ...l.args, logIndex: l.logIndex, blockNumber: l.blockNumber })),
      onError: (e) => assert.fail(e),
    });
    // viem subscribes in the background: one block per check (its value = its number) until both
    // subscriptions have heard one, then one more that both must hear.
    const commitTransfers = async () => {
      const number = BigInt(chain.blocks.length);
      await chain.commit([{ raw: tx(), logs: [transferLog(OTHER, 0n), transferLog(TOKEN, number)] }]);
      return number;
    };
    await eventually(async () => (await commitTransfers(), heads.length > 0 && transfers.length > 0), "viem's subscriptions");
    const last = await commitTransfers();
    await eventually(() => heads.at(-1) === last && transfers.at(-1)?.blockNumber === last, `block ${last} at both subscriptions`);
    heads.forEach((n, i) => i === 0 || assert.equal(n, heads[i - 1]! + 1n, `heads in order, none missed: ${heads}`));
    for (const t of transfers) assert.deepEqual({ ...t, from: t.from?.toLowerCase() }, { from: sender.address, to: OTHER, value: t.blockNumber, logIndex: 1, blockNumber: t.blockNumber });
    transfers.forEach((t, i) => i === 0 || assert.equal(t.blockNumber, transfers[i - 1]!.blockNumber! + 1n));
    stopBlocks();
    stopEvents();
  } finally {
    // Closing rejects viem's in-flight eth_unsubscribe calls: expected, not a failure of the node.
    await client.transport.getRpcClient().then((c) => c.close()).catch(() => {});
  }
});

test("ethers' WebSocketProvider: a block number and a block event per committed block", async () => {
  const provider = new WebSocketProvider(urls.ws, 901, { staticNetwork: true });
  try {
    const head = await provider.getBlockNumber();
    assert.equal(head, chain.blocks.length - 1);
    const seen: number[] = [];
    await provider.on("block", (n: number) => void seen.push(n));
    // ethers subscribes (eth_subscribe newHeads) in the background: a commit per check until one is heard, then one more.
    await eventually(async () => (await chain.commit(), seen.length > 0), "ethers' block event");
    const last = Number((await chain.commit()).block.header.number);
    await eventually(() => seen.at(-1) === last, `block ${last} heard`);
    assert.ok(seen.every((n, i) => n > head && (i === 0 || n === seen[i - 1]! + 1)), `blocks after ${head}, in order: ${seen}`);
  } finally {
    await provider.destroy();
  }
});

test("every method over WebSocket, batches too; bad frames get JSON-RPC errors and the connection lives on", async () => {
  const c = await connect(urls.ws);
  try {
    c.send({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" });
    assert.deepEqual(await c.next(), { jsonrpc: "2.0", id: 1, result: `0x${(chain.blocks.length - 1).toString(16)}` });
    c.send([{ jsonrpc: "2.0", id: "a", method: "eth_chainId" }, { jsonrpc: "2.0", id: "b", method: "nope_method" }, { jsonrpc: "2.0", method: "eth_chainId" }]);
    const batch = await c.next();
    assert.deepEqual(batch[0], { jsonrpc: "2.0", id: "a", result: "0x385" });
    assert.equal(batch[1].error.code, -32601);
    assert.equal(batch.length, 2, "the notification in the batch gets no reply");
    c.send("{not json");
    assert.equal((await c.next()).error.code, -32700);
    c.ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    assert.equal((await c.next()).error.code, -32700);
    c.send({ jsonrpc: "2.0", id: 2, method: "eth_getLogs", params: [{ address: "0x1" }] });
    assert.equal((await c.next()).error.code, -32602);
    c.send([]);
    assert.equal((await c.next()).error.code, -32600);
    c.send({ jsonrpc: "2.0", id: 3, method: "eth_subscribe", params: ["syncing"] });
    const refused = await c.next();
    assert.equal(refused.error.code, -32602);
    assert.match(refused.error.message, /newHeads.*logs.*newPendingTransactions/);
    c.send({ jsonrpc: "2.0", id: 4, method: "web3_clientVersion" });
    assert.equal((await c.next()).id, 4, "still answering");
  } finally {
    c.ws.close();
  }
});

test("newPendingTransactions and a filtered logs subscription over raw frames; eth_unsubscribe stops one", async () => {
  const c = await connect(urls.ws);
  try {
    c.send({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newPendingTransactions"] });
    const pending = (await c.next()).result;
    c.send({ jsonrpc: "2.0", id: 2, method: "eth_subscribe", params: ["logs", { address: [OTHER], topics: [null, null, encodeEventTopics({ abi: [TRANSFER], eventName: "Transfer", args: { to: OTHER } })[2]] }] });
    const logs = (await c.next()).result;
    assert.match(pending, /^0x[1-9a-f][0-9a-f]*$/);
    const hash = chain.accept(tx());
    assert.deepEqual(await c.next(), { jsonrpc: "2.0", method: "eth_subscription", params: { subscription: pending, result: hash } });
    const block = await chain.commit([{ raw: tx(), logs: [transferLog(TOKEN, 1n), transferLog(OTHER, 2n)] }]);
    const note = await c.next();
    assert.equal(note.params.subscription, logs);
    assert.equal(note.params.result.address, OTHER);
    assert.equal(note.params.result.logIndex, "0x1");
    assert.equal(note.params.result.blockHash, block.hash);
    c.send({ jsonrpc: "2.0", id: 3, method: "eth_unsubscribe", params: [pending] });
    assert.deepEqual(await c.next(), { jsonrpc: "2.0", id: 3, result: true });
    c.send({ jsonrpc: "2.0", id: 4, method: "eth_unsubscribe", params: [pending] });
    assert.deepEqual(await c.next(), { jsonrpc: "2.0", id: 4, result: false });
    chain.accept(tx());
    c.send({ jsonrpc: "2.0", id: 5, method: "eth_chainId" });
    assert.equal((await c.next()).id, 5, "no notification for the unsubscribed pending transaction came first");
  } finally {
    c.ws.close();
  }
});

test("at most maxSubscriptions per connection; over HTTP eth_subscribe says to use WebSocket", async () => {
  const c = await connect(urls.ws);
  try {
    for (let i = 0; i < 3; i++) {
      c.send({ jsonrpc: "2.0", id: i, method: "eth_subscribe", params: ["newHeads"] });
      assert.ok((await c.next()).result);
    }
    c.send({ jsonrpc: "2.0", id: 9, method: "eth_subscribe", params: ["newHeads"] });
    const error = (await c.next()).error;
    assert.equal(error.code, -32005);
    assert.match(error.message, /at most 3 subscriptions/);
  } finally {
    c.ws.close();
  }
  const http = await call(urls.http, "eth_subscribe", ["newHeads"]);
  assert.equal(http.error.code, -32601);
  assert.match(http.error.message, /WebSocket/);
});

test("at most maxConnections: one more is refused with 503, and a place frees when one closes", async () => {
  const own = new MemoryChain();
  const u = await serve(own.ctx, { maxConnections: 2 });
  const [a, b] = [await connect(u.ws), await connect(u.ws)];
  await assert.rejects(connect(u.ws), /503/);
  a.ws.close();
  await a.closed;
  await eventually(async () => {
    try {
      (await connect(u.ws)).ws.close();
      return true;
    } catch {
      return false; // the server has not seen the close yet
    }
  }, "a freed place");
  b.ws.close();
});

test("a consumer that does not read is disconnected once its send buffer passes the bound; others are served on", async () => {
  const own = new MemoryChain();
  const limit = 64 * 1024;
  const u = await serve(own.ctx, { maxBufferedBytes: limit });
  const slow = await connect(u.ws);
  const fine = await connect(u.ws);
  for (const c of [slow, fine]) {
    c.send({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] });
    assert.ok((await c.next()).result);
  }
  // The slow client stops reading: what the node sends it piles up in the kernel, then in the node.
  (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  let heardByFine = 0;
  fine.ws.on("message", () => heardByFine++);
  const cutOff = () => logged.some((l) => l.event === "rpc.ws_slow_consumer");
  await eventually(async () => {
    own.commitEmpty(200);
    await new Promise((resolve) => setImmediate(resolve));
    return cutOff();
  }, "the slow consumer cut off", 60_000);
  const note = logged.find((l) => l.event === "rpc.ws_slow_consumer")!;
  assert.ok((note.fields.bufferedBytes as number) > limit);
  (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  await slow.closed;
  const before = heardByFine;
  own.commitEmpty(1);
  await eventually(() => heardByFine > before, "the reading consumer still notified");
  fine.ws.close();
});

test("a client that stops answering pings (gone without closing) is disconnected", async () => {
  const own = new MemoryChain();
  const u = await serve(own.ctx, { pingIntervalMs: 50 });
  const gone = await connect(u.ws);
  // A paused socket reads no ping, so it sends no pong: as a host that vanished.
  (gone.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  await eventually(() => logged.some((l) => l.event === "rpc.ws_unresponsive"), "the silent client ended");
  (gone.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  await gone.closed;
});
