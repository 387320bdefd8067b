import assert from "node:assert/strict";
import { test } from "node:test";
import { createLog } from "../../src/node/log.ts";

test("JSON lines from the minimum level up; bigints as decimal strings", () => {
  const lines: string[] = [];
  const log = createLog(2, (line) => lines.push(line), "info");
  log("debug", "tx.accepted", { hash: "0x01" });
  log("info", "block.committed", { number: 7n });
  log("error", "l1.alert", {});
  const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(entries.map((e) => e.event), ["block.committed", "l1.alert"]);
  assert.equal(entries[0]!.number, "7");
  assert.equal(entries[0]!.member, 2);
  assert.ok(lines.every((l) => l.endsWith("\n")));

  const everything: string[] = [];
  createLog(0, (line) => everything.push(line))("debug", "tx.accepted");
  assert.equal(everything.length, 1, "without a minimum level, debug lines are written");
});
