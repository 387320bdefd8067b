import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseBenchE2eArgs, type BenchE2eOptions } from "../../src/devnet/bench-e2e-options.ts";
import { UsageError } from "../../src/devnet/start-options.ts";

function parse(...argv: string[]): BenchE2eOptions {
  const parsed = parseBenchE2eArgs(argv, "/home/dev/project");
  assert.ok(!("help" in parsed));
  return parsed;
}

function refused(argv: string[], message: RegExp): void {
  assert.throws(() => parseBenchE2eArgs(argv, "/home/dev/project"), (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

describe("bench:e2e's command line", () => {
  test("defaults: 5000 transfers from 100 senders, 1024 in flight, 64 per sender, 4 members, a temporary dir", () => {
    assert.deepEqual(parse(), {
      txs: 5000,
      senders: 100,
      concurrency: 1024,
      perSender: 64,
      nodes: 4,
      finalityTimeoutMs: 120_000,
      dataDir: undefined,
      baselineOnly: false,
      sweep: undefined,
    });
  });

  test("every option is read; a data dir resolves from the working dir", () => {
    assert.deepEqual(
      parse("--txs", "1000", "--senders", "4", "--concurrency", "64", "--per-sender", "16", "--nodes", "7", "--finality-timeout", "30", "--data-dir", "runs/a", "--baseline-only"),
      { txs: 1000, senders: 4, concurrency: 64, perSender: 16, nodes: 7, finalityTimeoutMs: 30_000, dataDir: "/home/dev/project/runs/a", baselineOnly: true, sweep: undefined },
    );
    assert.deepEqual(parseBenchE2eArgs(["--help"]), { help: true });
  });

  test("--sweep: 10 and 100 senders at 10..120% of the max rate, 10 s a point; the max rate is measured with the most senders", () => {
    assert.deepEqual(parse("--sweep"), {
      ...parse(),
      senders: 100,
      sweep: { senders: [10, 100], percents: [10, 25, 50, 75, 100, 120], pointSeconds: 10, svgPath: undefined },
    });
    const o = parse("--sweep", "--senders", "40,4", "--points", "100,50", "--point-seconds", "2", "--svg", "docs/curve.svg");
    assert.equal(o.senders, 40);
    assert.deepEqual(o.sweep, { senders: [4, 40], percents: [50, 100], pointSeconds: 2, svgPath: "/home/dev/project/docs/curve.svg" });
  });

  test("the sweep's refusals name the option and the value", () => {
    refused(["--points", "50"], /--points needs --sweep/);
    refused(["--point-seconds", "5"], /--point-seconds needs --sweep/);
    refused(["--svg", "a.svg"], /--svg needs --sweep/);
    refused(["--senders", "10,100"], /--senders takes one count without --sweep \(got "10,100"\)/);
    refused(["--sweep", "--baseline-only"], /--sweep needs the devnet's max rate: it cannot go with --baseline-only/);
    refused(["--sweep", "--points", "0,50"], /--points must be an integer from 1 to 200 \(got "0"\)/);
    refused(["--sweep", "--points", "50,,100"], /--points must be an integer from 1 to 200 \(got ""\)/);
    refused(["--sweep", "--points", "50,50"], /--points lists a value twice \(got "50,50"\)/);
    refused(["--sweep", "--senders", "10,1001"], /--senders must be an integer from 1 to 1000 \(got "1001"\)/);
    refused(["--sweep", "--point-seconds", "0"], /--point-seconds must be an integer from 1 to 600/);
    refused(["--sweep", "--svg", ""], /--svg must not be empty/);
  });

  test("refusals name the option and the value", () => {
    refused(["--txs", "0"], /--txs must be an integer from 1 to 1000000 \(got "0"\)/);
    refused(["--txs", "5k"], /--txs must be an integer from 1 to 1000000 \(got "5k"\)/);
    refused(["--senders", "1001"], /--senders must be an integer from 1 to 1000 \(got "1001"\)/);
    refused(["--per-sender", "65"], /--per-sender must be an integer from 1 to 64/);
    refused(["--nodes", "3"], /--nodes must be an integer from 4 to 16 \(got "3"\)/);
    refused(["--data-dir", ""], /--data-dir must not be empty/);
    refused(["--txs"], /--txs/);
    refused(["--bogus"], /Unknown option '--bogus'/);
    refused(["extra"], /positional/);
  });
});
