/**
 * HeldLinks (src/node/held-links.ts): a step's sends leave only after its store transaction
 * committed, in order; a failed transaction sends nothing it held; a nested failure drops only
 * its own sends.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { test } from "node:test";
import { HeldLinks } from "../../src/node/held-links.ts";
import type { Links } from "../../src/node/io.ts";
import { Store } from "../../src/store/index.ts";

function recording(): { links: Links; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    links: {
      send: (to, data) => sent.push(`${to}:${data}`),
      broadcast: (data) => sent.push(`all:${data}`),
      connectedPeers: () => [1, 2],
      unreachableSince: (peer) => (peer === 3 ? 7 : undefined),
    },
  };
}

const direct = <T>(work: () => T): T => work();

test("outside a step sends leave at once; inside, they wait for the step and leave in order", () => {
  const { links, sent } = recording();
  const held = new HeldLinks(links);
  held.send(1, "a");
  assert.deepEqual(sent, ["1:a"]);
  const result = held.holding(direct, () => {
    held.broadcast("b");
    held.send(2, "c");
    assert.deepEqual(sent, ["1:a"], "nothing leaves during the step");
    return 42;
  });
  assert.equal(result, 42);
  assert.deepEqual(sent, ["1:a", "all:b", "2:c"]);
  assert.deepEqual(held.connectedPeers(), [1, 2]);
  assert.equal(held.unreachableSince(3), 7);
});

test("a step that throws sends nothing it held; a nested one that throws drops only its own", () => {
  const { links, sent } = recording();
  const held = new HeldLinks(links);
  assert.throws(() => held.holding(direct, () => {
    held.send(1, "lost");
    throw new Error("disk full");
  }), /disk full/);
  assert.deepEqual(sent, []);
  held.holding(direct, () => {
    held.send(1, "outer");
    assert.throws(() => held.holding(direct, () => {
      held.send(2, "inner");
      throw new Error("refused");
    }));
    held.send(1, "after");
  });
  assert.deepEqual(sent, ["1:outer", "1:after"]);
});

test("with the store's transaction, what the step wrote is on disk when its sends leave", () => {
  const dir = mkdtempSync(join(tmpdir(), "held-links-"));
  try {
    const path = join(dir, "store.sqlite");
    const store = Store.open(path, { chainId: "1", rollup: "0x01", genesisHash: "0x02" });
    const reader = new DatabaseSync(path, { readOnly: true });
    const onDisk = () => (reader.prepare("SELECT value FROM meta WHERE key = 'fact:probe'").get() as { value: string } | undefined)?.value;
    const seen: (string | undefined)[] = [];
    const held = new HeldLinks({ ...recording().links, send: () => seen.push(onDisk()), broadcast: () => seen.push(onDisk()) });
    held.holding((work) => store.atomically(work), () => {
      store.setFact("probe", "written");
      held.send(1, "vote");
      assert.equal(onDisk(), undefined, "not committed yet: another connection cannot see it");
      assert.equal(store.inTransaction, true);
    });
    assert.equal(store.inTransaction, false);
    assert.deepEqual(seen, ["written"], "the send left after the commit");
    reader.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
