import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseBenchFaultsArgs, type BenchFaultsOptions } from "../../src/devnet/bench-faults-options.ts";
import { phaseFigures, progressOf, ratioOf } from "../../src/devnet/bench-faults.ts";
import { DevnetError } from "../../src/devnet/errors.ts";
import { UsageError } from "../../src/devnet/start-options.ts";

function parse(...argv: string[]): BenchFaultsOptions {
  const parsed = parseBenchFaultsArgs(argv, "/home/dev/project");
  assert.ok(!("help" in parsed));
  return parsed;
}

function refused(argv: string[], message: RegExp): void {
  assert.throws(() => parseBenchFaultsArgs(argv, "/home/dev/project"), (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

/** What runLoad returns, with only the fields the figures read. */
function load(o: { latencies?: number[]; failed?: number; pending?: number; unsent?: number; stalled?: string }) {
  const latenciesMs = o.latencies ?? [];
  return {
    txs: latenciesMs.length,
    failed: o.failed ?? 0,
    errors: o.failed ? ["0xabc nonce 3: nonce too low"] : [],
    latenciesMs,
    txPerSec: 20,
    pending: Array.from({ length: o.pending ?? 0 }, (_, i) => `0x${i.toString(16).padStart(64, "0")}` as const),
    unsent: o.unsent ?? 0,
    ...(o.stalled === undefined ? {} : { stalled: o.stalled }),
  };
}

describe("bench:faults's command line", () => {
  test("defaults: 60 s phases at 20 transfers/s, member 2 killed, a halt after 30 s without a commit, a temporary dir", () => {
    assert.deepEqual(parse(), { seconds: 60, rate: 20, member: 2, haltAfterMs: 30_000, catchUpTimeoutMs: 120_000, dataDir: undefined });
  });

  test("every option is read; a data dir resolves from the working dir", () => {
    assert.deepEqual(parse("--seconds", "15", "--rate", "40", "--member", "0", "--halt-after", "10", "--catch-up-timeout", "60", "--data-dir", "runs/f"), {
      seconds: 15,
      rate: 40,
      member: 0,
      haltAfterMs: 10_000,
      catchUpTimeoutMs: 60_000,
      dataDir: "/home/dev/project/runs/f",
    });
    assert.deepEqual(parseBenchFaultsArgs(["--help"]), { help: true });
  });

  test("refusals name the option and the value", () => {
    refused(["--member", "4"], /--member must be an integer from 0 to 3 \(got "4"\)/);
    refused(["--seconds", "0"], /--seconds .*got "0"/);
    refused(["--rate", "2.5"], /--rate .*got "2.5"/);
    refused(["--data-dir", ""], /--data-dir must not be empty/);
    refused(["--nodes", "7"], /nodes/);
    refused(["extra"], /extra/);
  });
});

describe("bench:faults's figures", () => {
  test("a phase in which everything committed: nearest-rank percentiles and the maximum", () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    const f = phaseFigures(100, load({ latencies }));
    assert.deepEqual(f, { sent: 100, committed: 100, refused: 0, pending: 0, unsent: 0, p50CommitMs: 50, p99CommitMs: 99, maxCommitMs: 100, txPerSec: 20 });
  });

  test("a halted phase accounts for each transfer: committed, refused, pending or unsent", () => {
    const f = phaseFigures(10, load({ latencies: [100, 200], failed: 1, pending: 3, unsent: 4, stalled: "3 submitted transactions were not included within 30000 ms" }));
    assert.equal(f.committed + f.refused + f.pending + f.unsent, f.sent);
    assert.match(f.halted!, /not included within 30000 ms/);
    assert.deepEqual(f.errors, ["0xabc nonce 3: nonce too low"]);
  });

  test("a transfer the load lost track of is an error, not a figure", () => {
    assert.throws(() => phaseFigures(10, load({ latencies: [100], pending: 2 })), (e: unknown) => e instanceof DevnetError && /10 transfers signed, 3 accounted for/.test(e.message));
  });

  test("nothing committed: no latencies, no ratio", () => {
    const none = phaseFigures(5, load({ pending: 5, stalled: "halted" }));
    assert.equal(none.p50CommitMs, null);
    const healthy = phaseFigures(2, load({ latencies: [400, 600] }));
    assert.equal(ratioOf(healthy, none), null);
    assert.equal(ratioOf(healthy, phaseFigures(2, load({ latencies: [1200, 1300] }))), 3);
  });

  test("a member's progress is read from its metrics text", () => {
    const text = [
      "# TYPE hotstuff_view gauge",
      "hotstuff_view 42",
      "hotstuff_committed_height 17",
      "hotstuff_high_qc_view 41",
      "hotstuff_votes_sent_total 0",
      "hotstuff_tcs_total 3",
      "hotstuff_timeouts_total 2",
      'hotstuff_messages_dropped_total{peer="1",reason="malformed"} 1',
      "",
    ].join("\n");
    assert.deepEqual(progressOf(2, text), { member: 2, view: 42, committedHeight: 17, highQcView: 41, votes: 0, timeouts: 2, tcs: 3, leaderTimeouts: 0, dropped: 1 });
  });
});
