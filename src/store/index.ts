export { Store, type StoredBlock, type StoredAccount, type StoredSlot, type StoredTransaction, type CommitRecord } from "./store.ts";
export { type StoreIdentity } from "./database.ts";
export { StoreError, damagedMessage, type StoreErrorCode } from "./errors.ts";
