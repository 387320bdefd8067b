/** The test helpers that kill what a failed test left behind never take down a recycled pid. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { alive, identify, kill, ProcessRef } from "../fixtures/processes.ts";

test("a pid whose start time changed (recycled: another process now) is neither alive nor killed; the identified one is", async () => {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  await once(child, "spawn");
  try {
    const ours = identify(child.pid!);
    assert.ok(ours && alive(ours));
    // What a cleanup holding a stale pid sees once the kernel has handed the number to someone else.
    const recycled = new ProcessRef(child.pid!, String(BigInt(ours.startTime) + 1n));
    assert.equal(alive(recycled), false);
    assert.equal(kill(recycled), false);
    assert.equal(child.exitCode ?? child.signalCode, null, "the other process was not signalled");
    assert.equal(kill(ours), true);
    assert.deepEqual(await once(child, "exit"), [null, "SIGKILL"]);
    assert.equal(alive(ours), false);
    assert.equal(identify(2 ** 22 + 1), undefined, "no such process");
  } finally {
    child.kill("SIGKILL");
  }
});
