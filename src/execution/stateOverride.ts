/**
 * eth_call's state override set (geth's): a call may run as if some accounts had another balance,
 * nonce or code, and another storage: `state` replaces the account's whole storage, `stateDiff`
 * changes the slots it names. The overrides are a view over the state the call reads, never
 * written anywhere.
 */
import type { Address, Hex } from "viem";
import { codeHashOf, type StateReader } from "./state.ts";

export interface AccountOverride {
  readonly balance?: bigint;
  readonly nonce?: bigint;
  readonly code?: Uint8Array;
  /** The account's whole storage: every slot not named here reads 0. */
  readonly state?: ReadonlyMap<Hex, bigint>;
  /** Slots changed on top of the account's storage. */
  readonly stateDiff?: ReadonlyMap<Hex, bigint>;
}

/** By lower-case address. */
export type StateOverride = ReadonlyMap<Address, AccountOverride>;

/** `base` as the overrides change it. */
export function overrideState(base: StateReader, overrides: StateOverride): StateReader {
  if (overrides.size === 0) return base;
  return {
    getAccount(address) {
      const account = base.getAccount(address);
      const o = overrides.get(address);
      if (o === undefined) return account;
      const codeHash = o.code === undefined ? account.codeHash : codeHashOf(o.code);
      return { nonce: o.nonce ?? account.nonce, balance: o.balance ?? account.balance, ...(codeHash === undefined ? {} : { codeHash }) };
    },
    getCode(address) {
      return overrides.get(address)?.code ?? base.getCode(address);
    },
    getStorage(address, slot) {
      const o = overrides.get(address);
      if (o?.state !== undefined) return o.state.get(slot) ?? 0n;
      return o?.stateDiff?.get(slot) ?? base.getStorage(address, slot);
    },
  };
}
