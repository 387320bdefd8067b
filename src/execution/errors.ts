/**
 * Errors of the execution domain. Every refusal has its own stable `code` so the RPC layer can
 * map it to an EIP-1474 error and the consensus layer can log why it refused to vote, without
 * parsing messages. Messages name the offending value ("nonce too low: expected 5, got 3").
 */
export type ExecutionErrorCode =
  // Stateless transaction checks (RPC intake).
  | "INVALID_ENCODING"
  | "UNSUPPORTED_TYPE"
  | "MISSING_CHAIN_ID"
  | "WRONG_CHAIN_ID"
  | "INVALID_SIGNATURE"
  | "HIGH_S"
  | "INITCODE_TOO_LARGE"
  | "INTRINSIC_GAS_TOO_LOW"
  | "GAS_LIMIT_TOO_HIGH"
  | "TIP_ABOVE_FEE_CAP"
  // Stateful transaction checks (building and applying).
  | "NONCE_TOO_LOW"
  | "NONCE_TOO_HIGH"
  | "INSUFFICIENT_FUNDS"
  | "FEE_CAP_BELOW_BASE_FEE"
  | "SENDER_NOT_EOA"
  | "EVM_REFUSED"
  // Mempool.
  | "ALREADY_KNOWN"
  | "REPLACEMENT_UNDERPRICED"
  | "MEMPOOL_FULL"
  | "SENDER_LIMIT"
  // Blocks.
  | "INVALID_BLOCK_DATA"
  | "INVALID_BLOCK_TRANSACTION"
  | "BLOCK_GAS_LIMIT_EXCEEDED"
  | "BLOCK_TX_LIMIT_EXCEEDED"
  | "WRONG_PARENT"
  | "TIMESTAMP_BEFORE_PARENT"
  | "L1_ORIGIN_BEFORE_PARENT"
  | "L1_ORIGIN_HASH_CHANGED"
  | "INBOX_ENTRIES_MISSING"
  | "INBOX_ENTRY_TOO_NEW"
  | "INBOX_LIMIT_EXCEEDED"
  | "INBOX_DUE_ENTRY_SKIPPED"
  | "BASE_FEE_MISMATCH"
  | "GAS_USED_MISMATCH"
  | "INBOX_HASH_MISMATCH"
  | "DATA_HASH_MISMATCH"
  | "STATE_ROOT_MISMATCH"
  | "TRANSACTIONS_ROOT_MISMATCH"
  | "RECEIPTS_ROOT_MISMATCH"
  | "WITHDRAWALS_ROOT_MISMATCH"
  // Proofs.
  | "INVALID_PROOF";

export class ExecutionError extends Error {
  override readonly name = "ExecutionError";
  readonly code: ExecutionErrorCode;
  /** Short human text without the details, for logs and RPC messages. */
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(code: ExecutionErrorCode, shortMessage: string, details?: string, options?: { cause?: unknown }) {
    super(details === undefined ? shortMessage : `${shortMessage}: ${details}`, options);
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
  }
}
