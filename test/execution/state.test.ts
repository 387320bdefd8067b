import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createMPT, verifyMerkleProof } from "@ethereumjs/mpt";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes, numberToHex, toRlp, type Address, type Hex } from "viem";
import { ExecutionError } from "../../src/execution/errors.ts";
import { verifyAccountProof, verifyStorageProof } from "../../src/execution/proof.ts";
import { accountKey, encodeAccount, MemoryState, type Account } from "../../src/execution/state.ts";
import { keys, seededRandom } from "./fixtures.ts";

const addresses = keys(300, "state").map((k) => k.address);
const account = (nonce: bigint, balance: bigint): Account => ({ nonce, balance });

describe("state root: Ethereum's secure account trie", () => {
  test("empty state has the empty trie root", () => {
    assert.equal(new MemoryState().stateRoot(), "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  });

  test("equals @ethereumjs/mpt's root over keccak(address) -> RLP([nonce, balance, emptyStorage, emptyCode]), across updates", async () => {
    const seed = 0xacc0;
    const random = seededRandom(seed);
    const reference = await createMPT({ useKeyHashing: true });
    const state = new MemoryState();
    for (let round = 0; round < 5; round++) {
      const changes = new Map<Address, Account>();
      for (let i = 0; i < 80; i++) {
        const address = addresses[Math.floor(random() * addresses.length)]!;
        const value = account(BigInt(round + 1), BigInt(Math.floor(random() * 1e15)) * 10n ** 6n + 1n);
        changes.set(address, value);
      }
      for (const [address, value] of changes) await reference.put(hexToBytes(address), encodeAccount(value));
      const predicted = state.rootWith(changes);
      state.commit(changes);
      assert.equal(state.stateRoot(), predicted, `seed ${seed}, round ${round}`);
      assert.equal(state.stateRoot(), bytesToHex(reference.root()), `seed ${seed}, round ${round}`);
    }
  });

  test("a known account encoding: nonce 1, balance 1 ether", () => {
    assert.equal(
      bytesToHex(encodeAccount(account(1n, 10n ** 18n))),
      "0xf84c01880de0b6b3a7640000a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
  });

  test("empty accounts are not in the trie (EIP-161): a zero-balance, zero-nonce change leaves the root alone", () => {
    const state = MemoryState.fromAccounts([[addresses[0]!, account(0n, 5n)]]);
    const root = state.stateRoot();
    assert.equal(state.rootWith(new Map([[addresses[1]!, account(0n, 0n)]])), root);
  });
});

describe("speculative states", () => {
  test("rootWith and extend never change the committed state; commit does", () => {
    const state = MemoryState.fromAccounts([[addresses[0]!, account(0n, 100n)]]);
    const root = state.stateRoot();
    const changes = new Map([[addresses[0]!, account(1n, 50n)], [addresses[1]!, account(0n, 40n)]]);
    const next = state.extend(changes);
    assert.equal(state.stateRoot(), root);
    assert.deepEqual(state.getAccount(addresses[1]!), account(0n, 0n));
    assert.deepEqual(next.getAccount(addresses[1]!), account(0n, 40n));
    assert.deepEqual(next.getAccount(addresses[0]!), account(1n, 50n));
    assert.notEqual(next.stateRoot(), root);
    state.commit(changes);
    assert.equal(state.stateRoot(), next.stateRoot());
    assert.deepEqual(state.getAccount(addresses[1]!), account(0n, 40n));
  });

  test("two levels of uncommitted changes give the root of committing both", () => {
    const state = MemoryState.fromAccounts([[addresses[0]!, account(0n, 100n)]]);
    const first = new Map([[addresses[0]!, account(1n, 90n)], [addresses[2]!, account(0n, 10n)]]);
    const second = new Map([[addresses[2]!, account(1n, 5n)], [addresses[3]!, account(0n, 5n)]]);
    const root = state.extend(first).extend(second).stateRoot();
    const other = MemoryState.fromAccounts([[addresses[0]!, account(0n, 100n)]]);
    other.commit(first);
    other.commit(second);
    assert.equal(other.stateRoot(), root);
  });
});

describe("account proofs (eth_getProof)", () => {
  const state = MemoryState.fromAccounts(addresses.slice(0, 200).map((a, i) => [a, account(BigInt(i), BigInt(i + 1) * 10n ** 15n)] as const));
  const root = state.stateRoot();

  test("a present account: proof verifies against the state root, with our verifier and @ethereumjs/mpt's", async () => {
    for (const i of [0, 17, 199]) {
      const proof = state.proveAccount(addresses[i]!);
      assert.deepEqual(verifyAccountProof(root, addresses[i]!, proof.accountProof), account(BigInt(i), BigInt(i + 1) * 10n ** 15n));
      assert.equal(bytesToHex(hexToBytes(proof.accountProof[0]!)), proof.accountProof[0]);
      const value = await verifyMerkleProof(accountKey(addresses[i]!), proof.accountProof.map((n) => hexToBytes(n)));
      assert.deepEqual(value, encodeAccount(state.getAccount(addresses[i]!)));
    }
  });

  test("an absent account proves empty", () => {
    const proof = state.proveAccount(addresses[250]!);
    assert.deepEqual(verifyAccountProof(root, addresses[250]!, proof.accountProof), account(0n, 0n));
  });

  test("a proof against another root, or with a tampered node, is refused", () => {
    const proof = state.proveAccount(addresses[5]!).accountProof;
    const tampered = [...proof];
    const last = tampered.length - 1;
    tampered[last] = `${tampered[last]!.slice(0, -2)}${tampered[last]!.endsWith("00") ? "01" : "00"}` as Hex;
    const invalid = (e: unknown) => e instanceof ExecutionError && e.code === "INVALID_PROOF";
    assert.throws(() => verifyAccountProof(root, addresses[5]!, tampered), invalid);
    assert.throws(() => verifyAccountProof(new MemoryState().stateRoot(), addresses[5]!, proof), invalid);
    assert.throws(() => verifyAccountProof(root, addresses[5]!, proof.slice(0, -1)), invalid);
  });
});

describe("contracts: code and storage", () => {
  const contract = addresses[10]!;
  const code = Uint8Array.of(0x60, 0x00, 0x60, 0x00, 0xf3);
  const slot = (i: number): Hex => `0x${i.toString(16).padStart(64, "0")}`;
  const codeHash = bytesToHex(keccak_256(code));

  test("the storage root and account value equal @ethereumjs/mpt's secure tries; a zeroed slot leaves the trie", async () => {
    const storage = await createMPT({ useKeyHashing: true });
    const writes = new Map<Hex, bigint>([[slot(0), 42n], [slot(1), 2n ** 200n], [slot(7), 1n]]);
    const state = MemoryState.fromAccounts([[contract, { nonce: 1n, balance: 5n, codeHash, code, storage: writes }]]);
    for (const [s, v] of writes) await storage.put(hexToBytes(s), toRlp(numberToHex(v), "bytes"));
    assert.equal(state.proveAccount(contract).storageHash, bytesToHex(storage.root()));
    const accounts = await createMPT({ useKeyHashing: true });
    await accounts.put(hexToBytes(contract), encodeAccount({ nonce: 1n, balance: 5n, codeHash }, storage.root()));
    assert.equal(state.stateRoot(), bytesToHex(accounts.root()));
    assert.deepEqual(state.getCode(contract), code);
    assert.equal(state.getStorage(contract, slot(1)), 2n ** 200n);

    state.commit(new Map([[contract, { nonce: 1n, balance: 5n, codeHash, storage: new Map([[slot(1), 0n]]) }]]));
    await storage.del(hexToBytes(slot(1)));
    assert.equal(state.proveAccount(contract).storageHash, bytesToHex(storage.root()));
    assert.equal(state.getStorage(contract, slot(1)), 0n);
    assert.deepEqual(state.getCode(contract), code, "code stays when a change set does not carry it");
  });

  test("storage proofs verify against the state root, present and absent slots alike; speculative states prove their own storage", () => {
    const state = MemoryState.fromAccounts([[contract, { nonce: 1n, balance: 0n, codeHash, code, storage: new Map([[slot(3), 9n]]) }], [addresses[0]!, account(0n, 1n)]]);
    const next = state.extend(new Map([[contract, { nonce: 1n, balance: 0n, codeHash, storage: new Map([[slot(4), 16n]]) }]]));
    for (const [s, committed, speculative] of [[slot(3), 9n, 9n], [slot(4), 0n, 16n], [slot(5), 0n, 0n]] as const) {
      const p = state.proveAccount(contract, [s]);
      assert.equal(verifyStorageProof(state.stateRoot(), contract, p.accountProof, s, p.storageProof[0]!.proof), committed);
      const q = next.proveAccount(contract, [s]);
      assert.equal(q.storageProof[0]!.value, speculative);
      assert.equal(verifyStorageProof(next.stateRoot(), contract, q.accountProof, s, q.storageProof[0]!.proof), speculative);
    }
    assert.deepEqual(verifyAccountProof(state.stateRoot(), contract, state.proveAccount(contract).accountProof), { nonce: 1n, balance: 0n, codeHash });
    const wrong = state.proveAccount(contract, [slot(3)]);
    assert.throws(() => verifyStorageProof(next.stateRoot(), contract, wrong.accountProof, slot(3), wrong.storageProof[0]!.proof), (e) => e instanceof ExecutionError);
  });

  test("an account that becomes empty leaves the trie with its storage", () => {
    const base = MemoryState.fromAccounts([[addresses[0]!, account(0n, 1n)]]);
    const root = base.stateRoot();
    const created = base.extend(new Map([[contract, { nonce: 1n, balance: 0n, codeHash, code, storage: new Map([[slot(0), 1n]]) }]]));
    assert.notEqual(created.stateRoot(), root);
    const destroyed = created.extend(new Map([[contract, { nonce: 0n, balance: 0n }]]));
    assert.equal(destroyed.stateRoot(), root);
    assert.equal(destroyed.getStorage(contract, slot(0)), 0n);
    assert.equal(destroyed.getCode(contract).length, 0);
  });
});
