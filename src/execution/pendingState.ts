/**
 * A change set being built over a base state: reads see earlier writes of the same block. This is
 * the only mutable state execution touches, and it is private to one block execution.
 *
 * An account that becomes empty is deleted with its storage. Only a contract created in the same
 * transaction can be deleted (EIP-6780), and creation needs an address without storage
 * (EIP-7610), so a deleted account never had storage in the base state; `#deleted` still makes
 * reads after a deletion see none.
 */
import type { Address, Hex } from "viem";
import { isEmptyAccount, type Account, type AccountChange, type StateChanges, type StateReader } from "./state.ts";

export class PendingState implements StateReader {
  readonly #base: StateReader;
  readonly #accounts = new Map<Address, Account>();
  readonly #code = new Map<Address, Uint8Array>();
  readonly #storage = new Map<Address, Map<Hex, bigint>>();
  readonly #deleted = new Set<Address>();

  constructor(base: StateReader) {
    this.#base = base;
  }

  getAccount(address: Address): Account {
    return this.#accounts.get(address) ?? this.#base.getAccount(address);
  }

  getCode(address: Address): Uint8Array {
    const code = this.#code.get(address);
    if (code !== undefined) return code;
    return this.#deleted.has(address) ? new Uint8Array(0) : this.#base.getCode(address);
  }

  getStorage(address: Address, slot: Hex): bigint {
    const value = this.#storage.get(address)?.get(slot);
    if (value !== undefined) return value;
    return this.#deleted.has(address) ? 0n : this.#base.getStorage(address, slot);
  }

  setAccount(address: Address, account: Account): void {
    this.#accounts.set(address, account);
    if (isEmptyAccount(account)) {
      this.#deleted.add(address);
      this.#storage.delete(address);
      this.#code.delete(address);
    }
  }

  /** Deploys `code` at `address`; its code hash comes with the account (setAccount), as the EVM's writes carry it. */
  setCode(address: Address, code: Uint8Array): void {
    this.#code.set(address, code);
  }

  setStorage(address: Address, slot: Hex, value: bigint): void {
    let slots = this.#storage.get(address);
    if (slots === undefined) this.#storage.set(address, (slots = new Map()));
    slots.set(slot, value);
  }

  changes(): StateChanges {
    const changes = new Map<Address, AccountChange>(this.#accounts);
    for (const [address, slots] of this.#storage) {
      changes.set(address, { ...this.getAccount(address), storage: new Map(slots) });
    }
    for (const [address, code] of this.#code) {
      const change = changes.get(address) ?? this.getAccount(address);
      if (code.length > 0) changes.set(address, { ...change, code });
    }
    return changes;
  }
}
