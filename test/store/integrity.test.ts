/**
 * The whole-file check runs off the restart path (src/store/integrity.ts): a store whose damage
 * lies in pages a restart does not read opens, and the check, run after start-up, still finds it.
 */
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { checkStoreIntegrity } from "../../src/store/integrity.ts";
import { Store, type StoreIdentity } from "../../src/store/index.ts";

const identity: StoreIdentity = { chainId: "901", rollup: "0x00000000000000000000000000000000000000aa", genesisHash: "0x" + "11".repeat(32) };
const dir = mkdtempSync(join(tmpdir(), "hotstuff-integrity-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function storeWithBlocks(name: string): string {
  const path = join(dir, name);
  const store = Store.open(path, identity);
  store.saveSafety('{"lastVotedView":"9"}');
  for (let i = 0; i < 2_000; i++) store.putBlock({ hash: `0x${i.toString(16)}`, number: BigInt(i), view: BigInt(i), epoch: 1n, proposer: 0, data: "ab".repeat(400) });
  store.close();
  return path;
}

test("a sound store passes the whole-file check", async () => {
  assert.equal(await checkStoreIntegrity(storeWithBlocks("sound.sqlite")), undefined);
});

test("damage deep in the blocks table does not slow or stop a restart, and the check after start-up finds it", async () => {
  const path = storeWithBlocks("damaged.sqlite");
  const size = statSync(path).size;
  const fd = openSync(path, "r+");
  // A page in the second half of the file: block rows, which a restart never reads.
  const page = Math.floor(size / 4096 / 2 + size / 4096 / 4);
  writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
  closeSync(fd);
  const store = Store.open(path, identity);
  assert.equal(store.loadSafety(), '{"lastVotedView":"9"}', "the safety state still reads");
  store.close();
  const damage = await checkStoreIntegrity(path);
  assert.ok(damage !== undefined && damage.startsWith("quick_check:"), `the check reports the damage (got ${damage})`);
});

test("a file that cannot be read at all is reported, not thrown", async () => {
  const damage = await checkStoreIntegrity(join(dir, "missing", "store.sqlite"));
  assert.ok(damage !== undefined && /cannot be read/.test(damage), damage);
});
