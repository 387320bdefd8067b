import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, type Address, type Hex } from "viem";
import { MemoryState, type AccountChange } from "../../src/execution/index.ts";
import { loadState, stateRecord } from "../../src/node/state-store.ts";
import { SCHEMA_VERSION } from "../../src/store/schema.ts";
import { Store, type StoreIdentity } from "../../src/store/index.ts";

const identity: StoreIdentity = { chainId: "901", rollup: "0x00000000000000000000000000000000000000aa", genesisHash: "0x" + "11".repeat(32) };
const dirs: string[] = [];
function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "hotstuff-state-"));
  dirs.push(dir);
  return join(dir, "node.db");
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const contract: Address = "0x00000000000000000000000000000000000c0de1";
const eoa: Address = "0x000000000000000000000000000000000000e0a1";
const code = Uint8Array.of(0x60, 0x01, 0x60, 0x00, 0x55, 0x00);
const codeHash = bytesToHex(keccak_256(code));
const slot = (i: number): Hex => `0x${i.toString(16).padStart(64, "0")}`;

describe("committed state in the store: code and storage", () => {
  test("a restart rebuilds code and storage: same state root, code, slots; zeroed slots and emptied accounts are gone", () => {
    const path = freshPath();
    const store = Store.open(path, identity);
    const state = new MemoryState();
    const blocks: Map<Address, AccountChange>[] = [
      new Map<Address, AccountChange>([
        [eoa, { nonce: 1n, balance: 10n }],
        [contract, { nonce: 1n, balance: 3n, codeHash, code, storage: new Map([[slot(0), 7n], [slot(1), 8n]]) }],
      ]),
      new Map<Address, AccountChange>([[contract, { nonce: 1n, balance: 3n, codeHash, storage: new Map([[slot(1), 0n], [slot(2), 2n ** 255n]]) }]]),
    ];
    blocks.forEach((changes, i) => {
      state.commit(changes);
      store.commitBlock({ number: BigInt(i), hash: `0xb${i}`, transactions: [], ...stateRecord(changes), withdrawals: [] });
    });
    store.close();

    const rebuilt = loadState(Store.open(path, identity));
    assert.equal(rebuilt.stateRoot(), state.stateRoot());
    assert.deepEqual(rebuilt.getCode(contract), code);
    assert.equal(rebuilt.getStorage(contract, slot(0)), 7n);
    assert.equal(rebuilt.getStorage(contract, slot(1)), 0n);
    assert.equal(rebuilt.getStorage(contract, slot(2)), 2n ** 255n);
    assert.deepEqual(rebuilt.getAccount(eoa), { nonce: 1n, balance: 10n });
  });

  test("a version-4 store (before contracts) is migrated in place and keeps its accounts", () => {
    const path = freshPath();
    Store.open(path, identity).close();
    // Make it look like version 4: no code_hash column, schema "4".
    const db = new DatabaseSync(path);
    db.exec("DROP TABLE accounts; CREATE TABLE accounts (address TEXT PRIMARY KEY, nonce TEXT NOT NULL, balance TEXT NOT NULL) STRICT;");
    db.exec(`INSERT INTO accounts VALUES ('${eoa}', '2', '99'); UPDATE meta SET value = '4' WHERE key = 'schema';`);
    db.close();

    const store = Store.open(path, identity);
    assert.deepEqual(store.accounts(), [{ address: eoa, nonce: 2n, balance: 99n }]);
    store.commitBlock({ number: 0n, hash: "0xb0", transactions: [], ...stateRecord(new Map([[contract, { nonce: 1n, balance: 0n, codeHash, code }]])), withdrawals: [] });
    assert.equal(store.accounts().find((a) => a.address === contract)?.codeHash, codeHash);
    store.close();
    const check = new DatabaseSync(path);
    assert.equal((check.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string }).value, SCHEMA_VERSION);
    check.close();
  });
});
