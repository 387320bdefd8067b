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
