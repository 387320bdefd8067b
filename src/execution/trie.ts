/**
 * An in-memory, persistent (immutable) Merkle-Patricia trie with Ethereum's node encoding, so its
 * root equals the root Ethereum clients compute for the same keys and values (Yellow Paper,
 * appendix D). Persistence is the point: `put` returns a new trie that shares every untouched
 * node with the old one, so a proposal can be executed against the committed state and its root
 * computed without changing the committed trie; committing is swapping one reference.
 *
 * Each node memoises its encoding, so a root after k updates hashes only the O(k log n) nodes on
 * the updated paths. Keys are given as bytes; the secure trie (keccak of the key) is the caller's.
 *
 * Node encodings (RLP):
 *   leaf       [hexPrefix(path, leaf), value]
 *   extension  [hexPrefix(path, ext), ref(child)]
 *   branch     [ref(c0) .. ref(c15), value or ""]
 * where ref(n) is n's encoding itself when shorter than 32 bytes (embedded) and keccak(enc) else.
 * Deleting collapses what the key leaves behind (a branch with one child left becomes an
 * extension or a leaf), so a trie after put+remove has the root of one that never held the key.
 */
import { keccak_256 } from "../crypto/keccak.ts";
import { encodeRlpBytes, encodeRlpList } from "./rlp.ts";

interface Leaf {
  readonly kind: 0;
  readonly path: Uint8Array;
  readonly value: Uint8Array;
  encoded?: Uint8Array;
}
interface Extension {
  readonly kind: 1;
  readonly path: Uint8Array;
  readonly child: TrieNode;
  encoded?: Uint8Array;
}
interface Branch {
  readonly kind: 2;
  readonly children: readonly (TrieNode | undefined)[];
  readonly value: Uint8Array | undefined;
  encoded?: Uint8Array;
}
type TrieNode = Leaf | Extension | Branch;

const EMPTY_STRING = Uint8Array.of(0x80);
/** keccak256(rlp("")): the root of a trie with no keys, 0x56e8…b421. */
export const EMPTY_TRIE_ROOT: Uint8Array = keccak_256(EMPTY_STRING);

export class Trie {
  readonly #root: TrieNode | undefined;

  private constructor(root: TrieNode | undefined) {
    this.#root = root;
  }

  static empty(): Trie {
    return new Trie(undefined);
  }

  /** A new trie with `key` set to `value` (non-empty); this trie is unchanged. */
  put(key: Uint8Array, value: Uint8Array): Trie {
    if (value.length === 0) throw new RangeError("trie values are non-empty (an empty value would mean delete)");
    return new Trie(insert(this.#root, toNibbles(key), value));
  }

  /** A new trie without `key` (this one if the key is absent); this trie is unchanged. */
  remove(key: Uint8Array): Trie {
    const root = remove(this.#root, toNibbles(key));
    return root === this.#root ? this : new Trie(root);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    let node = this.#root;
    let nibbles = toNibbles(key);
    while (node !== undefined) {
      if (node.kind === 2) {
        if (nibbles.length === 0) return node.value;
        node = node.children[nibbles[0]!];
        nibbles = nibbles.subarray(1);
        continue;
      }
      const n = commonPrefix(node.path, nibbles);
      if (n !== node.path.length) return undefined;
      if (node.kind === 0) return n === nibbles.length ? node.value : undefined;
      node = node.child;
      nibbles = nibbles.subarray(n);
    }
    return undefined;
  }

  root(): Uint8Array {
    return this.#root === undefined ? EMPTY_TRIE_ROOT : keccak_256(encode(this.#root));
  }

  /**
   * The nodes on the path to `key`, root first, each as its RLP encoding: the `accountProof` of
   * eth_getProof. Embedded nodes (shorter than 32 bytes) travel inside their parent, as in geth.
   * A proof for an absent key ends at the node where the path diverges.
   */
  prove(key: Uint8Array): Uint8Array[] {
    const proof: Uint8Array[] = [];
    let node = this.#root;
    let nibbles = toNibbles(key);
    let isRoot = true;
    while (node !== undefined) {
      const encoded = encode(node);
      if (isRoot || encoded.length >= 32) proof.push(encoded);
      isRoot = false;
      if (node.kind === 2) {
        if (nibbles.length === 0) break;
        node = node.children[nibbles[0]!];
        nibbles = nibbles.subarray(1);
        continue;
      }
      const n = commonPrefix(node.path, nibbles);
      if (node.kind === 0 || n !== node.path.length) break;
      node = node.child;
      nibbles = nibbles.subarray(n);
    }
    return proof;
  }
}

function insert(node: TrieNode | undefined, nibbles: Uint8Array, value: Uint8Array): TrieNode {
  if (node === undefined) return { kind: 0, path: nibbles, value };
  if (node.kind === 2) {
    if (nibbles.length === 0) return { kind: 2, children: node.children, value };
    const children = node.children.slice();
    const i = nibbles[0]!;
    children[i] = insert(children[i], nibbles.subarray(1), value);
    return { kind: 2, children, value: node.value };
  }
  const n = commonPrefix(node.path, nibbles);
  if (node.kind === 0 && n === node.path.length && n === nibbles.length) return { kind: 0, path: node.path, value };
  if (node.kind === 1 && n === node.path.length) {
    return { kind: 1, path: node.path, child: insert(node.child, nibbles.subarray(n), value) };
  }
  // The paths diverge after n nibbles: a branch there holds both the old node's rest and the new key.
  const children: (TrieNode | undefined)[] = new Array(16).fill(undefined);
  let branchValue: Uint8Array | undefined;
  const rest = node.path.subarray(n);
  if (node.kind === 0) {
    if (rest.length === 0) branchValue = node.value;
    else children[rest[0]!] = { kind: 0, path: rest.subarray(1), value: node.value };
  } else {
    children[rest[0]!] = rest.length === 1 ? node.child : { kind: 1, path: rest.subarray(1), child: node.child };
  }
  const newRest = nibbles.subarray(n);
  if (newRest.length === 0) branchValue = value;
  else children[newRest[0]!] = { kind: 0, path: newRest.subarray(1), value };
  const branch: Branch = { kind: 2, children, value: branchValue };
  return n === 0 ? branch : { kind: 1, path: nibbles.subarray(0, n), child: branch };
}

/** `node` without the key at `nibbles`; the same node when the key is absent. */
function remove(node: TrieNode | undefined, nibbles: Uint8Array): TrieNode | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 0) return node.path.length === nibbles.length && commonPrefix(node.path, nibbles) === nibbles.length ? undefined : node;
  if (node.kind === 1) {
    if (commonPrefix(node.path, nibbles) !== node.path.length) return node;
    const child = remove(node.child, nibbles.subarray(node.path.length));
    if (child === node.child) return node;
    return child === undefined ? undefined : join(node.path, child);
  }
  let children = node.children;
  let value = node.value;
  if (nibbles.length === 0) {
    if (value === undefined) return node;
    value = undefined;
  } else {
    const i = nibbles[0]!;
    const child = remove(children[i], nibbles.subarray(1));
    if (child === children[i]) return node;
    children = children.slice();
    (children as (TrieNode | undefined)[])[i] = child;
  }
  // A branch must keep two or more entries; with one left it becomes that entry under a longer path.
  let only = -1;
  let count = value === undefined ? 0 : 1;
  for (let i = 0; i < 16; i++) {
    if (children[i] !== undefined) {
      count++;
      only = i;
    }
  }
  if (count >= 2) return { kind: 2, children, value };
  if (count === 0) return undefined;
  if (value !== undefined) return { kind: 0, path: new Uint8Array(0), value };
  return join(Uint8Array.of(only), children[only]!);
}

/** `child` reached through `prefix` more nibbles: paths merge, a branch gets an extension. */
function join(prefix: Uint8Array, child: TrieNode): TrieNode {
  if (child.kind === 2) return { kind: 1, path: prefix, child };
  const path = new Uint8Array(prefix.length + child.path.length);
  path.set(prefix, 0);
  path.set(child.path, prefix.length);
  return child.kind === 0 ? { kind: 0, path, value: child.value } : { kind: 1, path, child: child.child };
}

function encode(node: TrieNode): Uint8Array {
  if (node.encoded !== undefined) return node.encoded;
  let encoded: Uint8Array;
  if (node.kind === 0) {
    encoded = encodeRlpList([encodeRlpBytes(hexPrefix(node.path, true)), encodeRlpBytes(node.value)]);
  } else if (node.kind === 1) {
    encoded = encodeRlpList([encodeRlpBytes(hexPrefix(node.path, false)), reference(node.child)]);
  } else {
    const items: Uint8Array[] = new Array(17);
    for (let i = 0; i < 16; i++) {
      const child = node.children[i];
      items[i] = child === undefined ? EMPTY_STRING : reference(child);
    }
    items[16] = node.value === undefined ? EMPTY_STRING : encodeRlpBytes(node.value);
    encoded = encodeRlpList(items);
  }
  node.encoded = encoded;
  return encoded;
}

function reference(node: TrieNode): Uint8Array {
  const encoded = encode(node);
  return encoded.length < 32 ? encoded : encodeRlpBytes(keccak_256(encoded));
}

/** Hex-prefix encoding (Yellow Paper appendix C): a flag nibble for leaf/odd, then the path. */
export function hexPrefix(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length % 2;
  const out = new Uint8Array(1 + (path.length >> 1));
  out[0] = ((leaf ? 2 : 0) + odd) << 4;
  let i = 0;
  if (odd === 1) out[0] |= path[i++]!;
  for (let at = 1; i < path.length; i += 2) out[at++] = (path[i]! << 4) | path[i + 1]!;
  return out;
}

export function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4;
    out[2 * i + 1] = key[i]! & 0x0f;
  }
  return out;
}

function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a[i] === b[i]) i++;
  return i;
}
