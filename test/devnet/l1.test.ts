import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { l1DevAccounts } from "../../src/devnet/accounts.ts";
import { DevnetError } from "../../src/devnet/errors.ts";
import { checkPrague, startL1, type DevnetL1 } from "../../src/devnet/l1.ts";
import { checkPortFree } from "../../src/devnet/ports.ts";
import { callRpc } from "../../src/devnet/rpc.ts";
import { freePort } from "../fixtures/ports.ts";
import { alive, identify } from "../fixtures/devnet-process.ts";

describe("startL1", () => {
  let l1: DevnetL1 | undefined;
  let port = 0;
  before(async () => {
    port = await freePort();
    l1 = await startL1({ port });
  });
  after(async () => {
    await l1?.stop();
  });

  test("runs a hardhat node that answers on loopback with the dev accounts", async () => {
    assert.equal(l1!.rpcUrl, `http://127.0.0.1:${port}`);
    assert.equal(l1!.chainId, 31337);
    assert.equal(await callRpc(l1!.rpcUrl, "eth_chainId"), "0x7a69");
    const reported = await callRpc<string[]>(l1!.rpcUrl, "eth_accounts");
    assert.deepEqual(l1!.accounts.map((a) => a.address.toLowerCase()), reported.map((a) => a.toLowerCase()));
    assert.deepEqual(l1!.accounts, l1DevAccounts(20));
  });

  test("the node is Prague: G1ADD gives the sum TypeScript computes", async () => {
    await checkPrague(l1!.rpcUrl);
  });

  test("a second node on the same port is refused with a clear error, before spawning", async () => {
    await assert.rejects(startL1({ port }), (error: unknown) => {
      assert.ok(error instanceof DevnetError);
      assert.equal(error.code, "PORT_IN_USE");
      assert.match(error.message, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      return true;
    });
  });

  test("stops cleanly: the process is gone and the port is free; its output went to <dataDir>/l1.log", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "devnet-l1-"));
    try {
      const own = await startL1({ port: await freePort(), dataDir });
      const url = new URL(own.rpcUrl);
      const node = identify(own.pid)!;
      await own.stop();
      assert.equal(alive(node), false);
      await checkPortFree(Number(url.port), "127.0.0.1", "test");
      await own.stop();
      assert.match(readFileSync(join(dataDir, "l1.log"), "utf8"), new RegExp(`Started HTTP and WebSocket JSON-RPC server at http://127\\.0\\.0\\.1:${url.port}/`));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("checkPrague", () => {
  let server: Server | undefined;
  after(() => server?.close());

  test("fails loudly on an L1 without the BLS precompiles", async () => {
    // A stand-in for a pre-Prague node: no code at 0x0b, so eth_call returns empty bytes.
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const { id } = JSON.parse(body) as { id: number };
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ jsonrpc: "2.0", id, result: "0x" }));
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    await assert.rejects(checkPrague(`http://127.0.0.1:${port}`), (error: unknown) => {
      assert.ok(error instanceof DevnetError);
      assert.equal(error.code, "L1_NOT_PRAGUE");
      assert.match(error.message, /no working EIP-2537 G1ADD precompile \(0x0b answered 0x\)/);
      return true;
    });
  });
});
