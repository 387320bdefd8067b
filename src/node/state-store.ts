/**
 * The committed state between memory and the store: what a committed block's change set writes
 * (accounts, the code it deploys, the storage slots it sets) and the state rebuilt from the store
 * on start, so a restarted member has the same state root, code and storage as before.
 */
import type { Address, Hex } from "viem";
import { MemoryState, type AccountChange, type StateChanges } from "../execution/index.ts";
import type { CommitRecord, Store } from "../store/index.ts";

export function stateRecord(changes: StateChanges): Pick<CommitRecord, "accounts" | "code" | "storage"> {
  const accounts: CommitRecord["accounts"][number][] = [];
  const code: { hash: string; code: Uint8Array }[] = [];
  const storage: { address: string; slot: string; value: bigint }[] = [];
  for (const [address, a] of changes) {
    accounts.push({ address, nonce: a.nonce, balance: a.balance, ...(a.codeHash === undefined ? {} : { codeHash: a.codeHash }) });
    if (a.code !== undefined && a.codeHash !== undefined) code.push({ hash: a.codeHash, code: a.code });
    for (const [slot, value] of a.storage ?? []) storage.push({ address, slot, value });
  }
  return { accounts, code, storage };
}

export function loadState(store: Store): MemoryState {
  const slots = new Map<Address, Map<Hex, bigint>>();
  for (const s of store.storage()) {
    const address = s.address as Address;
    let map = slots.get(address);
    if (map === undefined) slots.set(address, (map = new Map()));
    map.set(s.slot as Hex, s.value);
  }
  return MemoryState.fromAccounts(
    store.accounts().map((a) => {
      const address = a.address as Address;
      const change: AccountChange = { nonce: a.nonce, balance: a.balance };
      if (a.codeHash === undefined) return [address, change] as const;
      const code = store.code(a.codeHash);
      if (code === undefined) throw new Error(`the store lacks the code ${a.codeHash} of account ${address}`);
      return [address, { ...change, codeHash: a.codeHash as Hex, code, storage: slots.get(address) }] as const;
    }),
  );
}
