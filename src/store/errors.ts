/** Errors of the node's local store. */
export type StoreErrorCode = "STORE_DAMAGED" | "STORE_MISMATCH" | "STORE_CLOSED" | "STORE_CONFLICT";

export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * What an operator reads when a store cannot be opened. It must not say "delete it and resync":
 * the store holds the safety state and the signed-message ledger, and a member that signs without
 * them can sign a second, different message in a view it already signed in (slashable).
 */
export function damagedMessage(path: string, reason: string): string {
  return `the store at ${path} is damaged and cannot be used (${reason}). Keep this file: it records what this member signed ` +
    `(its safety state and signed-message ledger), and a member that signs without that record can sign twice in one view and be slashed. ` +
    `Recover it into a new file (sqlite3 ${path} .recover | sqlite3 recovered.sqlite) and put that in its place; only if the record is lost ` +
    `for good, start on an empty store with --safety-floor <epoch>:<view>, the highest epoch and view any peer reports (rollup_status), ` +
    `so that this member signs nothing at or below it`;
}
