export { Store, damagedMessage, type StoreIdentity, type StoredBlock, type StoredAccount, type StoredSlot, type StoredTransaction, type CommitRecord } from "./store.ts";
export { StoreError, type StoreErrorCode } from "./errors.ts";
