/**
 * scripts/settle.ts as an operator runs it: a separate process, talking JSON-RPC over HTTP to an
 * L1 node (Hardhat's JSON-RPC server, what `npx hardhat node` runs), reading a member's store on
 * disk and the deployments file. It settles everything committed and prints one JSON line; a
 * second run has nothing to do; bad arguments get the usage and exit code 2.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { network } from "hardhat";
import type { Hex } from "viem";
import { storeIdentityOf } from "../../src/deployment/contracts.ts";
import { deploySystem } from "../contracts/fixtures.ts";
import { genesisBlock, openStore, recordCommit, runCommittee } from "../settlement/harness.ts";
import { runScript } from "../fixtures/scripts.ts";

const server = await network.createServer("default", "127.0.0.1", 0);
const { port } = await server.listen();
const rpcUrl = `http://127.0.0.1:${port}`;
const { viem } = await network.create({ network: "localhost", override: { url: rpcUrl } });
const dir = mkdtempSync(join(tmpdir(), "settle-script-"));
const cleanups: (() => void | Promise<void>)[] = [() => rmSync(dir, { recursive: true, force: true }), () => server.close()];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const runSettle = (args: readonly string[]) => runScript("settle", args);

describe("scripts/settle.ts", () => {
  test("settles every committed block over JSON-RPC and prints one JSON line; a second run has nothing to do", async () => {
    const system = await deploySystem(viem, { n: 4, inclusionDeadline: 10_000n, seed: "settle-script" });
    const genesis = genesisBlock(system.genesis);
    const opened = openStore(storeIdentityOf(system.deployment), genesis);
    cleanups.push(opened.remove);
    runCommittee({ keys: system.keys, domain: system.domain, genesis, onCommit: (a) => recordCommit(opened.store, a) }).commitUntil(10n);
    const head = opened.store.committedHead()!;
    const deployments = join(dir, "localhost.json");
    writeFileSync(deployments, JSON.stringify(system.deployment));

    const first = await runSettle(["--store", opened.path, "--deployments", deployments, "--rpc-url", rpcUrl, "--batch-size", "4"]);
    assert.equal(first.code, 0, first.stderr);
    const lines = first.stdout.trim().split("\n");
    assert.equal(lines.length, 1, "one JSON line");
    const out = JSON.parse(lines[0]!) as { from: string; to: string; finalized: { number: string; hash: string }; batches: { from: string; to: string; gasUsed: string }[]; transactions: Hex[]; gasUsed: string };
    assert.equal(out.from, "1");
    assert.equal(out.to, head.number.toString());
    assert.deepEqual(out.finalized, { number: head.number.toString(), hash: head.hash });
    assert.equal(out.transactions.length, out.batches.length);
    assert.ok(out.batches.every((b) => BigInt(b.to) - BigInt(b.from) < 4n));
    assert.equal(BigInt(out.gasUsed), out.batches.reduce((s, b) => s + BigInt(b.gasUsed), 0n));
    for (let n = 1n; n <= head.number; n++) assert.equal(await system.rollup.read.isFinalized([n, opened.store.canonicalHash(n)! as Hex]), true);

    const second = await runSettle(["--data-dir", dirname(opened.path), "--deployments", deployments, "--rpc-url", rpcUrl]);
    assert.equal(second.code, 0, second.stderr);
    const again = JSON.parse(second.stdout) as { from: null; to: null; transactions: unknown[] };
    assert.equal(again.from, null);
    assert.equal(again.to, null);
    assert.deepEqual(again.transactions, []);
  });

  test("bad arguments print the usage and exit 2", async () => {
    for (const args of [[], ["--store"], ["--store", join(dir, "missing.sqlite")], ["--bogus"], ["--store", "x", "--batch-size", "0"], ["--data-dir", dir]]) {
      const result = await runSettle(args);
      assert.equal(result.code, 2, `exit 2 for ${JSON.stringify(args)}`);
      assert.match(result.stderr, /usage: node --experimental-strip-types scripts\/settle\.ts/);
      assert.equal(result.stdout, "");
    }
  });
});
