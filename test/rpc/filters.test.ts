/**
 * Polled filters (src/rpc/filters.ts): what eth_getFilterChanges reports for block, log and
 * pending-transaction filters, eth_getFilterLogs, removal, expiry after the timeout without a
 * poll (a fake clock) and the bound on how many exist.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { beforeEach, test } from "node:test";
import { createPublicClient, defineChain, encodeAbiParameters, encodeEventTopics, http, keccak256, parseAbiItem, type Address, type Hex } from "viem";
import { closeRpc, createMethods, RPC_LIMITS, serveRpc, type RpcContext, type RpcRegistry } from "../../src/rpc/index.ts";
import { eventually } from "../fixtures/redis.ts";
import { key, signTransaction } from "../execution/fixtures.ts";
import { schemaErrors } from "../support/json-schema.ts";
import { MemoryChain } from "./support/chain.ts";

const spec = JSON.parse(readFileSync(new URL("../fixtures/execution-apis/eth-methods.json", import.meta.url), "utf8"));
const A: Address = "0x00000000000000000000000000000000000000aa";
const T: Hex = keccak256("0x01");
const VALUE = parseAbiItem("event Value(uint256 value)");
const sender = key("filters");
const tx = (nonce: number) => signTransaction(sender, { nonce: BigInt(nonce) });

let chain: MemoryChain;
let rpc: RpcRegistry;
let now: number;
const call = async (method: string, ...params: unknown[]): Promise<any> => {
  const result = await rpc.get(method)!(params, chain.ctx);
  const schema = spec.methods[method]?.result.schema;
  assert.deepEqual(schemaErrors(result, schema, spec.components.schemas), [], method);
  return result;
};

beforeEach(() => {
  chain = new MemoryChain();
  now = 0;
  rpc = createMethods({ blockGasLimit: 30_000_000n, filters: { now: () => now, maxFilters: 3 } });
});

test("a block filter reports the hashes of blocks committed since the last poll, once each", async () => {
  await chain.commit();
  const id = await call("eth_newBlockFilter");
  assert.deepEqual(await call("eth_getFilterChanges", id), []);
  const b2 = await chain.commit();
  const b3 = await chain.commit();
  assert.deepEqual(await call("eth_getFilterChanges", id), [b2.hash, b3.hash]);
  assert.deepEqual(await call("eth_getFilterChanges", id), []);
  assert.equal(await call("eth_uninstallFilter", id), true);
  assert.equal(await call("eth_uninstallFilter", id), false);
  await assert.rejects(call("eth_getFilterChanges", id), (e: any) => e.code === -32000 && e.message === "filter not found");
});

test("a log filter reports matching logs of later blocks; eth_getFilterLogs its whole range", async () => {
  await chain.commit([{ raw: tx(0), logs: [{ address: A, topics: [T], data: "0x01" }] }]);
  const id = await call("eth_newFilter", { fromBlock: "0x0", address: A, topics: [T] });
  const all = await call("eth_newFilter", { fromBlock: "0x0" });
  assert.deepEqual(await call("eth_getFilterChanges", id), [], "changes start at the head it was installed at");
  await chain.commit([{ raw: tx(1), logs: [{ address: A, topics: [T], data: "0x02" }, { address: A, topics: [], data: "0x03" }] }]);
  await chain.commit();
  await chain.commit([{ raw: tx(2), logs: [{ address: A, topics: [T, T], data: "0x04" }] }]);
  assert.deepEqual((await call("eth_getFilterChanges", id)).map((l: any) => l.data), ["0x02", "0x04"]);
  assert.deepEqual((await call("eth_getFilterChanges", all)).map((l: any) => l.data), ["0x02", "0x03", "0x04"]);
  assert.deepEqual(await call("eth_getFilterChanges", id), []);
  assert.deepEqual((await call("eth_getFilterLogs", id)).map((l: any) => l.data), ["0x01", "0x02", "0x04"]);
  await call("eth_uninstallFilter", all);
  const bounded = await call("eth_newFilter", { fromBlock: "0x0", toBlock: "0x4" });
  await chain.commit([{ raw: tx(3), logs: [{ address: A, topics: [], data: "0x05" }] }]); // block 5: past its toBlock
  assert.deepEqual(await call("eth_getFilterChanges", bounded), []);
  await call("eth_uninstallFilter", bounded);
  const blocks = await call("eth_newBlockFilter");
  await assert.rejects(call("eth_getFilterLogs", blocks), (e: any) => e.code === -32602 && /block filter/.test(e.message));
});

test("a pending transaction filter reports hashes accepted since the last poll", async () => {
  chain.accept(tx(0));
  const id = await call("eth_newPendingTransactionFilter");
  const h1 = chain.accept(tx(1));
  const h2 = chain.accept(tx(2));
  assert.deepEqual(await call("eth_getFilterChanges", id), [h1, h2]);
  assert.deepEqual(await call("eth_getFilterChanges", id), []);
  const h3 = chain.accept(tx(3));
  assert.deepEqual(await call("eth_getFilterChanges", id), [h3]);
});

test(`a filter nobody polls for ${RPC_LIMITS.filterTimeoutMs / 60_000} minutes is removed; polling keeps it`, async () => {
  const kept = await call("eth_newBlockFilter");
  const left = await call("eth_newPendingTransactionFilter");
  now += RPC_LIMITS.filterTimeoutMs - 1;
  await call("eth_getFilterChanges", kept);
  now += 2;
  await assert.rejects(call("eth_getFilterChanges", left), (e: any) => e.message === "filter not found");
  now += RPC_LIMITS.filterTimeoutMs - 3;
  await call("eth_getFilterChanges", kept);
  now += RPC_LIMITS.filterTimeoutMs;
  await assert.rejects(call("eth_getFilterChanges", kept), (e: any) => e.message === "filter not found");
});

test("at most maxFilters filters; an expired or uninstalled one frees its place", async () => {
  const ids = [await call("eth_newBlockFilter"), await call("eth_newFilter", {}), await call("eth_newPendingTransactionFilter")];
  assert.equal(new Set(ids).size, 3);
  await assert.rejects(call("eth_newBlockFilter"), (e: any) => e.code === -32005 && /too many filters/.test(e.message));
  await call("eth_uninstallFilter", ids[0]);
  await call("eth_newBlockFilter");
  now += RPC_LIMITS.filterTimeoutMs;
  await call("eth_newBlockFilter");
});

test("bad filter ids and filters are refused naming what was wrong", async () => {
  await assert.rejects(call("eth_getFilterChanges", "abc"), (e: any) => e.code === -32602 && /filter id/.test(e.message));
  await assert.rejects(call("eth_getFilterChanges", "0x1234"), (e: any) => e.code === -32000);
  await assert.rejects(call("eth_newFilter", { address: "nope" }), (e: any) => e.code === -32602 && /filter.address/.test(e.message));
  await assert.rejects(call("eth_newBlockFilter", 1), (e: any) => e.code === -32602);
});

test("viem over HTTP watches a contract's events and pending transactions through these filters", async () => {
  const used: string[] = [];
  const recording = new Map([...rpc].map(([name, method]) => [name, (params: readonly unknown[], ctx: RpcContext) => (used.push(name), method(params, ctx))]));
  const server = await serveRpc({ registry: recording, context: chain.ctx }, "127.0.0.1", 0);
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const client = createPublicClient({ chain: defineChain({ id: 901, name: "filters", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [url] } } }), transport: http(), pollingInterval: 50 });
  const values: bigint[] = [];
  const pending: Hex[] = [];
  const stopEvents = client.watchContractEvent({ address: A, abi: [VALUE], eventName: "Value", onLogs: (logs) => logs.forEach((l) => values.push(l.args.value!)), onError: (e) => assert.fail(e) });
  const stopPending = client.watchPendingTransactions({ onTransactions: (hashes) => pending.push(...hashes), onError: (e) => assert.fail(e) });
  try {
    // viem installs its filters on its first poll: one transaction and one block per check until both report.
    let n = 0;
    await eventually(async () => {
      chain.accept(tx(n));
      await chain.commit([{ raw: tx(n), logs: [{ address: A, topics: encodeEventTopics({ abi: [VALUE], eventName: "Value" }) as Hex[], data: encodeAbiParameters([{ type: "uint256" }], [BigInt(n)]) }] }]);
      n++;
      return values.length > 0 && pending.length > 0;
    }, "viem's filters report");
    // Each value and hash once, in order, from the first one viem's filter saw.
    values.forEach((v, i) => i === 0 || assert.equal(v, values[i - 1]! + 1n));
    pending.forEach((h, i) => i === 0 || assert.notEqual(h, pending[i - 1]));
    for (const m of ["eth_newFilter", "eth_newPendingTransactionFilter", "eth_getFilterChanges"]) assert.ok(used.includes(m), `viem used ${m}`);
  } finally {
    stopEvents();
    stopPending();
    // viem stops polling only once its eth_uninstallFilter calls are answered: the server stays until then.
    await eventually(() => used.filter((m) => m === "eth_uninstallFilter").length === 2, "viem's filters uninstalled");
    await closeRpc(server);
  }
});
