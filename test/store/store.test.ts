import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Database } from "../../src/store/database.ts";
import { Store, StoreError, type StoreIdentity } from "../../src/store/index.ts";

const identity: StoreIdentity = { chainId: "901", rollup: "0x00000000000000000000000000000000000000aa", genesisHash: "0x" + "11".repeat(32) };
const dirs: string[] = [];
function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "hotstuff-store-"));
  dirs.push(dir);
  return join(dir, "node.db");
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const code = (c: string) => (e: unknown) => e instanceof StoreError && e.code === c;

describe("store", () => {
  test("blocks, QCs, the committed chain and accounts survive a reopen", () => {
    const path = freshPath();
    const store = Store.open(path, identity);
    store.putBlock({ hash: "0xb1", number: 1n, view: 3n, epoch: 1n, proposer: 2, data: '{"b":1}' });
    store.putQc("0xb1", 3n, '{"qc":1}');
    store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], accounts: [], withdrawals: [] });
    store.commitBlock({
      number: 1n,
      hash: "0xb1",
      transactions: [{ hash: "0xAA", index: 0, receipt: '{"status":1}' }],
      accounts: [{ address: "0xABC", nonce: 1n, balance: 10n ** 30n }],
      withdrawals: ['{"amount":"5"}'],
    });
    store.saveSafety('{"lastVotedView":"3"}');
    store.close();

    const again = Store.open(path, identity);
    assert.deepEqual(again.getBlock("0xb1"), { hash: "0xb1", number: 1n, view: 3n, epoch: 1n, proposer: 2, data: '{"b":1}' });
    assert.equal(again.getQc("0xb1"), '{"qc":1}');
    assert.deepEqual(again.committedHead(), { number: 1n, hash: "0xb1" });
    assert.deepEqual(again.getTransaction("0xaa"), { blockNumber: 1n, blockHash: "0xb1", index: 0, receipt: '{"status":1}' });
    assert.deepEqual(again.accounts(), [{ address: "0xabc", nonce: 1n, balance: 10n ** 30n }]);
    assert.deepEqual(again.withdrawalsOf(1n), ['{"amount":"5"}']);
    assert.equal(again.loadSafety(), '{"lastVotedView":"3"}');
    again.close();
  });

  test("a block's transactions come back in block order, with their count", () => {
    const store = Store.open(freshPath(), identity);
    store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], accounts: [], withdrawals: [] });
    const transactions = [2, 0, 1].map((index) => ({ hash: `0x0${index}`, index, receipt: `{"i":${index}}` }));
    store.commitBlock({ number: 1n, hash: "0xb1", transactions, accounts: [], withdrawals: [] });
    assert.deepEqual(store.transactionsOf(1n), [0, 1, 2].map((index) => ({ hash: `0x0${index}`, index, receipt: `{"i":${index}}` })));
    assert.equal(store.transactionCountOf(1n), 3);
    assert.deepEqual(store.transactionsOf(0n), []);
    assert.equal(store.transactionCountOf(7n), 0, "a height not committed holds none");
    store.close();
  });

  test("committing is idempotent, and a conflicting or gapped commit is refused", () => {
    const store = Store.open(freshPath(), identity);
    store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], accounts: [], withdrawals: [] });
    store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], accounts: [], withdrawals: [] });
    assert.throws(() => store.commitBlock({ number: 0n, hash: "0xc0", transactions: [], accounts: [], withdrawals: [] }), code("STORE_CONFLICT"));
    assert.throws(() => store.commitBlock({ number: 2n, hash: "0xb2", transactions: [], accounts: [], withdrawals: [] }), code("STORE_CONFLICT"));
    store.close();
  });

  test("a second, different signature in one view is refused; a resend of the same one is not", () => {
    const store = Store.open(freshPath(), identity);
    store.recordSignature("vote", 7n, "0xblockA", 1n);
    store.recordSignature("vote", 7n, "0xblockA", 1n);
    store.recordSignature("timeout", 7n, "hq5", 1n);
    assert.throws(() => store.recordSignature("vote", 7n, "0xblockB", 1n), code("STORE_CONFLICT"));
    assert.deepEqual(store.signedMessages().map((m) => `${m.kind}@${m.view}=${m.payload}`), ["timeout@7=hq5", "vote@7=0xblockA"]);
    store.close();
  });

  test("a signature in another epoch's view of the same number is a different message, not a conflict", () => {
    const store = Store.open(freshPath(), identity);
    store.recordSignature("vote", 7n, "0xblockA", 1n);
    store.recordSignature("vote", 7n, "0xblockB", 2n);
    assert.throws(() => store.recordSignature("vote", 7n, "0xblockC", 2n), code("STORE_CONFLICT"));
    assert.deepEqual(store.signedMessages().map((m) => `${m.epoch}:${m.kind}@${m.view}=${m.payload}`), ["1:vote@7=0xblockA", "2:vote@7=0xblockB"]);
    store.close();
  });

  test("starting an epoch writes its record, safety state and the old epoch's proof, and drops the old epoch's uncommitted blocks", () => {
    const store = Store.open(freshPath(), identity);
    for (const [n, h] of [[0n, "0xb0"], [1n, "0xb1"]] as const) {
      store.putBlock({ hash: h, number: n, view: n, epoch: 1n, proposer: 0, data: "x" });
      store.commitBlock({ number: n, hash: h, transactions: [], accounts: [], withdrawals: [] });
    }
    store.putBlock({ hash: "0xb2", number: 2n, view: 2n, epoch: 1n, proposer: 1, data: "old epoch, never committed" });
    store.startEpoch('{"epoch":"2"}', '{"lastVotedView":"0"}', 1n, { epoch: 1n, data: "proof" });
    assert.equal(store.getFact("consensus:epoch"), '{"epoch":"2"}');
    assert.equal(store.loadSafety(), '{"lastVotedView":"0"}');
    assert.equal(store.getBlock("0xb2"), undefined);
    assert.notEqual(store.getBlock("0xb1"), undefined);
    assert.deepEqual(store.epochChange(1n), { boundary: 1n, data: "proof" });
    assert.equal(store.epochChange(2n), undefined);
    store.close();
  });

  test("atomically: a failure inside rolls back every write, nested transactions included", () => {
    const store = Store.open(freshPath(), identity);
    assert.throws(() => store.atomically(() => {
      store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], accounts: [{ address: "0xaa", nonce: 1n, balance: 5n }], withdrawals: [] });
      store.startEpoch('{"epoch":"2"}', "{}", 0n, { epoch: 1n, data: "proof" });
      throw new Error("crash in the middle");
    }), /crash in the middle/);
    assert.equal(store.committedHead(), undefined);
    assert.equal(store.getFact("consensus:epoch"), undefined);
    assert.equal(store.epochChange(1n), undefined);
    store.atomically(() => store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], accounts: [], withdrawals: [] }));
    assert.deepEqual(store.committedHead(), { number: 0n, hash: "0xb0" });
    store.close();
  });

  test("restart reads back only one epoch's blocks above a height, with their proposers", () => {
    const store = Store.open(freshPath(), identity);
    store.putBlock({ hash: "0xa1", number: 1n, view: 1n, epoch: 1n, proposer: 1, data: "a1" });
    store.putBlock({ hash: "0xa2", number: 2n, view: 2n, epoch: 1n, proposer: 2, data: "a2" });
    store.putBlock({ hash: "0xc2", number: 2n, view: 9n, epoch: 2n, proposer: 0, data: "c2" });
    store.putBlock({ hash: "0xc3", number: 3n, view: 10n, epoch: 2n, proposer: 1, data: "c3" });
    assert.deepEqual(store.blocksAbove(1n, 2n).map((b) => [b.hash, b.proposer]), [["0xc2", 0], ["0xc3", 1]]);
    assert.deepEqual(store.blocksAbove(1n, 1n).map((b) => b.hash), ["0xa2"]);
    store.close();
  });

  test("a store of another chain is refused", () => {
    const path = freshPath();
    Store.open(path, identity).close();
    assert.throws(() => Store.open(path, { ...identity, chainId: "902" }), (e: unknown) => {
      assert.ok(e instanceof StoreError && e.code === "STORE_MISMATCH");
      assert.match(e.message, /another chainId: it holds 901, this node runs 902/);
      return true;
    });
  });

  test("an edited safety row is detected, not used", () => {
    const path = freshPath();
    const store = Store.open(path, identity);
    store.saveSafety('{"lastVotedView":"9"}');
    store.close();
    const raw = new DatabaseSync(path);
    raw.exec(`UPDATE safety SET data = '{"lastVotedView":"1"}'`);
    raw.close();
    assert.throws(() => Store.open(path, identity), code("STORE_DAMAGED"));
  });

  test("a file that is not a database is reported as damaged", () => {
    const path = freshPath();
    const store = Store.open(path, identity);
    for (let i = 0; i < 200; i++) store.putBlock({ hash: `0x${i}`, number: BigInt(i), view: BigInt(i), epoch: 1n, proposer: -1, data: "x".repeat(500) });
    store.close();
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(100, 0xff), 0, 100, 0);
    closeSync(fd);
    assert.throws(() => Store.open(path, identity), (e: unknown) => {
      assert.ok(e instanceof StoreError && e.code === "STORE_DAMAGED");
      assert.match(e.message, /is damaged and cannot be used/);
      return true;
    });
  });

  test("the safety state and signature record are on disk when the call returns (killed process)", () => {
    const path = freshPath();
    Store.open(path, identity).close();
    const script = `
      import { Store } from ${JSON.stringify(new URL("../../src/store/index.ts", import.meta.url).href)};
      const s = Store.open(${JSON.stringify(path)}, ${JSON.stringify(identity)});
      s.saveSafety('{"lastVotedView":"42"}');
      s.recordSignature("vote", 42n, "0xfeed", 1n);
      process.kill(process.pid, "SIGKILL");
    `;
    const child = spawnSync(process.execPath, [...process.execArgv, "--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(child.signal, "SIGKILL", child.stderr);
    const store = Store.open(path, identity);
    assert.equal(store.loadSafety(), '{"lastVotedView":"42"}');
    assert.throws(() => store.recordSignature("vote", 42n, "0xother", 1n), code("STORE_CONFLICT"));
    store.close();
  });

  test("a commit without fsync keeps its order and survives a killed process; the next fsynced commit covers the ledger entries before it", () => {
    const path = freshPath();
    const store = Store.open(path, identity);
    assert.equal(store.ledgerDurable, true);
    store.atomically(() => store.recordSignature("vote", 7n, "0xaa", 1n), false);
    assert.equal(store.ledgerDurable, false, "the vote's entry waits for an fsync");
    store.atomically(() => store.setFact("other", "x"), false);
    assert.equal(store.ledgerDurable, false);
    store.atomically(() => store.setFact("other", "y"));
    assert.equal(store.ledgerDurable, true, "an fsynced commit makes every earlier one durable");
    assert.throws(() => store.atomically(() => {
      store.recordSignature("vote", 8n, "0xbb", 1n);
      throw new Error("step failed");
    }, false));
    assert.equal(store.recordSignature("vote", 8n, "0xcc", 1n), undefined, "the rolled-back entry is gone");
    store.close();

    const script = `
      import { Store } from ${JSON.stringify(new URL("../../src/store/index.ts", import.meta.url).href)};
      const s = Store.open(${JSON.stringify(path)}, ${JSON.stringify(identity)});
      s.atomically(() => s.recordSignature("vote", 9n, "0xdd", 1n), false);
      s.atomically(() => s.saveSafety('{"lastVotedView":"9"}'), false);
      process.kill(process.pid, "SIGKILL");
    `;
    const child = spawnSync(process.execPath, [...process.execArgv, "--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(child.signal, "SIGKILL", child.stderr);
    const reopened = Store.open(path, identity);
    assert.equal(reopened.loadSafety(), '{"lastVotedView":"9"}', "a process crash keeps what was committed without fsync");
    assert.throws(() => reopened.recordSignature("vote", 9n, "0xee", 1n), code("STORE_CONFLICT"));
    reopened.close();

    const db = Database.open(path, identity);
    const synchronous = () => (db.statement("PRAGMA synchronous").get() as { synchronous: number }).synchronous;
    assert.equal(synchronous(), 2, "FULL");
    db.transaction(() => assert.equal(synchronous(), 1, "NORMAL inside a non-durable transaction"), false);
    assert.equal(synchronous(), 2, "FULL again after it");
    assert.throws(() => db.transaction(() => {
      throw new Error("failed");
    }, false));
    assert.equal(synchronous(), 2, "FULL again after a failed one");
    db.close();
  });
});

describe("schema upgrades", () => {
  test("a version-5 store's receipts gain firstLogIndex: the logs of the earlier receipts in their block", () => {
    const path = freshPath();
    const store = Store.open(path, identity);
    const receipt = (logs: number) => JSON.stringify({ logs: Array.from({ length: logs }, () => ({ address: "0x01", topics: [], data: "0x" })) });
    store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], accounts: [], withdrawals: [] });
    store.commitBlock({
      number: 1n,
      hash: "0xb1",
      transactions: [
        { hash: "0xa0", index: 0, receipt: receipt(2) },
        { hash: "0xa1", index: 1, receipt: JSON.stringify({}) }, // a receipt stored before logs existed
        { hash: "0xa2", index: 2, receipt: receipt(3) },
        { hash: "0xa3", index: 3, receipt: receipt(1) },
      ],
      accounts: [],
      withdrawals: [],
    });
    store.commitBlock({ number: 2n, hash: "0xb2", transactions: [{ hash: "0xa4", index: 0, receipt: receipt(1) }], accounts: [], withdrawals: [] });
    store.close();
    const db = new DatabaseSync(path);
    db.exec("UPDATE meta SET value = '5' WHERE key = 'schema'");
    db.close();

    const upgraded = Store.open(path, identity);
    const first = (hash: string) => (JSON.parse(upgraded.getTransaction(hash)!.receipt) as { firstLogIndex: number }).firstLogIndex;
    assert.deepEqual(["0xa0", "0xa1", "0xa2", "0xa3", "0xa4"].map(first), [0, 2, 2, 5, 0]);
    assert.equal((JSON.parse(upgraded.getTransaction("0xa2")!.receipt) as { logs: unknown[] }).logs.length, 3, "the receipt is otherwise unchanged");
    upgraded.close();
  });
});

describe("commit proofs", () => {
  test("the latest proof at or below a height is found", () => {
    const store = Store.open(freshPath(), identity);
    assert.equal(store.latestCommitProof(), undefined);
    store.putCommitProof(3n, "p3", 1n);
    store.putCommitProof(7n, "p7", 2n);
    assert.deepEqual(store.latestCommitProof(), { number: 7n, epoch: 2n, data: "p7" });
    assert.deepEqual(store.latestCommitProof(6n), { number: 3n, epoch: 1n, data: "p3" });
    assert.equal(store.latestCommitProof(2n), undefined);
    store.close();
  });
});
