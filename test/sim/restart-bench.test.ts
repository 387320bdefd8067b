import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseRestartBenchArgs, RestartUsageError } from "../../src/sim/stack/restart-bench-options.ts";
import { runRestartBench } from "../../src/sim/stack/restart-bench.ts";

function refused(argv: string[], message: RegExp): void {
  assert.throws(() => parseRestartBenchArgs(argv), (e: unknown) => e instanceof RestartUsageError && message.test(e.message));
}

describe("bench:restart's command line", () => {
  test("defaults: 500 and 50,000 blocks, host 3, seed 1", () => {
    assert.deepEqual(parseRestartBenchArgs([]), { blocks: [500, 50_000], host: 3, seed: 1 });
    assert.deepEqual(parseRestartBenchArgs(["--blocks", "100, 2000", "--host", "0", "--seed", "7"]), { blocks: [100, 2000], host: 0, seed: 7 });
    assert.deepEqual(parseRestartBenchArgs(["--help"]), { help: true });
  });

  test("refusals name the option and the value", () => {
    refused(["--blocks", "0"], /--blocks must be an integer from 1 to 1000000 \(got "0"\)/);
    refused(["--blocks", "500,x"], /--blocks .*got "x"/);
    refused(["--host", "4"], /--host .*got "4"/);
    refused(["--runs", "3"], /runs/);
  });
});

describe("bench:restart's run", () => {
  test("a host crashed after 30 blocks restarts from its store, votes again and catches up", () => {
    const f = runRestartBench({ blocks: 30, host: 1, downMs: 5_000 });
    assert.equal(f.heightAtCrash, 30);
    assert.ok(f.othersHeightAtRestart > 30, `the others went on while host 1 was down (at ${f.othersHeightAtRestart})`);
    assert.notEqual(f.firstVoteMs, null);
    assert.notEqual(f.caughtUpMs, null);
  });
});
