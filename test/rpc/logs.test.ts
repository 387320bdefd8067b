/**
 * eth_getLogs over committed receipts' logs (src/rpc/methods/eth_getLogs.ts, block-logs.ts,
 * log-filter.ts): address and topic matching as Ethereum's, positions in the block, ranges and
 * their bounds, and blocks' logsBloom. Driven through an in-memory chain whose receipts carry logs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { logsBloom } from "../../src/execution/index.ts";
import { createMethods, RPC_LIMITS, type RpcRegistry } from "../../src/rpc/index.ts";
import { key, signTransaction } from "../execution/fixtures.ts";
import { schemaErrors } from "../support/json-schema.ts";
import { MemoryChain } from "./support/chain.ts";

const spec = JSON.parse(readFileSync(new URL("../fixtures/execution-apis/eth-methods.json", import.meta.url), "utf8"));
const topic = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const A: Address = "0x00000000000000000000000000000000000000aa";
const B: Address = "0x00000000000000000000000000000000000000bb";
const sender = key("logs");
const tx = (nonce: number) => signTransaction(sender, { nonce: BigInt(nonce) });

let chain: MemoryChain;
let rpc: RpcRegistry;
const call = async (method: string, params: unknown[]): Promise<any> => await rpc.get(method)!(params, chain.ctx);
const getLogs = async (filter: Record<string, unknown>) => {
  const logs = await call("eth_getLogs", [filter]);
  assert.deepEqual(schemaErrors(logs, spec.methods.eth_getLogs.result.schema, spec.components.schemas), []);
  return logs as { address: string; topics: Hex[]; logIndex: string; transactionIndex: string; blockNumber: string; blockTimestamp: string; data: Hex }[];
};

before(async () => {
  chain = new MemoryChain();
  rpc = createMethods({ blockGasLimit: 30_000_000n });
  // Block 1: two transactions; the first emits two logs, the second one.
  await chain.commit([
    { raw: tx(0), logs: [{ address: A, topics: [topic(1), topic(2)], data: "0x01" }, { address: B, topics: [topic(1)], data: "0x02" }] },
    { raw: tx(1), logs: [{ address: A, topics: [topic(3), topic(2), topic(9)], data: "0x03" }] },
  ]);
  await chain.commit(); // block 2: empty
  await chain.commit([{ raw: tx(2), logs: [{ address: B, topics: [], data: "0x04" }] }]); // block 3
});

test("a range's logs in chain order, each with its block, transaction and log index (counted in the block)", async () => {
  const logs = await getLogs({ fromBlock: "0x0", toBlock: "latest" });
  assert.deepEqual(logs.map((l) => l.data), ["0x01", "0x02", "0x03", "0x04"]);
  assert.deepEqual(logs.map((l) => [l.blockNumber, l.transactionIndex, l.logIndex]), [["0x1", "0x0", "0x0"], ["0x1", "0x0", "0x1"], ["0x1", "0x1", "0x2"], ["0x3", "0x0", "0x0"]]);
  assert.equal(logs[0]!.blockTimestamp, `0x${chain.blocks[1]!.block.header.timestamp.toString(16)}`);
  assert.deepEqual((await getLogs({})).map((l) => l.data), ["0x04"], "fromBlock and toBlock default to latest");
  assert.deepEqual((await getLogs({ fromBlock: "0x2", toBlock: "0x2" })), []);
  assert.deepEqual((await getLogs({ fromBlock: "0x3", toBlock: "0xffffff" })).map((l) => l.data), ["0x04"], "a range past the head stops there");
  assert.deepEqual(await getLogs({ fromBlock: "0x10" }), [], "a range above the head has no logs");
  assert.deepEqual((await getLogs({ blockHash: chain.blocks[1]!.hash })).map((l) => l.data), ["0x01", "0x02", "0x03"]);
});

test("addresses: one, several (OR), any; topics: positional, null wildcards, OR-arrays, more positions than a log has", async () => {
  const data = async (f: Record<string, unknown>) => (await getLogs({ fromBlock: "earliest", ...f })).map((l) => l.data);
  assert.deepEqual(await data({ address: A }), ["0x01", "0x03"]);
  assert.deepEqual(await data({ address: A.toUpperCase().replace("0X", "0x") }), ["0x01", "0x03"], "addresses compare case-insensitively");
  assert.deepEqual(await data({ address: [A, B] }), ["0x01", "0x02", "0x03", "0x04"]);
  assert.deepEqual(await data({ address: [] }), ["0x01", "0x02", "0x03", "0x04"], "an empty list is any address");
  assert.deepEqual(await data({ topics: [topic(1)] }), ["0x01", "0x02"]);
  assert.deepEqual(await data({ topics: [null, topic(2)] }), ["0x01", "0x03"]);
  assert.deepEqual(await data({ topics: [[topic(1), topic(3)], topic(2)] }), ["0x01", "0x03"]);
  assert.deepEqual(await data({ topics: [[topic(3), null]] }), ["0x01", "0x02", "0x03"], "null inside an OR-array is a wildcard");
  assert.deepEqual(await data({ topics: [null, null, null] }), ["0x03"], "only logs with at least three topics");
  assert.deepEqual(await data({ topics: [] }), ["0x01", "0x02", "0x03", "0x04"]);
  assert.deepEqual(await data({ address: B, topics: [topic(1)] }), ["0x02"]);
  assert.deepEqual(await data({ topics: [topic(7)] }), []);
});

test("bad filters are refused naming the field; an unknown block hash is -32001", async () => {
  const refusal = async (filter: unknown) => await assert.rejects(call("eth_getLogs", [filter]), (e: any) => e.code === -32602 && /filter/.test(e.message));
  await refusal({ address: "0x12" });
  await refusal({ topics: ["0x12"] });
  await refusal({ topics: [null, null, null, null, null] });
  await refusal({ blockHash: chain.blocks[1]!.hash, fromBlock: "0x1" });
  await refusal({ fromBlock: "0x3", toBlock: "0x1" });
  await refusal({ fromBlock: "0x01" });
  await refusal({ limit: 3 });
  await assert.rejects(call("eth_getLogs", [{ blockHash: topic(77) }]), (e: any) => e.code === -32001);
});

test("a block's logsBloom is the bloom of its receipts' logs; a log's address and topics are in it", async () => {
  const block = await call("eth_getBlockByNumber", ["0x1", false]);
  const bloom = hexToBytes(block.logsBloom);
  const logs = [
    { address: A, topics: [topic(1), topic(2)], data: "0x01" as Hex },
    { address: B, topics: [topic(1)], data: "0x02" as Hex },
    { address: A, topics: [topic(3), topic(2), topic(9)], data: "0x03" as Hex },
  ];
  assert.equal(block.logsBloom, bytesToHex(logsBloom(logs)));
  for (const item of [logsBloom([{ address: A, topics: [], data: "0x" }]), logsBloom([{ address: B, topics: [topic(9)], data: "0x" }])]) {
    assert.ok(item.every((byte, i) => (bloom[i]! & byte) === byte));
  }
  assert.equal((await call("eth_getBlockByNumber", ["0x2", false])).logsBloom, `0x${"00".repeat(256)}`);
});

test(`bounds: more than ${RPC_LIMITS.maxLogBlockRange} blocks or ${RPC_LIMITS.maxLogs} logs is -32005, saying to narrow the query`, async () => {
  const big = new MemoryChain();
  await big.commit([{ raw: tx(0), logs: Array.from({ length: RPC_LIMITS.maxLogs }, (_, i) => ({ address: A, topics: [topic(i)], data: "0x" as Hex })) }]);
  await big.commit([{ raw: tx(1), logs: [{ address: A, topics: [], data: "0x" }] }]);
  big.commitEmpty(RPC_LIMITS.maxLogBlockRange);
  const run = (f: Record<string, unknown>) => rpc.get("eth_getLogs")!([f], big.ctx) as unknown[];
  assert.equal(run({ fromBlock: "0x1", toBlock: "0x1" }).length, RPC_LIMITS.maxLogs, "exactly the bound is served");
  assert.throws(() => run({ fromBlock: "0x1", toBlock: "0x2" }), (e: any) => e.code === -32005 && /more than 10000 results.*narrow/.test(e.message) && /0x1 to 0x1/.test(e.message));
  assert.equal(run({ fromBlock: "0x2", toBlock: `0x${(1 + RPC_LIMITS.maxLogBlockRange).toString(16)}` }).length, 1, "exactly the range bound is served");
  assert.throws(() => run({ fromBlock: "0x1", toBlock: "latest" }), (e: any) => e.code === -32005 && /block range too large.*narrow/.test(e.message));
});

test("receipts, block receipts, full blocks and transactions by position carry the logs and validate against the spec", async () => {
  const valid = async (method: string, ...params: unknown[]) => {
    const result = await call(method, params);
    assert.deepEqual(schemaErrors(result, spec.methods[method].result.schema, spec.components.schemas), [], method);
    return result;
  };
  const receipts = await valid("eth_getBlockReceipts", "0x1");
  assert.deepEqual(receipts.map((r: any) => r.logs.map((l: any) => [l.logIndex, l.data])), [[["0x0", "0x01"], ["0x1", "0x02"]], [["0x2", "0x03"]]]);
  assert.deepEqual(await valid("eth_getTransactionReceipt", receipts[1].transactionHash), receipts[1]);
  const block = await valid("eth_getBlockByNumber", "0x1", true);
  assert.deepEqual(block.transactions.map((t: any) => t.hash), receipts.map((r: any) => r.transactionHash));
  const second = await valid("eth_getTransactionByBlockNumberAndIndex", "0x1", "0x1");
  assert.deepEqual(second, block.transactions[1]);
  assert.equal(second.blockTimestamp, block.timestamp);
  assert.equal(second.v, second.yParity, "a typed transaction's v is its yParity");
  assert.equal(second.gasPrice, "0x3b9aca07", "an included EIP-1559 transaction's gasPrice is base fee (7) + tip (1 gwei)");
});
