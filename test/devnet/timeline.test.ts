/** The per-stage timeline of transactions, from members' debug logs (src/devnet/timeline.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseLogLines, summarize, transactionPaths } from "../../src/devnet/timeline.ts";

const line = (ms: number, member: number, event: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({ time: new Date(Date.UTC(2026, 11, 3, 10, 0, 0, ms)).toISOString(), level: "debug", member, event, ...fields });

test("each transaction's stages, in ms after it was queued at the member that took it", () => {
  const log = [
    line(0, 0, "tx.queued", { hash: "0xa" }),
    line(4, 0, "tx.accepted", { hash: "0xa", source: "rpc" }),
    line(9, 1, "tx.accepted", { hash: "0xa", source: "gossip" }),
    line(12, 2, "tx.accepted", { hash: "0xa", source: "gossip" }),
    line(20, 1, "block.transactions", { number: "7", view: "9", hashes: ["0xa"] }),
    line(90, 1, "block.committed", { number: "7", blocks: 1 }),
    line(130, 0, "block.committed", { number: "8", blocks: 2 }),
    "not json",
    line(140, 0, "tx.queued", { hash: "0xb" }),
  ].join("\n");
  const paths = transactionPaths(parseLogLines(log), 3);
  assert.deepEqual(paths, [
    { hash: "0xa", member: 0, mempool: 4, peers: 12, proposed: 20, committed: 130 },
    { hash: "0xb", member: 0 },
  ]);
  const summary = summarize(paths);
  assert.equal(summary.transactions, 2);
  assert.deepEqual(summary.stages.committed, { p50: 130, p99: 130, count: 1 });
  assert.deepEqual(summary.stages.mempool, { p50: 4, p99: 4, count: 1 });
});
