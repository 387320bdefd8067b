/**
 * The L2 world state: accounts with a nonce, a balance, code and storage.
 *
 * Execution reads through `StateReader` and produces a `StateChanges` set; it never writes the
 * state it was given. The node applies the changes with `commit` only when consensus commits the
 * block, so a proposal that is never committed leaves no trace. `MemoryState` is the working state
 * the node keeps in memory; the durable store persists accounts, code and storage and rebuilds it
 * with `MemoryState.fromAccounts` on restart.
 *
 * The state root is Ethereum's: a secure trie (key keccak256(address)) of
 * RLP([nonce, balance, storageRoot, codeHash]), each contract's storage a secure trie of
 * keccak256(slot) -> RLP(value) without the zero values, so eth_getProof answers can be checked by
 * any Ethereum tool. As in Ethereum since EIP-161, an empty account (nonce 0, balance 0, no code)
 * is not in the trie: a zero-value transfer to a fresh address creates nothing, and an account
 * that becomes empty (EIP-6780 self-destruct of a contract created in the same transaction) leaves.
 */
import { keccak_256 } from "../crypto/keccak.ts";
import { bytesToHex, fromRlp, hexToBytes, type Address, type Hex } from "viem";
import { encodeRlpBytes, encodeRlpInteger, encodeRlpList } from "./rlp.ts";
import { EMPTY_TRIE_ROOT, Trie } from "./trie.ts";

export interface Account {
  readonly nonce: bigint;
  readonly balance: bigint;
  /** keccak256 of the account's code; absent for an account without code. */
  readonly codeHash?: Hex;
}

/**
 * An account's new values in a change set, with what else changed under it: storage slots
 * written (a 0 value deletes the slot) and the code, when the change set deploys it.
 */
export interface AccountChange extends Account {
  /** Slot (32-byte hex, lower-case) -> new value. */
  readonly storage?: ReadonlyMap<Hex, bigint>;
  /** The deployed code (its hash is `codeHash`). */
  readonly code?: Uint8Array;
}

export const EMPTY_ACCOUNT: Account = Object.freeze({ nonce: 0n, balance: 0n });
/** keccak256 of empty code. */
export const EMPTY_CODE_HASH: Hex = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
/** The root of an empty storage trie. */
export const EMPTY_STORAGE_ROOT: Hex = bytesToHex(EMPTY_TRIE_ROOT);
const EMPTY_CODE = new Uint8Array(0);
const EMPTY_CODE_HASH_BYTES = hexToBytes(EMPTY_CODE_HASH);

/** New account values by lower-case address: the whole effect of a block on the state. */
export type StateChanges = ReadonlyMap<Address, AccountChange>;

export interface StateReader {
  /** The account at `address` (lower-case); `EMPTY_ACCOUNT` when it does not exist. */
  getAccount(address: Address): Account;
  /** The code at `address` (empty for an account without code). */
  getCode(address: Address): Uint8Array;
  /** The value of storage slot `slot` (32-byte hex, lower-case) of `address`; 0 when unset. */
  getStorage(address: Address, slot: Hex): bigint;
}

/** What block building and re-execution need: reads and the root of a prospective next state. */
export interface State extends StateReader {
  stateRoot(): Hex;
  /** The root this state would have with `changes` applied; this state is not changed. */
  rootWith(changes: StateChanges): Hex;
  /** This state with `changes` on top, uncommitted: the parent state of a child proposal. */
  extend(changes: StateChanges): State;
  /** eth_getProof for an account of this state and the given storage slots of it. */
  proveAccount(address: Address, slots?: readonly Hex[]): AccountProof;
}

export interface StateWriter {
  commit(changes: StateChanges): void;
}

export interface StorageProof {
  readonly key: Hex;
  readonly value: bigint;
  /** RLP-encoded nodes from the storage root to the slot. */
  readonly proof: Hex[];
}

export interface AccountProof {
  readonly address: Address;
  readonly nonce: bigint;
  readonly balance: bigint;
  readonly codeHash: Hex;
  readonly storageHash: Hex;
  /** RLP-encoded trie nodes from the root to the account (eth_getProof's `accountProof`). */
  readonly accountProof: Hex[];
  readonly storageProof: StorageProof[];
}

export function isEmptyAccount(account: Account): boolean {
  return account.nonce === 0n && account.balance === 0n && account.codeHash === undefined;
}

export function encodeAccount(account: Account, storageRoot: Uint8Array = EMPTY_TRIE_ROOT): Uint8Array {
  return encodeRlpList([
    encodeRlpInteger(account.nonce),
    encodeRlpInteger(account.balance),
    encodeRlpBytes(storageRoot),
    encodeRlpBytes(account.codeHash === undefined ? EMPTY_CODE_HASH_BYTES : hexToBytes(account.codeHash)),
  ]);
}

export function codeHashOf(code: Uint8Array): Hex | undefined {
  return code.length === 0 ? undefined : bytesToHex(keccak_256(code));
}

/**
 * keccak256(address), remembered: every block re-hashes the keys of the accounts it touches, and
 * the same senders and recipients come back block after block. Cleared when it grows past a bound,
 * so a flood of fresh addresses cannot grow it without limit.
 */
const accountKeys = new Map<Address, Uint8Array>();
const ACCOUNT_KEYS_MAX = 1_000_000;

export function accountKey(address: Address): Uint8Array {
  let key = accountKeys.get(address);
  if (key === undefined) {
    if (accountKeys.size >= ACCOUNT_KEYS_MAX) accountKeys.clear();
    key = keccak_256(hexToBytes(address));
    accountKeys.set(address, key);
  }
  return key;
}

export function storageKey(slot: Hex): Uint8Array {
  return keccak_256(hexToBytes(slot));
}

interface Prepared {
  readonly base: Trie;
  readonly trie: Trie;
  /** The storage tries of the accounts whose storage the change set touched. */
  readonly storage: ReadonlyMap<Address, Trie>;
}

/**
 * Tries already computed for a change set on top of a base trie. Validating a proposal computes
 * its trie; committing the same change set later, or extending it with a child proposal, reuses
 * it instead of hashing the same nodes again. Keyed weakly: a dropped proposal costs nothing.
 */
const prepared = new WeakMap<StateChanges, Prepared>();

/** The state root and proofs, shared by the committed state and speculative states on top of it. */
abstract class TrieState implements State {
  abstract getAccount(address: Address): Account;
  abstract getCode(address: Address): Uint8Array;
  abstract getStorage(address: Address, slot: Hex): bigint;
  protected abstract trie(): Trie;
  /** The storage trie of `address` (empty when it has no storage). */
  abstract storageTrie(address: Address): Trie;

  stateRoot(): Hex {
    return bytesToHex(this.trie().root());
  }

  rootWith(changes: StateChanges): Hex {
    return bytesToHex(this.prepare(changes).trie.root());
  }

  /**
   * The state after `changes`, without committing them: what a child proposal of a certified but
   * not yet committed block executes on. It reads through to this state, so it is valid as long
   * as only its own ancestors are committed underneath it (any other commit makes it a dead fork).
   */
  extend(changes: StateChanges): SpeculativeState {
    return new SpeculativeState(this, changes, this.prepare(changes));
  }

  proveAccount(address: Address, slots: readonly Hex[] = []): AccountProof {
    const lower = address.toLowerCase() as Address;
    const account = this.getAccount(lower);
    const storage = this.storageTrie(lower);
    return {
      address,
      nonce: account.nonce,
      balance: account.balance,
      codeHash: account.codeHash ?? EMPTY_CODE_HASH,
      storageHash: bytesToHex(storage.root()),
      accountProof: this.trie().prove(accountKey(lower)).map((node) => bytesToHex(node)),
      storageProof: slots.map((slot) => ({
        key: slot,
        value: this.getStorage(lower, slot),
        proof: storage.prove(storageKey(slot)).map((node) => bytesToHex(node)),
      })),
    };
  }

  protected prepare(changes: StateChanges): Prepared {
    const base = this.trie();
    const cached = prepared.get(changes);
    if (cached !== undefined && cached.base === base) return cached;
    let trie = base;
    const storageTries = new Map<Address, Trie>();
    for (const [address, change] of changes) {
      if (isEmptyAccount(change)) {
        // An empty account leaves the trie with its storage (EIP-161, EIP-6780).
        trie = trie.remove(accountKey(address));
        storageTries.set(address, Trie.empty());
        continue;
      }
      let storage = this.storageTrie(address);
      if (change.storage !== undefined && change.storage.size > 0) {
        for (const [slot, value] of change.storage) {
          storage = value === 0n ? storage.remove(storageKey(slot)) : storage.put(storageKey(slot), encodeRlpInteger(value));
        }
        storageTries.set(address, storage);
      }
      trie = trie.put(accountKey(address), encodeAccount(change, storage.root()));
    }
    const result = { base, trie, storage: storageTries };
    prepared.set(changes, result);
    return result;
  }
}

const EMPTY_TRIE = Trie.empty();

/** The committed state, which the node keeps in memory and the store persists. */
export class MemoryState extends TrieState implements StateWriter {
  readonly #accounts = new Map<Address, Account>();
  /** Code by hash: contracts deployed from the same init code share it. */
  readonly #code = new Map<Hex, Uint8Array>();
  readonly #storage = new Map<Address, Map<Hex, bigint>>();
  readonly #storageTries = new Map<Address, Trie>();
  #trie = Trie.empty();

  static fromAccounts(accounts: Iterable<readonly [Address, AccountChange]>): MemoryState {
    const state = new MemoryState();
    state.commit(new Map([...accounts].map(([address, account]) => [address.toLowerCase() as Address, account])));
    return state;
  }

  getAccount(address: Address): Account {
    return this.#accounts.get(address) ?? EMPTY_ACCOUNT;
  }

  getCode(address: Address): Uint8Array {
    const hash = this.#accounts.get(address)?.codeHash;
    return hash === undefined ? EMPTY_CODE : (this.#code.get(hash) ?? EMPTY_CODE);
  }

  getStorage(address: Address, slot: Hex): bigint {
    return this.#storage.get(address)?.get(slot) ?? 0n;
  }

  storageTrie(address: Address): Trie {
    return this.#storageTries.get(address) ?? EMPTY_TRIE;
  }

  /**
   * This state as it is now, unchanged by later commits: what a call running alongside the chain
   * (eth_call on its own thread) reads. The tries are persistent, so keeping them is keeping the
   * state; code is only ever added. Costs one copy of the storage-trie index.
   */
  snapshot(): SnapshotState {
    return new SnapshotState(this.#trie, new Map(this.#storageTries), this.#code);
  }

  /** Every non-empty account, for the store to persist. */
  accounts(): IterableIterator<[Address, Account]> {
    return this.#accounts.entries();
  }

  commit(changes: StateChanges): void {
    const { trie, storage: tries } = this.prepare(changes);
    for (const [address, change] of changes) {
      if (isEmptyAccount(change)) {
        this.#accounts.delete(address);
        this.#storage.delete(address);
        this.#storageTries.delete(address);
        continue;
      }
      this.#accounts.set(address, change.storage === undefined && change.code === undefined ? change : accountOf(change));
      if (change.code !== undefined && change.codeHash !== undefined) this.#code.set(change.codeHash, change.code);
      if (change.storage !== undefined) {
        let slots = this.#storage.get(address);
        if (slots === undefined) this.#storage.set(address, (slots = new Map()));
        for (const [slot, value] of change.storage) {
          if (value === 0n) slots.delete(slot);
          else slots.set(slot, value);
        }
      }
      const storageTrie = tries.get(address);
      if (storageTrie !== undefined) this.#storageTries.set(address, storageTrie);
    }
    this.#trie = trie;
  }

  protected trie(): Trie {
    return this.#trie;
  }
}

/** A state with uncommitted changes on top of another (see `extend`). */
export class SpeculativeState extends TrieState {
  readonly #parent: TrieState;
  readonly #changes: StateChanges;
  readonly #prepared: Prepared;

  constructor(parent: TrieState, changes: StateChanges, prepared: Prepared) {
    super();
    this.#parent = parent;
    this.#changes = changes;
    this.#prepared = prepared;
  }

  getAccount(address: Address): Account {
    return this.#changes.get(address) ?? this.#parent.getAccount(address);
  }

  getCode(address: Address): Uint8Array {
    const change = this.#changes.get(address);
    if (change === undefined) return this.#parent.getCode(address);
    if (change.code !== undefined) return change.code;
    return change.codeHash === undefined ? EMPTY_CODE : this.#parent.getCode(address);
  }

  getStorage(address: Address, slot: Hex): bigint {
    const change = this.#changes.get(address);
    if (change !== undefined && isEmptyAccount(change)) return 0n;
    return change?.storage?.get(slot) ?? this.#parent.getStorage(address, slot);
  }

  storageTrie(address: Address): Trie {
    return this.#prepared.storage.get(address) ?? this.#parent.storageTrie(address);
  }

  protected trie(): Trie {
    return this.#prepared.trie;
  }
}

function decodeAccount(value: Uint8Array): Account {
  return accountFromFields(fromRlp(value, "hex") as Hex[]);
}

/** An account from its trie value's fields [nonce, balance, storageRoot, codeHash]. */
export function accountFromFields([nonce, balance, , codeHash]: readonly Hex[]): Account {
  const account = { nonce: hexToInteger(nonce!), balance: hexToInteger(balance!) };
  return codeHash === EMPTY_CODE_HASH ? account : { ...account, codeHash: codeHash! };
}

function decodeRlpInteger(value: Uint8Array): bigint {
  return hexToInteger(fromRlp(value, "hex") as Hex);
}

/** An RLP integer's hex ("0x" is 0). */
export function hexToInteger(hex: Hex): bigint {
  return hex === "0x" ? 0n : BigInt(hex);
}

function accountOf(change: AccountChange): Account {
  return change.codeHash === undefined ? { nonce: change.nonce, balance: change.balance } : { nonce: change.nonce, balance: change.balance, codeHash: change.codeHash };
}

/** A committed state as it was at one height (MemoryState.snapshot): reads and proofs, from the persistent tries. */
export class SnapshotState extends TrieState {
  readonly #trie: Trie;
  readonly #storageTries: ReadonlyMap<Address, Trie>;
  readonly #code: ReadonlyMap<Hex, Uint8Array>;

  constructor(trie: Trie, storageTries: ReadonlyMap<Address, Trie>, code: ReadonlyMap<Hex, Uint8Array>) {
    super();
    this.#trie = trie;
    this.#storageTries = storageTries;
    this.#code = code;
  }

  getAccount(address: Address): Account {
    const value = this.#trie.get(accountKey(address));
    return value === undefined ? EMPTY_ACCOUNT : decodeAccount(value);
  }

  getCode(address: Address): Uint8Array {
    const hash = this.getAccount(address).codeHash;
    return hash === undefined ? EMPTY_CODE : (this.#code.get(hash) ?? EMPTY_CODE);
  }

  getStorage(address: Address, slot: Hex): bigint {
    const value = this.#storageTries.get(address)?.get(storageKey(slot));
    return value === undefined ? 0n : decodeRlpInteger(value);
  }

  storageTrie(address: Address): Trie {
    return this.#storageTries.get(address) ?? EMPTY_TRIE;
  }

  protected trie(): Trie {
    return this.#trie;
  }
}
