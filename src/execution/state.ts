/**
 * The L2 world state: accounts with a nonce and a balance, nothing else (no code, no storage).
 *
 * Execution reads through `StateReader` and produces a `StateChanges` set; it never writes the
 * state it was given. The node applies the changes with `commit` only when consensus commits the
 * block, so a proposal that is never committed leaves no trace. `MemoryState` is the working state
 * the node keeps in memory; the durable store persists `accounts()` and rebuilds it with
 * `MemoryState.fromAccounts` on restart.
 *
 * The state root is Ethereum's: a secure trie (key keccak256(address)) of
 * RLP([nonce, balance, EMPTY_STORAGE_ROOT, EMPTY_CODE_HASH]), so eth_getProof answers can be
 * checked by any Ethereum tool. As in Ethereum since EIP-161, an empty account (nonce 0, balance 0)
 * is not in the trie: a zero-value transfer to a fresh address creates nothing.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { encodeRlpBytes, encodeRlpInteger, encodeRlpList } from "./rlp.ts";
import { EMPTY_TRIE_ROOT, Trie } from "./trie.ts";

export interface Account {
  readonly nonce: bigint;
  readonly balance: bigint;
}

export const EMPTY_ACCOUNT: Account = Object.freeze({ nonce: 0n, balance: 0n });
/** keccak256 of empty code: every L2 account is code-less. */
export const EMPTY_CODE_HASH: Hex = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
/** The root of an empty storage trie: no L2 account has storage. */
export const EMPTY_STORAGE_ROOT: Hex = bytesToHex(EMPTY_TRIE_ROOT);

/** New account values by lower-case address: the whole effect of a block on the state. */
export type StateChanges = ReadonlyMap<Address, Account>;

export interface StateReader {
  /** The account at `address` (lower-case); `EMPTY_ACCOUNT` when it does not exist. */
  getAccount(address: Address): Account;
}

/** What block building and re-execution need: reads and the root of a prospective next state. */
export interface State extends StateReader {
  stateRoot(): Hex;
  /** The root this state would have with `changes` applied; this state is not changed. */
  rootWith(changes: StateChanges): Hex;
  /** This state with `changes` on top, uncommitted: the parent state of a child proposal. */
  extend(changes: StateChanges): State;
  /** eth_getProof for an account of this state. */
  proveAccount(address: Address): AccountProof;
}

export interface StateWriter {
  commit(changes: StateChanges): void;
}

export interface AccountProof {
  readonly address: Address;
  readonly nonce: bigint;
  readonly balance: bigint;
  readonly codeHash: Hex;
  readonly storageHash: Hex;
  /** RLP-encoded trie nodes from the root to the account (eth_getProof's `accountProof`). */
  readonly accountProof: Hex[];
  readonly storageProof: [];
}

export function isEmptyAccount(account: Account): boolean {
  return account.nonce === 0n && account.balance === 0n;
}

export function encodeAccount(account: Account): Uint8Array {
  return encodeRlpList([
    encodeRlpInteger(account.nonce),
    encodeRlpInteger(account.balance),
    encodeRlpBytes(EMPTY_TRIE_ROOT),
    encodeRlpBytes(hexToBytes(EMPTY_CODE_HASH)),
  ]);
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

/**
 * Tries already computed for a change set on top of a base trie. Validating a proposal computes
 * its trie; committing the same change set later, or extending it with a child proposal, reuses
 * it instead of hashing the same nodes again. Keyed weakly: a dropped proposal costs nothing.
 */
const prepared = new WeakMap<StateChanges, { base: Trie; trie: Trie }>();

/** The state root and proofs, shared by the committed state and speculative states on top of it. */
abstract class TrieState implements State {
  abstract getAccount(address: Address): Account;
  protected abstract trie(): Trie;

  stateRoot(): Hex {
    return bytesToHex(this.trie().root());
  }

  rootWith(changes: StateChanges): Hex {
    return bytesToHex(this.prepare(changes).root());
  }

  /**
   * The state after `changes`, without committing them: what a child proposal of a certified but
   * not yet committed block executes on. It reads through to this state, so it is valid as long
   * as only its own ancestors are committed underneath it (any other commit makes it a dead fork).
   */
  extend(changes: StateChanges): SpeculativeState {
    return new SpeculativeState(this, changes, this.prepare(changes));
  }

  proveAccount(address: Address): AccountProof {
    const lower = address.toLowerCase() as Address;
    const account = this.getAccount(lower);
    return {
      address,
      nonce: account.nonce,
      balance: account.balance,
      codeHash: EMPTY_CODE_HASH,
      storageHash: EMPTY_STORAGE_ROOT,
      accountProof: this.trie().prove(accountKey(lower)).map((node) => bytesToHex(node)),
      storageProof: [],
    };
  }

  protected prepare(changes: StateChanges): Trie {
    const base = this.trie();
    const cached = prepared.get(changes);
    if (cached !== undefined && cached.base === base) return cached.trie;
    let trie = base;
    for (const [address, account] of changes) {
      if (isEmptyAccount(account)) {
        // Execution never empties an existing account: a debit always comes with a nonce bump.
        // Refuse loudly rather than compute a root that silently disagrees with Ethereum's rule.
        if (!isEmptyAccount(this.getAccount(address))) throw new Error(`invariant: account ${address} would become empty`);
        continue;
      }
      trie = trie.put(accountKey(address), encodeAccount(account));
    }
    prepared.set(changes, { base, trie });
    return trie;
  }
}

/** The committed state, which the node keeps in memory and the store persists. */
export class MemoryState extends TrieState implements StateWriter {
  readonly #accounts = new Map<Address, Account>();
  #trie = Trie.empty();

  static fromAccounts(accounts: Iterable<readonly [Address, Account]>): MemoryState {
    const state = new MemoryState();
    state.commit(new Map([...accounts].map(([address, account]) => [address.toLowerCase() as Address, account])));
    return state;
  }

  getAccount(address: Address): Account {
    return this.#accounts.get(address) ?? EMPTY_ACCOUNT;
  }

  /** Every non-empty account, for the store to persist. */
  accounts(): IterableIterator<[Address, Account]> {
    return this.#accounts.entries();
  }

  commit(changes: StateChanges): void {
    const trie = this.prepare(changes);
    for (const [address, account] of changes) {
      if (isEmptyAccount(account)) this.#accounts.delete(address);
      else this.#accounts.set(address, account);
    }
    this.#trie = trie;
  }

  protected trie(): Trie {
    return this.#trie;
  }
}

/** A state with uncommitted changes on top of another (see `extend`). */
export class SpeculativeState extends TrieState {
  readonly #parent: StateReader;
  readonly #changes: StateChanges;
  readonly #trie: Trie;

  constructor(parent: StateReader, changes: StateChanges, trie: Trie) {
    super();
    this.#parent = parent;
    this.#changes = changes;
    this.#trie = trie;
  }

  getAccount(address: Address): Account {
    return this.#changes.get(address) ?? this.#parent.getAccount(address);
  }

  protected trie(): Trie {
    return this.#trie;
  }
}

/**
 * A change set being built over a base state: reads see earlier writes of the same block. This is
 * the only mutable state execution touches, and it is private to one block execution.
 */
export class PendingState implements StateReader {
  readonly #base: StateReader;
  readonly #changes = new Map<Address, Account>();

  constructor(base: StateReader) {
    this.#base = base;
  }

  getAccount(address: Address): Account {
    return this.#changes.get(address) ?? this.#base.getAccount(address);
  }

  setAccount(address: Address, account: Account): void {
    this.#changes.set(address, account);
  }

  changes(): StateChanges {
    return new Map(this.#changes);
  }
}
