/**
 * Checking Merkle-Patricia proofs (eth_getProof's `accountProof` and `storageProof`) against a state root, the way a
 * light client or a bridge would: each node must hash to the reference its parent holds, and the
 * path must follow the key's nibbles to a leaf (the value) or to a dead end (a proof of absence).
 */
import { keccak_256 } from "../crypto/keccak.ts";
import { bytesToHex, fromRlp, hexToBytes, type Address, type Hex } from "viem";
import { ExecutionError } from "./errors.ts";
import { accountFromFields, accountKey, EMPTY_STORAGE_ROOT, hexToInteger, storageKey, type Account } from "./state.ts";
import { toNibbles } from "./trie.ts";

type RlpItem = Uint8Array | readonly RlpItem[];

/** The value under `key` in the trie with root `root`, or undefined if the proof shows it absent. */
export function verifyTrieProof(root: Uint8Array, key: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | undefined {
  let nibbles = toNibbles(key);
  let expected: Uint8Array = root;
  for (let i = 0; i < proof.length; i++) {
    const encoded = proof[i]!;
    if (bytesToHex(keccak_256(encoded)) !== bytesToHex(expected)) {
      throw new ExecutionError("INVALID_PROOF", "proof node does not match its reference", `node ${i}`);
    }
    let node = fromRlp(encoded, "bytes") as RlpItem;
    // Walk this node and any nodes embedded in it (shorter than 32 bytes) until a hash reference.
    for (;;) {
      if (!Array.isArray(node)) throw new ExecutionError("INVALID_PROOF", "proof node is not a list", `node ${i}`);
      let next: RlpItem;
      if (node.length === 17) {
        if (nibbles.length === 0) return nonEmpty(node[16] as Uint8Array);
        next = node[nibbles[0]!]!;
        nibbles = nibbles.subarray(1);
      } else if (node.length === 2) {
        const [path, isLeaf] = decodeHexPrefix(node[0] as Uint8Array);
        const matches = path.length <= nibbles.length && path.every((n, j) => nibbles[j] === n);
        if (isLeaf) return matches && path.length === nibbles.length ? (node[1] as Uint8Array) : undefined;
        if (!matches) return undefined;
        nibbles = nibbles.subarray(path.length);
        next = node[1]!;
      } else {
        throw new ExecutionError("INVALID_PROOF", "proof node has a wrong item count", `node ${i}: ${node.length} items`);
      }
      if (Array.isArray(next)) {
        node = next;
        continue;
      }
      const reference = next as Uint8Array;
      if (reference.length === 0) return undefined;
      if (reference.length !== 32) throw new ExecutionError("INVALID_PROOF", "child reference is not a hash", `node ${i}`);
      expected = reference;
      break;
    }
  }
  throw new ExecutionError("INVALID_PROOF", "proof ends before the key's path does", `${proof.length} nodes`);
}

/** The account proven by an eth_getProof `accountProof`, or EMPTY (nonce 0, balance 0) if absent. */
export function verifyAccountProof(stateRoot: Hex, address: Address, accountProof: readonly Hex[]): Account {
  const { account } = provenAccount(stateRoot, address, accountProof);
  return account;
}

/**
 * The value of storage slot `slot` of `address`, proven by eth_getProof's `accountProof` (which
 * gives the account's storage root under the state root) and the slot's `proof` under that root;
 * 0 when the proof shows the slot absent.
 */
export function verifyStorageProof(stateRoot: Hex, address: Address, accountProof: readonly Hex[], slot: Hex, proof: readonly Hex[]): bigint {
  const { storageRoot } = provenAccount(stateRoot, address, accountProof);
  const value = verifyTrieProof(hexToBytes(storageRoot), storageKey(slot), proof.map((n) => hexToBytes(n)));
  if (value === undefined) return 0n;
  const decoded = fromRlp(value, "hex");
  if (Array.isArray(decoded)) throw new ExecutionError("INVALID_PROOF", "storage value is not an RLP string", `slot ${slot}`);
  return hexToInteger(decoded as Hex);
}

function provenAccount(stateRoot: Hex, address: Address, accountProof: readonly Hex[]): { account: Account; storageRoot: Hex } {
  const value = verifyTrieProof(hexToBytes(stateRoot), accountKey(address.toLowerCase() as Address), accountProof.map((n) => hexToBytes(n)));
  if (value === undefined) return { account: { nonce: 0n, balance: 0n }, storageRoot: EMPTY_STORAGE_ROOT };
  const fields = fromRlp(value, "hex");
  if (!Array.isArray(fields) || fields.length !== 4) throw new ExecutionError("INVALID_PROOF", "account value is not a 4-item list");
  return { account: accountFromFields(fields as Hex[]), storageRoot: fields[2] as Hex };
}

function nonEmpty(value: Uint8Array): Uint8Array | undefined {
  return value.length === 0 ? undefined : value;
}

function decodeHexPrefix(encoded: Uint8Array): [number[], boolean] {
  const flag = encoded[0]! >> 4;
  const nibbles: number[] = [];
  if (flag & 1) nibbles.push(encoded[0]! & 0x0f);
  for (let i = 1; i < encoded.length; i++) nibbles.push(encoded[i]! >> 4, encoded[i]! & 0x0f);
  return [nibbles, flag >= 2];
}
