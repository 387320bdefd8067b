/**
 * Crash and recovery with real processes: one of four members is SIGKILLed, the other three keep
 * committing; restarted, it catches up through sync, votes again, and its signed-message ledger
 * shows it never signed two messages of a kind in one view across the crash.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import type { Hex } from "viem";
import { hashBlock } from "../../src/consensus/index.ts";
import { storeIdentity } from "../../src/node/chain.ts";
import { loadNodeConfig } from "../../src/node/config.ts";
import { createDecodingSigner, StoredChain } from "../../src/settlement/chain.ts";
import { Store } from "../../src/store/index.ts";
import { eventually } from "../fixtures/redis.ts";
import { TestCluster } from "./support/cluster.ts";
import { signTransfer } from "./support/transactions.ts";

interface Signed {
  kind: string;
  view: number;
  payload: string;
}

function readLedger(dataDir: string): Signed[] {
  const db = new DatabaseSync(join(dataDir, "store.sqlite"), { readOnly: true });
  try {
    return db.prepare("SELECT kind, view, payload FROM signed ORDER BY view, kind").all() as unknown as Signed[];
  } finally {
    db.close();
  }
}

let cluster: TestCluster;
before(async () => {
  cluster = await TestCluster.create("restart");
  await cluster.startAll();
});
after(async () => {
  await cluster?.stop();
});

test("a SIGKILLed member does not halt the others; restarted, it syncs, votes again and never signs twice in a view", async () => {
  const { accounts, chainId, dataDirs } = cluster.devnet;
  const victim = 2;
  const others = [0, 1, 3];
  await cluster.waitForHeight([0, 1, 2, 3], 3n);

  await cluster.kill(victim, "SIGKILL");
  const before = readLedger(dataDirs[victim]!);
  assert.ok(before.some((s) => s.kind === "vote"), "the member had voted before the crash");
  const crashedAt = (await Promise.all(others.map((m) => cluster.height(m)))).reduce((a, b) => (a > b ? a : b));

  // The remaining three (n - f = 3) still form quorums: transfers keep committing.
  const hashes: Hex[] = [];
  for (let nonce = 0; nonce < 3; nonce++) {
    const raw = await signTransfer(accounts[0]!, { chainId, to: accounts[1]!.address, value: 1000n, nonce });
    hashes.push(await cluster.rpc<Hex>(others[nonce % 3]!, "eth_sendRawTransaction", [raw]));
  }
  // Long enough that the blocks it missed fall out of the peers' in-memory archives (2 blocks).
  await cluster.waitForHeight(others, crashedAt + 6n);
  await eventually(async () => (await Promise.all(hashes.map((h) => cluster.rpc(0, "eth_getTransactionReceipt", [h])))).every((r) => r !== null), "transfers committed without the victim", 90_000);

  const target = (await Promise.all(others.map((m) => cluster.height(m)))).reduce((a, b) => (a > b ? a : b));
  await cluster.start(victim);
  await cluster.waitForHeight([victim], target);
  for (const h of hashes) assert.notEqual(await cluster.rpc(victim, "eth_getTransactionReceipt", [h]), null, `the restarted member synced ${h}`);
  const synced = await cluster.rpc<Record<string, unknown>>(victim, "eth_getBlockByNumber", [`0x${target.toString(16)}`, false]);
  const reference = await cluster.rpc<Record<string, unknown>>(0, "eth_getBlockByNumber", [`0x${target.toString(16)}`, false]);
  assert.equal(synced.hash, reference.hash);
  assert.equal(synced.stateRoot, reference.stateRoot);
  assert.ok(others.some((m) => cluster.events(m, "sync.served_from_store").length > 0), "blocks older than the archive came from a peer's store");

  // It votes again: its new process counts votes it sent.
  await eventually(async () => ((await cluster.metrics(victim)).get("hotstuff_votes_sent_total") ?? 0) >= 3, "the restarted member to vote again", 90_000);
  assert.equal(await cluster.kill(victim, "SIGTERM"), 0, "graceful shutdown exits 0");

  const afterRestart = readLedger(dataDirs[victim]!);
  const lastBefore = before.reduce((a, s) => Math.max(a, s.view), 0);
  for (const s of before) {
    const now = afterRestart.find((t) => t.kind === s.kind && t.view === s.view);
    assert.deepEqual(now, s, `the ${s.kind} of view ${s.view} signed before the crash is the only one of its view`);
  }
  assert.ok(afterRestart.some((s) => s.kind === "vote" && s.view > lastBefore), "it signed new votes after the restart");
  const keys = afterRestart.map((s) => `${s.kind}:${s.view}`);
  assert.equal(new Set(keys).size, keys.length, "one message per kind and view");
  assert.equal(cluster.events(victim, "ledger.refused").length, 0);
  for (const m of others) assert.equal(cluster.events(m, "consensus.evidence").length, 0, `member ${m} saw no evidence against anyone`);
  for (const m of others) assert.equal((await cluster.metrics(m)).get("hotstuff_evidence_reported_total"), 0);
});

test("what a member stored (synced blocks included) is the chain the settlement worker reads: blocks by height and a commit proof", () => {
  const config = loadNodeConfig(cluster.devnet.configFiles[2]!);
  const store = Store.open(join(cluster.devnet.dataDirs[2]!, "store.sqlite"), storeIdentity(config));
  try {
    const chain = new StoredChain(store, createDecodingSigner(config.committee.length));
    const head = chain.committedHead()!;
    assert.ok(head.number > 3n);
    for (let n = 1n; n <= head.number; n++) {
      const b = chain.block(n)!;
      assert.equal(hashBlock(config.domain, b.block), chain.hashAt(n), `block ${n} decodes to its canonical hash`);
      assert.equal(b.block.header.parentHash, chain.hashAt(n - 1n), `block ${n} extends block ${n - 1n}`);
    }
    const { number, proof } = chain.commitProof(head.number)!;
    assert.equal(proof.child.header.parentHash, chain.hashAt(number));
    assert.equal(proof.child.header.view, chain.block(number)!.block.header.view + 1n, "the two-chain has consecutive views");
    assert.equal(proof.child.justify.blockHash, chain.hashAt(number));
    assert.equal(proof.childQc.blockHash, hashBlock(config.domain, proof.child));
  } finally {
    store.close();
  }
});
