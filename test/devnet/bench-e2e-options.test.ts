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
    });
  });

  test("every option is read; a data dir resolves from the working dir", () => {
    assert.deepEqual(
      parse("--txs", "1000", "--senders", "4", "--concurrency", "64", "--per-sender", "16", "--nodes", "7", "--finality-timeout", "30", "--data-dir", "runs/a", "--baseline-only"),
      { txs: 1000, senders: 4, concurrency: 64, perSender: 16, nodes: 7, finalityTimeoutMs: 30_000, dataDir: "/home/dev/project/runs/a", baselineOnly: true },
    );
    assert.deepEqual(parseBenchE2eArgs(["--help"]), { help: true });
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
