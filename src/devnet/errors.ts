/** Errors of the devnet's infrastructure (processes it starts, L1 it deploys to, load it sends). */
export type DevnetErrorCode =
  | "REDIS_UNAVAILABLE"
  | "PORT_IN_USE"
  | "PROCESS_EXITED"
  | "START_TIMEOUT"
  | "L1_NOT_PRAGUE"
  | "L1_ACCOUNTS_MISMATCH"
  | "KEYS_MISMATCH"
  | "DEPOSIT_FAILED"
  | "RPC_ERROR"
  | "LOAD_FAILED"
  | "DATA_DIR_IN_USE"
  | "L1_REVERTED"
  | "NO_DEVNET";

export class DevnetError extends Error {
  override readonly name = "DevnetError";
  readonly code: DevnetErrorCode;

  constructor(code: DevnetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
