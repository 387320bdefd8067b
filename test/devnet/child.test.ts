import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startChild, waitUntilReady } from "../../src/devnet/child.ts";
import { DevnetError } from "../../src/devnet/errors.ts";

describe("child processes", () => {
  test("a child that exits before it is ready is reported with its exit code and last output", async () => {
    const child = await startChild({ name: "exiter", command: process.execPath, args: ["-e", "console.error('cannot bind: boom'); process.exit(3)"] });
    await assert.rejects(waitUntilReady(child, "the exiter", async () => false, 10_000), (error: unknown) => {
      assert.ok(error instanceof DevnetError);
      assert.equal(error.code, "PROCESS_EXITED");
      assert.match(error.message, /the exiter exited with code 3; its last output:\ncannot bind: boom/);
      return true;
    });
  });

  test("a child that never answers times out with its output, and stop() ends it", async () => {
    const child = await startChild({ name: "sleeper", command: process.execPath, args: ["-e", "console.log('listening soon'); setInterval(() => {}, 1000)"] });
    try {
      // The message must carry the output: wait for the line first, however long a loaded machine takes to start node.
      while (!child.tail().includes("listening soon")) await new Promise((r) => setTimeout(r, 20));
      await assert.rejects(waitUntilReady(child, "the sleeper", async () => false, 300), (error: unknown) => {
        assert.ok(error instanceof DevnetError);
        assert.equal(error.code, "START_TIMEOUT");
        assert.match(error.message, /the sleeper did not answer within 300 ms; its last output:\nlistening soon/);
        return true;
      });
    } finally {
      const exit = await child.stop();
      assert.equal(exit.signal, "SIGTERM");
      assert.equal(child.exited(), true);
    }
  });
});
