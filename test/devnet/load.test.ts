import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { startL1, type DevnetL1 } from "../../src/devnet/l1.ts";
import { keccak256 } from "viem";
import { percentile, readNonces, runLoad, signTransfers } from "../../src/devnet/load.ts";
import { callRpc } from "../../src/devnet/rpc.ts";
import { freePort } from "../fixtures/ports.ts";

let l1: DevnetL1 | undefined;
before(async () => {
  l1 = await startL1({ port: await freePort() });
});
after(async () => {
  await l1?.stop();
});

describe("transfer load against a hardhat node", () => {
  test("pre-signed transfers all land, each with a measured latency, in every sender's nonce order", async () => {
    const senders = l1!.accounts.slice(1, 4);
    const addresses = senders.map((s) => s.address);
    const startNonces = await readNonces(l1!.rpcUrl, addresses);
    const transfers = await signTransfers({ chainId: l1!.chainId, senders: senders.map((s) => s.privateKey), startNonces, count: 60 });
    assert.equal(new Set(transfers.map((t) => t.hash)).size, 60);
    const result = await runLoad({ rpcUrl: l1!.rpcUrl, transfers, concurrency: 8 });
    assert.equal(result.failed, 0, result.errors.join("\n"));
    assert.equal(result.txs, 60);
    assert.equal(result.latenciesMs.length, 60);
    assert.ok(result.latenciesMs.every((ms) => ms > 0));
    assert.ok(result.txPerSec > 0);
    assert.ok(result.p50Ms <= result.p99Ms);
    assert.deepEqual(await readNonces(l1!.rpcUrl, addresses), startNonces.map((n) => n + 20n));
    // Each inclusion names the block that holds it (finality is measured per block).
    assert.deepEqual(new Set(result.inclusions.map((i) => i.hash)), new Set(transfers.map((t) => t.hash)));
    for (const inclusion of result.inclusions.slice(0, 5)) {
      const receipt = await callRpc<{ blockNumber: string }>(l1!.rpcUrl, "eth_getTransactionReceipt", [inclusion.hash]);
      assert.equal(BigInt(receipt.blockNumber), inclusion.blockNumber);
      assert.ok(inclusion.seenAt > inclusion.submittedAt);
    }
    for (const transfer of transfers.slice(0, 5)) {
      const receipt = await callRpc<{ status: string; from: string }>(l1!.rpcUrl, "eth_getTransactionReceipt", [transfer.hash]);
      assert.equal(receipt.status, "0x1");
      assert.equal(receipt.from.toLowerCase(), transfer.from.toLowerCase());
    }
  });

  test("at most maxInFlightPerSender of one sender are outstanding; progress is reported", async () => {
    const senders = l1!.accounts.slice(4, 6);
    const startNonces = await readNonces(l1!.rpcUrl, senders.map((s) => s.address));
    const transfers = await signTransfers({ chainId: l1!.chainId, senders: senders.map((s) => s.privateKey), startNonces, count: 10 });
    const progress: number[] = [];
    const result = await runLoad({ rpcUrl: l1!.rpcUrl, transfers, concurrency: 8, maxInFlightPerSender: 1, onProgress: (included) => progress.push(included) });
    assert.equal(result.txs, 10);
    assert.equal(progress.at(-1), 10);
    // One outstanding per sender: each of a sender's transfers was submitted after the previous one was seen.
    for (const sender of senders) {
      const own = result.inclusions.filter((i) => transfers.find((t) => t.hash === i.hash)!.from === sender.address);
      for (let k = 1; k < own.length; k++) assert.ok(own[k]!.submittedAt >= own[k - 1]!.seenAt);
    }
    await assert.rejects(runLoad({ rpcUrl: l1!.rpcUrl, transfers, maxInFlightPerSender: 0 }), /maxInFlightPerSender must be >= 1/);
  });

  test("an open-loop rate spaces the submissions, to another recipient when asked", async () => {
    const [sender] = l1!.accounts.slice(6, 7);
    const [nonce] = await readNonces(l1!.rpcUrl, [sender!.address]);
    const recipient = l1!.accounts[7]!.address;
    const transfers = await signTransfers({ chainId: l1!.chainId, senders: [sender!.privateKey], startNonces: [nonce!], count: 6, recipients: [recipient] });
    const result = await runLoad({ rpcUrl: l1!.rpcUrl, transfers, ratePerSec: 50 });
    assert.equal(result.txs, 6);
    const submitted = result.inclusions.map((i) => i.submittedAt).sort((a, b) => a - b);
    // Six submissions at 50/s span at least 5 intervals of 20 ms (timers never fire early by more than a rounding).
    assert.ok(submitted[5]! - submitted[0]! >= 5 * 20 - 2, `submissions span ${submitted[5]! - submitted[0]!} ms`);
    const tx = await callRpc<{ to: string }>(l1!.rpcUrl, "eth_getTransactionByHash", [transfers[0]!.hash]);
    assert.equal(tx.to.toLowerCase(), recipient.toLowerCase());
    await assert.rejects(runLoad({ rpcUrl: l1!.rpcUrl, transfers, ratePerSec: 0 }), /ratePerSec must be a positive number/);
  });

  test("refused transactions are counted as failed with the endpoint's reason, and the run still ends", async () => {
    const [sender] = l1!.accounts.slice(7, 8);
    const [nonce] = await readNonces(l1!.rpcUrl, [sender!.address]);
    const transfers = await signTransfers({ chainId: l1!.chainId, senders: [sender!.privateKey], startNonces: [nonce!], count: 3 });
    assert.equal((await runLoad({ rpcUrl: l1!.rpcUrl, transfers })).txs, 3);
    // The same nonces again: the first is refused, and the two after it cannot be sent.
    const replay = await runLoad({ rpcUrl: l1!.rpcUrl, transfers });
    assert.equal(replay.txs, 0);
    assert.equal(replay.failed, 3);
    assert.equal(replay.errors.length, 1);
    assert.match(replay.errors[0]!, /nonce/i);
  });

  test("a chain that stops including: a reporting run ends and accounts for every transfer as committed, pending or unsent", async () => {
    const [sender] = l1!.accounts.slice(8, 9);
    const [nonce] = await readNonces(l1!.rpcUrl, [sender!.address]);
    const transfers = await signTransfers({ chainId: l1!.chainId, senders: [sender!.privateKey], startNonces: [nonce!], count: 6 });
    // Accepted into the pool, never mined: the endpoint halted.
    await callRpc(l1!.rpcUrl, "evm_setAutomine", [false]);
    try {
      const result = await runLoad({ rpcUrl: l1!.rpcUrl, transfers, maxInFlightPerSender: 2, stallTimeoutMs: 300, onStall: "report" });
      assert.match(result.stalled!, /2 submitted transactions were not included within 300 ms/);
      assert.equal(result.txs, 0);
      assert.deepEqual(new Set(result.pending), new Set(transfers.slice(0, 2).map((t) => t.hash)));
      assert.equal(result.unsent, 4);
      assert.equal(result.failed, 0);
      // The default still fails the run.
      const more = await signTransfers({ chainId: l1!.chainId, senders: [sender!.privateKey], startNonces: [nonce! + 2n], count: 1 });
      await assert.rejects(runLoad({ rpcUrl: l1!.rpcUrl, transfers: more, stallTimeoutMs: 300 }), /not included within 300 ms/);
    } finally {
      await callRpc(l1!.rpcUrl, "evm_setAutomine", [true]);
      await callRpc(l1!.rpcUrl, "evm_mine", []);
    }
  });
});

describe("transfer load against an endpoint that drops connections", () => {
  test("a request lost with its connection is polled or sent again, never counted twice or as refused", async () => {
    // An automining endpoint that drops the connection of every third distinct request (its
    // repetitions are answered), alternately before and after acting on it: the load must
    // neither fail nor resend a transaction the endpoint already has.
    const blocks: string[][] = [[]];
    const known = new Set<string>();
    const seen = new Set<string>();
    let distinct = 0;
    type Call = { id: number; method: string; params: unknown[] };
    const answer = (call: Call) => {
      let result: unknown = null;
      if (call.method === "eth_blockNumber") result = `0x${(blocks.length - 1).toString(16)}`;
      if (call.method === "eth_getBlockByNumber") result = { transactions: blocks[Number(call.params[0])] ?? [] };
      if (call.method === "eth_getTransactionByHash") result = known.has(call.params[0] as string) ? { hash: call.params[0] } : null;
      if (call.method === "eth_sendRawTransaction") {
        const hash = keccak256(call.params[0] as `0x${string}`);
        if (known.has(hash)) return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "already known" } };
        known.add(hash);
        blocks.push([hash]);
        result = hash;
      }
      return { jsonrpc: "2.0", id: call.id, result };
    };
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString("utf8")));
      req.on("end", () => {
        const parsed = JSON.parse(body) as Call | Call[];
        const calls = Array.isArray(parsed) ? parsed : [parsed];
        const key = JSON.stringify(calls.map((c) => [c.method, c.params]));
        const drop = !seen.has(key) && ++distinct % 3 === 0;
        seen.add(key);
        if (drop && distinct % 2 === 0) return req.socket.destroy(); // before acting
        const reply = Array.isArray(parsed) ? calls.map(answer) : answer(parsed);
        if (drop) return req.socket.destroy(); // after acting
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const rpcUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const senders = l1!.accounts.slice(8, 10);
      const transfers = await signTransfers({ chainId: 31337, senders: senders.map((s) => s.privateKey), startNonces: [0n, 0n], count: 30 });
      const result = await runLoad({ rpcUrl, transfers, concurrency: 4, pollIntervalMs: 1 });
      assert.equal(result.failed, 0, result.errors.join("\n"));
      assert.equal(result.txs, 30);
      assert.equal(known.size, 30);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("percentile", () => {
  test("nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(values, 0.5), 50);
    assert.equal(percentile(values, 0.99), 99);
    assert.equal(percentile([7], 0.99), 7);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });
});
