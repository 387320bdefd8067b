import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DevnetError } from "../../src/devnet/errors.ts";
import { MAX_NODES, parseStartArgs, UsageError, type StartOptions } from "../../src/devnet/start-options.ts";
import { DATA_DIR_MARKER, prepareDataDir } from "../../src/devnet/start.ts";

function parse(...argv: string[]): StartOptions {
  const parsed = parseStartArgs(argv, "/home/dev/project");
  assert.ok(!("help" in parsed));
  return parsed;
}

function refused(argv: string[], message: RegExp): void {
  assert.throws(() => parseStartArgs(argv, "/home/dev/project"), (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

describe("npm start's command line", () => {
  test("defaults: 4 members, .devnet under the working dir, L1 on 8545, member RPC from 8645", () => {
    assert.deepEqual(parse(), {
      nodes: 4,
      byzantine: undefined,
      dataDir: "/home/dev/project/.devnet",
      reset: false,
      l1Port: 8545,
      rpcPort: 8645,
      p2pPort: undefined,
      metricsPort: undefined,
      statusIntervalMs: 10_000,
    });
  });

  test("every option is read", () => {
    assert.deepEqual(
      parse("--nodes", "7", "--byzantine", "6:silent", "--data-dir", "/tmp/x", "--reset", "--l1-port", "9545", "--rpc-port", "9645", "--p2p-port", "9745", "--metrics-port", "9845", "--status-interval", "3"),
      { nodes: 7, byzantine: { member: 6, mode: "silent" }, dataDir: "/tmp/x", reset: true, l1Port: 9545, rpcPort: 9645, p2pPort: 9745, metricsPort: 9845, statusIntervalMs: 3_000 },
    );
    assert.deepEqual(parse("--byzantine", "0:equivocate").byzantine, { member: 0, mode: "equivocate" });
    assert.deepEqual(parse("--byzantine", "2:flood").byzantine, { member: 2, mode: "flood" });
    assert.deepEqual(parseStartArgs(["--help"]), { help: true });
  });

  test("bad values are refused naming the option and the value", () => {
    refused(["--nodes", "3"], /--nodes must be an integer from 4 to 16 \(got "3"\)/);
    refused(["--nodes", String(MAX_NODES + 1)], /--nodes must be an integer from 4 to 16/);
    refused(["--nodes", "4.5"], /--nodes .*"4\.5"/);
    refused(["--byzantine", "1"], /--byzantine must be <member index>:<bad-proposal\|double-vote\|equivocate\|flood\|ignore-lock\|silent> \(got "1"\)/);
    refused(["--byzantine", "4:silent"], /--byzantine member index must be below --nodes 4 \(got 4\)/);
    refused(["--byzantine", "1:crash"], /--byzantine mode must be one of bad-proposal, double-vote, equivocate, flood, ignore-lock, silent \(got "crash"\)/);
    refused(["--l1-port", "70000"], /--l1-port must be an integer from 1 to 65535/);
    refused(["--rpc-port", "65533"], /--rpc-port must be an integer from 1 to 65532/);
    refused(["--status-interval", "0"], /--status-interval/);
    refused(["--data-dir", ""], /--data-dir must not be empty/);
    refused(["--frobnicate"], /Unknown option '--frobnicate'/);
    refused(["extra"], /positional argument/);
  });

  test("port ranges that overlap are refused: member i uses base + i", () => {
    refused(["--l1-port", "8647"], /--l1-port 8647 and --rpc-port 8645 overlap/);
    refused(["--rpc-port", "9000", "--p2p-port", "9003"], /--rpc-port 9000 and --p2p-port 9003 overlap/);
    assert.equal(parse("--rpc-port", "9000", "--p2p-port", "9004").p2pPort, 9004);
  });
});

describe("the data dir", () => {
  const base = () => mkdtempSync(join(tmpdir(), "devnet-datadir-"));

  test("a missing or empty dir is taken and marked as a devnet's", () => {
    const root = base();
    try {
      const dir = join(root, "a", "b");
      prepareDataDir(dir, false);
      assert.deepEqual(readdirSync(dir), [DATA_DIR_MARKER]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("an earlier devnet's dir is refused without --reset and wiped with it", () => {
    const dir = base();
    try {
      prepareDataDir(dir, false);
      mkdirSync(join(dir, "members"));
      writeFileSync(join(dir, "deployments.json"), "{}");
      assert.throws(() => prepareDataDir(dir, false), (e: unknown) => {
        assert.ok(e instanceof DevnetError);
        assert.equal(e.code, "DATA_DIR_IN_USE");
        assert.match(e.message, /holds an earlier devnet.*npm start -- --reset/);
        return true;
      });
      assert.ok(existsSync(join(dir, "deployments.json")));
      prepareDataDir(dir, true);
      assert.deepEqual(readdirSync(dir), [DATA_DIR_MARKER]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a non-empty dir that is not a devnet's is never wiped, even with --reset", () => {
    const dir = base();
    try {
      writeFileSync(join(dir, "thesis.tex"), "precious");
      for (const reset of [false, true]) {
        assert.throws(() => prepareDataDir(dir, reset), (e: unknown) => e instanceof DevnetError && e.code === "DATA_DIR_IN_USE" && /is not a devnet data dir/.test(e.message));
      }
      assert.deepEqual(readdirSync(dir), ["thesis.tex"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
