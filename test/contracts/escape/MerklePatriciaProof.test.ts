/**
 * The escape hatch's proof libraries (contracts/escape/) against proofs made by the L2's own state
 * code: MemoryState.proveAccount (what eth_getProof serves) and the Trie it is built on. Every
 * account the Solidity side proves must equal what src/execution holds; every bad proof is
 * refused with its custom error and arguments.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { bytesToHex, fromRlp, hexToBytes, keccak256, toHex, type Address, type Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { EMPTY_CODE_HASH, EMPTY_STORAGE_ROOT, MemoryState, type Account } from "../../../src/execution/state.ts";
import { Trie } from "../../../src/execution/trie.ts";
import { seededBytes, testSeed } from "../../fixtures/random.ts";

const { viem } = await network.create();
const harness = await viem.deployContract("EscapeHarness");
const SEED = testSeed();

const addresses: Address[] = Array.from({ length: 260 }, (_, i) => privateKeyToAddress(bytesToHex(seededBytes(SEED, `key/${i}`, 32))));
/** 250 accounts with seeded balances and nonces; addresses[250..] stay absent. */
const state = MemoryState.fromAccounts(
  addresses.slice(0, 250).map((a, i) => [a, { nonce: BigInt(i % 7), balance: BigInt(`0x${Buffer.from(seededBytes(SEED, `balance/${i}`, 12)).toString("hex")}`) + 1n }] as const),
);
const root = state.stateRoot();

const solidityAccount = (a: { exists: boolean; nonce: bigint; balance: bigint; storageRoot: Hex; codeHash: Hex }) => a;
const expectAccount = (account: Account) => ({ exists: true, nonce: account.nonce, balance: account.balance, storageRoot: EMPTY_STORAGE_ROOT, codeHash: EMPTY_CODE_HASH });
const ABSENT = { exists: false, nonce: 0n, balance: 0n, storageRoot: `0x${"00".repeat(32)}` as Hex, codeHash: `0x${"00".repeat(32)}` as Hex };

describe(`AccountProof / MerklePatriciaProof against src/execution's state (seed ${SEED})`, () => {
  test("every present account proves the nonce and balance the L2 state holds", async () => {
    for (const i of [0, 1, 42, 137, 249]) {
      const proof = state.proveAccount(addresses[i]!);
      const got = solidityAccount(await harness.read.account([root, addresses[i]!, proof.accountProof]));
      assert.deepEqual(got, expectAccount(state.getAccount(addresses[i]!.toLowerCase() as Address)), `account ${i}`);
      assert.equal(got.balance, proof.balance);
    }
  });

  test("a proof of absence proves an empty account", async () => {
    for (const i of [250, 259]) {
      const proof = state.proveAccount(addresses[i]!);
      assert.ok(proof.accountProof.length > 0);
      assert.deepEqual(await harness.read.account([root, addresses[i]!, proof.accountProof]), ABSENT, `account ${i}`);
    }
  });

  test("an empty state: every account is absent, with an empty proof", async () => {
    const empty = new MemoryState();
    assert.deepEqual(empty.proveAccount(addresses[0]!).accountProof, []);
    assert.deepEqual(await harness.read.account([empty.stateRoot(), addresses[0]!, []]), ABSENT);
  });

  test("a wrong root is refused at node 0", async () => {
    const proof = state.proveAccount(addresses[3]!).accountProof;
    const otherRoot = MemoryState.fromAccounts([[addresses[3]!, { nonce: 0n, balance: 1n }]]).stateRoot();
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.account([otherRoot, addresses[3]!, proof]), harness, "ProofNodeMismatch", [0n, otherRoot, keccak256(proof[0]!)]);
  });

  test("a wrong key: one account's proof does not prove another", async () => {
    const proof = state.proveAccount(addresses[3]!).accountProof;
    // Take an address whose key leaves the root branch by another slot than addresses[3]'s.
    const nibble = (a: Address) => parseInt(keccak256(a).slice(2, 3), 16);
    const other = addresses.slice(0, 250).find((a) => nibble(a) !== nibble(addresses[3]!))!;
    const rootNode = fromRlp(proof[0]!, "hex") as Hex[];
    assert.equal(rootNode.length, 17, "250 accounts: the root is a branch");
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.account([root, other, proof]), harness, "ProofNodeMismatch", [1n, rootNode[nibble(other)]!, keccak256(proof[1]!)]);
  });

  test("a truncated proof is refused, and so is one with a node too many", async () => {
    const proof = state.proveAccount(addresses[8]!).accountProof;
    assert.ok(proof.length >= 2);
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.account([root, addresses[8]!, proof.slice(0, -1)]), harness, "ProofTruncated", [BigInt(proof.length - 1)]);
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.account([root, addresses[8]!, [...proof, proof[proof.length - 1]!]]), harness, "ProofHasExtraNodes", [BigInt(proof.length), BigInt(proof.length + 1)]);
  });

  test("a tampered leaf (a bigger balance) no longer hashes to its parent's reference", async () => {
    const proof = [...state.proveAccount(addresses[9]!).accountProof];
    const last = proof.length - 1;
    const original = proof[last]!;
    proof[last] = `${original.slice(0, -2)}${original.endsWith("ff") ? "fe" : "ff"}` as Hex;
    const parent = fromRlp(proof[last - 1]!, "hex") as Hex[];
    const reference = parent.find((item) => item === keccak256(original))!;
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.account([root, addresses[9]!, proof]), harness, "ProofNodeMismatch", [BigInt(last), reference, keccak256(proof[last]!)]);
  });

  test("nodes that are not trie nodes are refused", async () => {
    const threeItems = toHex(Uint8Array.of(0xc3, 0x01, 0x02, 0x03));
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.get([keccak256(threeItems), keccak256("0x01"), [threeItems]]), harness, "InvalidProofNode", [0n]);
    const truncated = toHex(Uint8Array.of(0xc5, 0x01, 0x02));
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.get([keccak256(truncated), keccak256("0x01"), [truncated]]), harness, "RLPTruncated", [6n, 3n]);
    // A 3-byte list in the long form (0xf8 0x03 ...) has a shorter encoding: refused.
    const longForm = toHex(Uint8Array.of(0xf8, 0x03, 0x01, 0x02, 0x03));
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.get([keccak256(longForm), keccak256("0x01"), [longForm]]), harness, "RLPNonCanonical", [0xf8n]);
    // Bytes after the node's one item.
    const trailing = toHex(Uint8Array.of(0xc2, 0x80, 0x80, 0x00));
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.get([keccak256(trailing), keccak256("0x01"), [trailing]]), harness, "RLPTrailingBytes", [3n, 4n]);
    // A node that is a byte string, not a list.
    const string = toHex(Uint8Array.of(0x83, 0x01, 0x02, 0x03));
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.get([keccak256(string), keccak256("0x01"), [string]]), harness, "RLPUnexpectedType", [true]);
  });

  test("an account value that is not a 4-item list is refused", async () => {
    // A one-key trie whose value is a 3-item list where the account's 4 fields belong.
    const address = addresses[0]!;
    const key = keccak256(address);
    const value = Uint8Array.of(0xc3, 0x01, 0x02, 0x03);
    const trie = Trie.empty().put(hexToBytes(key), value);
    const proof = trie.prove(hexToBytes(key)).map((n) => bytesToHex(n));
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.account([bytesToHex(trie.root()), address, proof]), harness, "InvalidAccountValue", [address]);
  });

  test("an empty proof for a non-empty root is truncated", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(harness.read.account([root, addresses[0]!, []]), harness, "ProofTruncated", [0n]);
  });
});

describe(`MerklePatriciaProof on short keys and values: embedded nodes (seed ${SEED})`, () => {
  // Short keys and values make nodes under 32 bytes, which their parent embeds instead of hashing.
  const entries = Array.from({ length: 40 }, (_, i) => [seededBytes(SEED, `short-key/${i}`, 1 + (i % 3)), seededBytes(SEED, `short-value/${i}`, 1 + (i % 4))] as const);
  let trie = Trie.empty();
  for (const [k, v] of entries) trie = trie.put(k, v);
  const trieRoot = bytesToHex(trie.root());

  test("every key proves its value, through embedded nodes", async () => {
    let embedded = 0;
    for (const [k] of entries) {
      const proof = trie.prove(k).map((n) => bytesToHex(n));
      const value = trie.get(k)!;
      const [exists, got] = await harness.read.get([trieRoot, bytesToHex(k), proof]);
      assert.equal(exists, true);
      assert.equal(got, bytesToHex(value));
      if (proof.some(hasEmbeddedNode)) embedded++;
    }
    assert.ok(embedded > 0, "some proofs walk through an embedded node");
  });

  test("a key not in the trie is absent", async () => {
    const key = Uint8Array.of(0xee, 0xee, 0xee, 0xee);
    const [exists, value] = await harness.read.get([trieRoot, bytesToHex(key), trie.prove(key).map((n) => bytesToHex(n))]);
    assert.deepEqual([exists, value], [false, "0x"]);
  });
});

/** Whether a proof node holds a child inline (an RLP list among its items) instead of a hash. */
function hasEmbeddedNode(node: Hex): boolean {
  return (fromRlp(node, "hex") as unknown[]).some((item) => Array.isArray(item));
}
