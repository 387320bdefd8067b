/**
 * The devnet's JSON-RPC client and a connection the server closes without answering (what a
 * kept-alive socket closed by the server's idle timeout looks like to the next request): a read
 * is sent again on a new connection, a transaction never is.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, test } from "node:test";
import { callRpc, callRpcBatch } from "../../src/devnet/rpc.ts";

let server: Server;
let url = "";
/** How many requests the server has seen, and how many of the next ones it drops unanswered. */
let seen = 0;
let dropNext = 0;

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen++;
      if (dropNext > 0) {
        dropNext--;
        req.socket.destroy(); // closed without a byte of answer
        return;
      }
      const parsed = JSON.parse(body) as { id: number } | { id: number }[];
      const answer = (r: { id: number }) => ({ jsonrpc: "2.0", id: r.id, result: "0x7a69" });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("a read whose connection is closed unanswered is sent once more, on a new connection, and answered", async () => {
  seen = 0;
  dropNext = 1;
  assert.equal(await callRpc<string>(url, "eth_chainId"), "0x7a69");
  assert.equal(seen, 2);
  dropNext = 1;
  assert.deepEqual(await callRpcBatch(url, [{ method: "eth_blockNumber", params: [] }, { method: "eth_getBalance", params: ["0x0000000000000000000000000000000000000001", "latest"] }]), ["0x7a69", "0x7a69"]);
  assert.equal(seen, 4);
});

test("a read closed unanswered twice fails, saying the connection was closed", async () => {
  seen = 0;
  dropNext = 2;
  await assert.rejects(callRpc(url, "eth_chainId"), /did not answer: other side closed/);
  assert.equal(seen, 2);
});

test("a transaction closed unanswered is not sent again: its error stands", async () => {
  seen = 0;
  dropNext = 1;
  await assert.rejects(callRpc(url, "eth_sendRawTransaction", ["0x02"]), /did not answer: other side closed/);
  assert.equal(seen, 1);
  dropNext = 1;
  await assert.rejects(callRpcBatch(url, [{ method: "eth_chainId", params: [] }, { method: "eth_sendRawTransaction", params: ["0x02"] }]), /other side closed/);
  assert.equal(seen, 2);
});
