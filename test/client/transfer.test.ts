/**
 * sendTransfer says at which stage a transfer failed, against a fake L2 JSON-RPC that misbehaves
 * on purpose: an e2e test that fails must say whether the node stopped answering (RPC_FAILED) or
 * the chain never included the transaction (TIMEOUT).
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { generatePrivateKey } from "viem/accounts";
import { ClientError, connect, sendTransfer, type Endpoint } from "../../src/client/index.ts";

type Mode = { send: "ok" | "refuse" | "http-500"; receipt: "none" | "http-500"; blockNumber: "ok" | "http-500" };

const HASH = `0x${"ab".repeat(32)}`;
const block = { number: "0x1", hash: `0x${"11".repeat(32)}`, parentHash: `0x${"00".repeat(32)}`, timestamp: "0x1", baseFeePerGas: "0x3b9aca00", gasLimit: "0x1c9c380", gasUsed: "0x0", transactions: [], difficulty: "0x0", logsBloom: `0x${"00".repeat(256)}`, miner: `0x${"00".repeat(20)}`, nonce: "0x0000000000000000", extraData: "0x", size: "0x1", stateRoot: `0x${"00".repeat(32)}`, transactionsRoot: `0x${"00".repeat(32)}`, receiptsRoot: `0x${"00".repeat(32)}`, sha3Uncles: `0x${"00".repeat(32)}`, uncles: [], mixHash: `0x${"00".repeat(32)}`, totalDifficulty: "0x0" };

/** A fake L2: answers what a wallet asks, and fails where `mode` says. */
function fakeL2(mode: Mode): Server {
  return createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString("utf8")));
    req.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      const fail = () => res.writeHead(500).end("internal error");
      const answer = (result: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, result }));
      switch (method) {
        case "eth_chainId": return answer("0x385");
        case "eth_getTransactionCount": return answer("0x0");
        case "eth_estimateGas": return answer("0x5208");
        case "eth_maxPriorityFeePerGas": return answer("0x3b9aca00");
        case "eth_getBlockByNumber": return answer(block);
        case "eth_blockNumber": return mode.blockNumber === "ok" ? answer("0x7") : fail();
        case "eth_sendRawTransaction":
          if (mode.send === "http-500") return fail();
          if (mode.send === "refuse") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32000, message: "insufficient funds for gas * price + value" } }));
          return answer(HASH);
        case "eth_getTransactionByHash": return mode.receipt === "http-500" ? fail() : answer(null);
        case "eth_getTransactionReceipt": return mode.receipt === "http-500" ? fail() : answer(null);
        default: return res.writeHead(200).end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } }));
      }
    });
  });
}

describe("sendTransfer names the stage that failed", () => {
  const mode: Mode = { send: "ok", receipt: "none", blockNumber: "ok" };
  const server = fakeL2(mode);
  let l2: Endpoint;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    l2 = await connect(`http://127.0.0.1:${(server.address() as { port: number }).port}`, "L2");
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const attempt = async (m: Mode): Promise<ClientError> => {
    Object.assign(mode, m);
    const error = await sendTransfer({ l2, key: generatePrivateKey(), to: `0x${"22".repeat(20)}`, value: 1n, timeoutMs: 1_500 }).then(
      () => assert.fail("expected a failure"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ClientError, String(error));
    return error;
  };

  test("the L2 answers the sending with a refusal: REFUSED, with its reason", async () => {
    const e = await attempt({ send: "refuse", receipt: "none", blockNumber: "ok" });
    assert.equal(e.code, "REFUSED");
    assert.match(e.message, /insufficient funds/);
  });

  test("the L2 does not answer the sending: RPC_FAILED, not REFUSED", async () => {
    const e = await attempt({ send: "http-500", receipt: "none", blockNumber: "ok" });
    assert.equal(e.code, "RPC_FAILED", e.message);
    assert.match(e.message, /failed while sending the transfer of 1 wei/);
  });

  test("accepted, the L2 keeps answering, no receipt: TIMEOUT, with the height the chain reached", async () => {
    const e = await attempt({ send: "ok", receipt: "none", blockNumber: "ok" });
    assert.equal(e.code, "TIMEOUT", e.message);
    assert.match(e.message, new RegExp(`transaction ${HASH} was accepted .* no receipt after 1\\.5 s \\(the L2 is at block 7\\)`));
  });

  test("accepted, then the L2 stops answering: RPC_FAILED, not TIMEOUT", async () => {
    const e = await attempt({ send: "ok", receipt: "http-500", blockNumber: "http-500" });
    assert.equal(e.code, "RPC_FAILED", e.message);
    assert.match(e.message, new RegExp(`transaction ${HASH} was accepted by the L2`));
  });
});
