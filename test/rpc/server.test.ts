/**
 * The server's own rules, with a registry of test methods (no member needed): an unexpected
 * failure inside a method is -32603 "internal error" with nothing of the failure in the reply
 * (it goes to the member's log), notifications get no reply, and typed errors keep their codes.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, test } from "node:test";
import { createRegistry, InvalidInputError, serveRpc, type RpcContext } from "../../src/rpc/index.ts";
import { post } from "./support/rpc.ts";

let server: Server;
let url: string;
const logged: { event: string; fields: Record<string, unknown> }[] = [];

before(async () => {
  const registry = createRegistry({
    test_boom: () => {
      throw new TypeError("cannot read properties of undefined (reading 'secret')");
    },
    test_refuse: () => {
      throw new InvalidInputError("refused: because", { code: "WHY" });
    },
    test_echo: (params) => params,
  });
  // These methods never touch the context.
  server = await serveRpc({ registry, context: {} as RpcContext, log: (event, fields) => logged.push({ event, fields }) }, "127.0.0.1", 0);
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test("an unexpected failure is -32603 without its message or stack; it is logged instead", async () => {
  const reply = await post(url, JSON.stringify({ jsonrpc: "2.0", id: 9, method: "test_boom" }));
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { jsonrpc: "2.0", id: 9, error: { code: -32603, message: "internal error" } });
  assert.deepEqual(logged.at(-1), { event: "rpc.internal_error", fields: { method: "test_boom", error: "cannot read properties of undefined (reading 'secret')" } });
});

test("typed errors keep code, message and data; notifications get no reply; results echo", async () => {
  assert.deepEqual((await post(url, JSON.stringify({ jsonrpc: "2.0", id: "x", method: "test_refuse" }))).body, {
    jsonrpc: "2.0",
    id: "x",
    error: { code: -32000, message: "refused: because", data: { code: "WHY" } },
  });
  const notification = await post(url, JSON.stringify({ jsonrpc: "2.0", method: "test_echo", params: [1] }));
  assert.equal(notification.status, 204);
  assert.equal(notification.body, undefined);
  const notifications = await post(url, JSON.stringify([{ jsonrpc: "2.0", method: "test_echo" }, { jsonrpc: "2.0", method: "test_boom" }]));
  assert.equal(notifications.status, 204);
  assert.deepEqual((await post(url, JSON.stringify({ jsonrpc: "2.0", id: null, method: "test_echo", params: [1, "a"] }))).body, { jsonrpc: "2.0", id: null, result: [1, "a"] });
});

test("a GET is 405 with a JSON-RPC error saying to POST", async () => {
  const res = await fetch(url);
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "POST, OPTIONS");
  assert.deepEqual(await res.json(), { jsonrpc: "2.0", id: null, error: { code: -32600, message: "invalid request: GET is not JSON-RPC: POST a JSON-RPC 2.0 request to this URL" } });
});
