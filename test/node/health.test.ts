/** What an operator watches: /health, /ready, view durations, views since the last commit, leader timeouts. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { HealthTracker, READY_VIEWS } from "../../src/node/health.ts";
import { parseMetrics } from "../../src/node/metrics.ts";
import { createMetrics, M } from "../../src/node/telemetry.ts";

test("ready once it commits; not ready when commits stop in time or fall behind in views", () => {
  const metrics = createMetrics();
  const health = new HealthTracker(metrics, 1_000);
  const at = (now: number) => health.readiness({ epoch: 1n, committedHeight: 5n, now });
  health.baseline(3n, 0);
  assert.deepEqual(at(0), { ready: false, epoch: "1", view: "3", committedHeight: "5", viewsSinceCommit: 0, msSinceCommit: null, reason: "nothing committed since start" });
  health.noteView(4n, false, 100);
  health.noteCommit(4n, 100);
  assert.equal(at(200).ready, true);
  assert.equal(metrics.get(M.ready), 1);
  const late = at(100 + 8_001);
  assert.equal(late.ready, false);
  assert.match(late.reason!, /no commit for 8001 ms \(at most 8000\)/);
  health.noteView(4n + BigInt(READY_VIEWS) + 1n, false, 300);
  const behind = at(400);
  assert.equal(behind.ready, false);
  assert.match(behind.reason!, /9 views since the last commit/);
  assert.equal(metrics.get(M.viewsSinceCommit), READY_VIEWS + 1);
  assert.equal(metrics.get(M.ready), 0);
});

test("view durations are observed when a view ends; a TC for a view this member led counts once as a leader timeout", async () => {
  const metrics = createMetrics();
  const health = new HealthTracker(metrics, 1_000);
  health.baseline(1n, 0);
  health.noteView(2n, true, 500);
  health.noteView(3n, false, 2_500);
  health.noteTc(2n);
  health.noteTc(2n);
  health.noteTc(3n);
  const parsed = parseMetrics(await metrics.render());
  assert.equal(parsed.get(`${M.viewDuration}_count`), 2);
  assert.equal(parsed.get(`${M.viewDuration}_sum`), 2.5);
  assert.equal(parsed.get(`${M.viewDuration}_bucket{le="0.5"}`), 1);
  assert.equal(parsed.get(`${M.viewDuration}_bucket{le="2"}`), 2);
  assert.equal(parsed.get(`${M.viewDuration}_bucket{le="+Inf"}`), 2);
  assert.equal(parsed.get(M.leaderTimeouts), 1, "view 2 was led here and timed out; view 3 was not led here");
});

test("/health answers while the process runs; /ready answers 200 or 503 with the reason", async () => {
  const metrics = createMetrics();
  let ready = { ready: false, reason: "nothing committed since start" };
  const server = await metrics.serve("127.0.0.1", 0, () => ready);
  try {
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "alive" });
    const notReady = await fetch(`${base}/ready`);
    assert.equal(notReady.status, 503);
    assert.deepEqual(await notReady.json(), ready);
    ready = { ready: true, reason: "" };
    assert.equal((await fetch(`${base}/ready`)).status, 200);
    assert.equal((await fetch(`${base}/metrics`)).status, 200);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
