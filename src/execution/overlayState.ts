/**
 * ethereumjs's StateManager interface over our state: a journaled overlay of one transaction's
 * writes on a synchronous `StateReader`. The EVM calls checkpoint/commit/revert around every call
 * frame; each write records what it replaced in the open checkpoint, and a revert puts it back.
 * After the transaction, `writes()` lists what the overlay holds for the caller to apply to its
 * pending state. Roots are not this class's business (getStateRoot refuses): the trie is ours.
 */
import type { AccountFields, StateManagerInterface, StorageDump, StorageRange } from "@ethereumjs/common";
import { Account as EvmAccount, bytesToBigInt, equalsBytes, KECCAK256_NULL, KECCAK256_RLP, type Address as EvmAddress } from "@ethereumjs/util";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { integerToBytes } from "./rlp.ts";
import { codeHashOf, EMPTY_ACCOUNT, type Account, type StateReader } from "./state.ts";
import type { EvmWrites } from "./evm.ts";

type Undo = () => void;

const NO_CODE = new Uint8Array(0);

export class OverlayState implements StateManagerInterface {
  #base: StateReader | undefined;
  /** null: deleted in this transaction. */
  #accounts = new Map<Address, Account | null>();
  #code = new Map<Address, Uint8Array>();
  #storage = new Map<Address, Map<Hex, bigint>>();
  /** Accounts deleted (or whose storage was cleared): base storage no longer shows through. */
  #wiped = new Set<Address>();
  #journal: Undo[][] = [];
  /** Slot values at the start of the transaction (EIP-2200/3529 gas needs them). */
  #original = new Map<string, Uint8Array>();

  readonly originalStorageCache = {
    get: async (address: EvmAddress, key: Uint8Array): Promise<Uint8Array> => {
      const id = `${address.toString()}:${bytesToHex(key)}`;
      return this.#original.get(id) ?? (await this.getStorage(address, key));
    },
    clear: (): void => this.#original.clear(),
  };

  /** Starts a transaction over `base` (undefined: idle). */
  reset(base: StateReader | undefined): void {
    this.#base = base;
    this.#accounts = new Map();
    this.#code = new Map();
    this.#storage = new Map();
    this.#wiped = new Set();
    this.#journal = [];
    this.#original.clear();
  }

  #reader(): StateReader {
    if (this.#base === undefined) throw new Error("no transaction is running on this EVM state");
    return this.#base;
  }

  #record(undo: Undo): void {
    const top = this.#journal[this.#journal.length - 1];
    if (top !== undefined) top.push(undo);
  }

  #account(address: Address): Account | undefined {
    const own = this.#accounts.get(address);
    if (own === null) return undefined;
    const account = own ?? this.#reader().getAccount(address);
    return account.nonce === 0n && account.balance === 0n && account.codeHash === undefined ? undefined : account;
  }

  #setAccount(address: Address, account: Account | null): void {
    const had = this.#accounts.has(address);
    const previous = this.#accounts.get(address);
    this.#record(() => (had ? this.#accounts.set(address, previous!) : this.#accounts.delete(address)));
    this.#accounts.set(address, account);
  }

  async getAccount(address: EvmAddress): Promise<EvmAccount | undefined> {
    const account = this.#account(address.toString() as Address);
    if (account === undefined) return undefined;
    const codeHash = account.codeHash === undefined ? KECCAK256_NULL : hexToBytes(account.codeHash);
    // The storage root is only read to tell "has storage" (EIP-7610 creation collisions); an
    // address with storage has code or a nonce in every state this chain can reach.
    return new EvmAccount(account.nonce, account.balance, KECCAK256_RLP, codeHash);
  }

  async putAccount(address: EvmAddress, account?: EvmAccount): Promise<void> {
    if (account === undefined) return this.deleteAccount(address);
    const codeHash = equalsBytes(account.codeHash, KECCAK256_NULL) ? undefined : bytesToHex(account.codeHash);
    this.#setAccount(address.toString() as Address, codeHash === undefined ? { nonce: account.nonce, balance: account.balance } : { nonce: account.nonce, balance: account.balance, codeHash });
  }

  async deleteAccount(address: EvmAddress): Promise<void> {
    const a = address.toString() as Address;
    this.#setAccount(a, null);
    this.#setCode(a, NO_CODE);
    this.#wipeStorage(a);
  }

  async modifyAccountFields(address: EvmAddress, fields: AccountFields): Promise<void> {
    const account = (await this.getAccount(address)) ?? new EvmAccount();
    if (fields.nonce !== undefined) account.nonce = fields.nonce;
    if (fields.balance !== undefined) account.balance = fields.balance;
    if (fields.codeHash !== undefined) account.codeHash = fields.codeHash;
    await this.putAccount(address, account);
  }

  #setCode(address: Address, code: Uint8Array): void {
    const had = this.#code.has(address);
    const previous = this.#code.get(address);
    this.#record(() => (had ? this.#code.set(address, previous!) : this.#code.delete(address)));
    this.#code.set(address, code);
  }

  async putCode(address: EvmAddress, value: Uint8Array): Promise<void> {
    const a = address.toString() as Address;
    this.#setCode(a, value);
    const account = this.#account(a) ?? EMPTY_ACCOUNT;
    const codeHash = codeHashOf(value);
    this.#setAccount(a, codeHash === undefined ? { nonce: account.nonce, balance: account.balance } : { nonce: account.nonce, balance: account.balance, codeHash });
  }

  async getCode(address: EvmAddress): Promise<Uint8Array> {
    const a = address.toString() as Address;
    return this.#code.get(a) ?? (this.#accounts.get(a) === null ? NO_CODE : this.#reader().getCode(a));
  }

  async getCodeSize(address: EvmAddress): Promise<number> {
    return (await this.getCode(address)).length;
  }

  #slot(address: Address, slot: Hex): bigint {
    const own = this.#storage.get(address)?.get(slot);
    if (own !== undefined) return own;
    return this.#wiped.has(address) ? 0n : this.#reader().getStorage(address, slot);
  }

  async getStorage(address: EvmAddress, key: Uint8Array): Promise<Uint8Array> {
    return integerToBytes(this.#slot(address.toString() as Address, bytesToHex(key)));
  }

  async putStorage(address: EvmAddress, key: Uint8Array, value: Uint8Array): Promise<void> {
    const a = address.toString() as Address;
    const slot = bytesToHex(key);
    const id = `${a}:${slot}`;
    if (!this.#original.has(id)) this.#original.set(id, integerToBytes(this.#slot(a, slot)));
    let slots = this.#storage.get(a);
    if (slots === undefined) this.#storage.set(a, (slots = new Map()));
    const map = slots;
    const had = map.has(slot);
    const previous = map.get(slot);
    this.#record(() => (had ? map.set(slot, previous!) : map.delete(slot)));
    map.set(slot, value.length === 0 ? 0n : bytesToBigInt(value));
  }

  #wipeStorage(address: Address): void {
    const previous = this.#storage.get(address);
    const wasWiped = this.#wiped.has(address);
    this.#record(() => {
      if (previous === undefined) this.#storage.delete(address);
      else this.#storage.set(address, previous);
      if (!wasWiped) this.#wiped.delete(address);
    });
    this.#storage.set(address, new Map());
    this.#wiped.add(address);
  }

  async clearStorage(address: EvmAddress): Promise<void> {
    this.#wipeStorage(address.toString() as Address);
  }

  async checkpoint(): Promise<void> {
    this.#journal.push([]);
  }

  async commit(): Promise<void> {
    const top = this.#journal.pop();
    const parent = this.#journal[this.#journal.length - 1];
    if (top !== undefined && parent !== undefined) parent.push(...top);
  }

  async revert(): Promise<void> {
    const top = this.#journal.pop();
    if (top === undefined) return;
    for (let i = top.length - 1; i >= 0; i--) top[i]!();
  }

  /** What the transaction wrote, for the caller's pending state. */
  writes(): EvmWrites {
    const accounts: [Address, Account][] = [];
    for (const [address, account] of this.#accounts) accounts.push([address, account ?? EMPTY_ACCOUNT]);
    const code: [Address, Uint8Array][] = [];
    for (const [address, bytes] of this.#code) if (bytes.length > 0 && this.#accounts.get(address) !== null) code.push([address, bytes]);
    const storage: [Address, Hex, bigint][] = [];
    for (const [address, slots] of this.#storage) {
      if (this.#accounts.get(address) === null) continue;
      for (const [slot, value] of slots) storage.push([address, slot, value]);
    }
    return { accounts, code, storage };
  }

  async getStateRoot(): Promise<Uint8Array> {
    throw new Error("the state root is computed by the L2's own trie, not by the EVM");
  }

  async setStateRoot(): Promise<void> {
    throw new Error("the EVM does not switch state roots here");
  }

  async hasStateRoot(): Promise<boolean> {
    return false;
  }

  async dumpStorage(): Promise<StorageDump> {
    throw new Error("storage dumps are not supported");
  }

  async dumpStorageRange(): Promise<StorageRange> {
    throw new Error("storage ranges are not supported");
  }

  clearCaches(): void {}

  shallowCopy(): StateManagerInterface {
    throw new Error("the EVM state cannot be copied");
  }
}
