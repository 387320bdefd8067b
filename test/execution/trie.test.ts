import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createMPT, verifyMerkleProof } from "@ethereumjs/mpt";
import { bytesToHex, hexToBytes, stringToBytes } from "viem";
import { EMPTY_TRIE_ROOT, Trie } from "../../src/execution/trie.ts";
import { randomBytes, seededRandom } from "./fixtures.ts";

const root = (pairs: [string, string][]) =>
  bytesToHex(pairs.reduce((t, [k, v]) => t.put(stringToBytes(k), stringToBytes(v)), Trie.empty()).root());

describe("Trie: Ethereum's trie vectors (ethereum/tests trieanyorder, geth trie_test)", () => {
  test("the empty trie root is keccak(rlp(''))", () => {
    assert.equal(bytesToHex(EMPTY_TRIE_ROOT), "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    assert.equal(bytesToHex(Trie.empty().root()), bytesToHex(EMPTY_TRIE_ROOT));
  });

  test("dogs, puppy, foo and a single long value", () => {
    assert.equal(root([["doe", "reindeer"], ["dog", "puppy"], ["dogglesworth", "cat"]]),
      "0x8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3");
    assert.equal(root([["do", "verb"], ["horse", "stallion"], ["doge", "coin"], ["dog", "puppy"]]),
      "0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84");
    assert.equal(root([["foo", "bar"], ["food", "bass"]]),
      "0x17beaa1648bafa633cda809c90c04af50fc8aed3cb40d16efbddee6fdf63c4c3");
    assert.equal(root([["A", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]]),
      "0xd23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab");
  });

  test("insertion order does not change the root", () => {
    const pairs: [string, string][] = [["do", "verb"], ["horse", "stallion"], ["doge", "coin"], ["dog", "puppy"]];
    assert.equal(root([...pairs].reverse()), root(pairs));
  });
});

describe("Trie against @ethereumjs/mpt", () => {
  test("random keys of mixed lengths and values, with overwrites: same root and same proofs", async () => {
    const seed = 0x5eed;
    const random = seededRandom(seed);
    const reference = await createMPT();
    let trie = Trie.empty();
    const keys: Uint8Array[] = [];
    for (let i = 0; i < 400; i++) {
      // Short keys and values exercise embedded (< 32 byte) nodes and values in branches.
      const key = i % 5 === 0 && keys.length > 0 ? keys[Math.floor(random() * keys.length)]! : randomBytes(random, 1 + Math.floor(random() * 6));
      const value = randomBytes(random, 1 + Math.floor(random() * 40));
      keys.push(key);
      trie = trie.put(key, value);
      await reference.put(key, value);
      if (i % 50 === 0) assert.equal(bytesToHex(trie.root()), bytesToHex(reference.root()), `seed ${seed}, step ${i}`);
    }
    assert.equal(bytesToHex(trie.root()), bytesToHex(reference.root()), `seed ${seed}`);
    for (const key of keys.slice(0, 40)) {
      const proven = await verifyMerkleProof(key, trie.prove(key));
      assert.deepEqual(proven, trie.get(key), `seed ${seed}, key ${bytesToHex(key)}`);
    }
  });

  test("put leaves the old trie untouched (the committed state survives a speculative block)", () => {
    const before = Trie.empty().put(stringToBytes("dog"), stringToBytes("puppy"));
    const rootBefore = bytesToHex(before.root());
    const after = before.put(stringToBytes("dog"), stringToBytes("wolf")).put(stringToBytes("doge"), stringToBytes("coin"));
    assert.equal(bytesToHex(before.root()), rootBefore);
    assert.notEqual(bytesToHex(after.root()), rootBefore);
    assert.deepEqual(before.get(stringToBytes("dog")), stringToBytes("puppy"));
    assert.deepEqual(after.get(stringToBytes("dog")), stringToBytes("wolf"));
    assert.equal(before.get(stringToBytes("doge")), undefined);
  });

  test("an empty value is refused: it would mean delete, which the trie does not do", () => {
    assert.throws(() => Trie.empty().put(stringToBytes("a"), new Uint8Array(0)), RangeError);
  });
});

describe("Trie: removing keys", () => {
  test("after random puts and removes the root equals @ethereumjs/mpt's and that of a trie built without the removed keys", async () => {
    const seed = 0x7e1e;
    const random = seededRandom(seed);
    const reference = await createMPT();
    let trie = Trie.empty();
    const live = new Map<string, Uint8Array>();
    const keys = Array.from({ length: 120 }, () => randomBytes(random, 1 + Math.floor(random() * 4)));
    for (let step = 0; step < 600; step++) {
      const key = keys[Math.floor(random() * keys.length)]!;
      if (random() < 0.4) {
        trie = trie.remove(key);
        await reference.del(key);
        live.delete(bytesToHex(key));
      } else {
        const value = randomBytes(random, 1 + Math.floor(random() * 40));
        trie = trie.put(key, value);
        await reference.put(key, value);
        live.set(bytesToHex(key), value);
      }
      assert.equal(bytesToHex(trie.root()), bytesToHex(reference.root()), `seed ${seed}, step ${step}`);
    }
    const rebuilt = [...live].reduce((t, [k, v]) => t.put(hexToBytes(k as `0x${string}`), v), Trie.empty());
    assert.equal(bytesToHex(rebuilt.root()), bytesToHex(trie.root()));
    for (const key of keys.slice(0, 20)) assert.equal(trie.remove(key).remove(key).root().join(), trie.remove(key).root().join());
  });

  test("removing an absent key returns the same trie; removing the last key gives the empty root", () => {
    const one = Trie.empty().put(stringToBytes("dog"), stringToBytes("puppy"));
    assert.equal(one.remove(stringToBytes("cat")), one);
    assert.equal(bytesToHex(one.remove(stringToBytes("dog")).root()), bytesToHex(EMPTY_TRIE_ROOT));
  });
});
