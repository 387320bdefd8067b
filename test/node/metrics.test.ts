/** The hand-written Prometheus text exposition, and the wire envelope between members. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeEnvelope, encodeConsensusEnvelope, encodeEpochRequest, encodeTxEnvelope } from "../../src/node/envelope.ts";
import { Metrics, parseMetrics } from "../../src/node/metrics.ts";

test("counters and labelled gauges render in the exposition format and parse back", async () => {
  const m = new Metrics();
  m.define("hotstuff_view", "gauge", "Current view.");
  m.define("hotstuff_dropped_total", "counter", "Dropped.");
  m.define("hotstuff_idle_total", "counter", "Never incremented.");
  m.set("hotstuff_view", 12);
  m.inc("hotstuff_dropped_total", { reason: "malformed" });
  m.inc("hotstuff_dropped_total", { reason: "malformed" }, 2);
  m.inc("hotstuff_dropped_total", { reason: 'a "quoted"\nreason' });
  let collected = 0;
  m.onCollect(() => void collected++);
  m.onCollect(() => {
    throw new Error("source down");
  });
  const text = await m.render();
  assert.equal(collected, 1);
  assert.match(text, /# HELP hotstuff_view Current view\.\n# TYPE hotstuff_view gauge\nhotstuff_view 12\n/);
  assert.match(text, /hotstuff_dropped_total\{reason="a \\"quoted\\"\\nreason"\} 1/);
  const parsed = parseMetrics(text);
  assert.equal(parsed.get('hotstuff_dropped_total{reason="malformed"}'), 3);
  assert.equal(parsed.get("hotstuff_idle_total"), 0);
});

test("envelopes: consensus (with its epoch), epoch requests and transaction tags round-trip; anything else is malformed", () => {
  assert.deepEqual(decodeEnvelope(encodeConsensusEnvelope(3n, '{"kind":"qc"}')), { type: "consensus", epoch: 3n, body: '{"kind":"qc"}' });
  assert.deepEqual(decodeEnvelope(encodeEpochRequest(2n)), { type: "epoch-request", epoch: 2n });
  assert.deepEqual(decodeEnvelope(encodeTxEnvelope("0x02ab")), { type: "tx", raw: "0x02ab" });
  for (const bad of ["", "x", "tx 0xzz", "tx 0x", `tx 0x${"00".repeat(131_073)}`, "C {}", "c {}", "c 01 {}", "c -1 {}", `c ${"9".repeat(21)} {}`, "e", "e x", "e 1 2"]) {
    assert.equal(decodeEnvelope(bad).type, "malformed", bad.slice(0, 20));
  }
});
