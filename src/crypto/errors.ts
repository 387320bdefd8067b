/**
 * Errors of the crypto domain. Each refusal has its own stable `code`, so callers (the network
 * layer, the RPC layer, tests) can tell a wrong length from a point off the curve without
 * parsing messages.
 */
export type CryptoErrorCode =
  | "INVALID_LENGTH"
  | "INVALID_ENCODING"
  | "FIELD_ELEMENT_OUT_OF_RANGE"
  | "NOT_ON_CURVE"
  | "NOT_IN_SUBGROUP"
  | "POINT_AT_INFINITY"
  | "INVALID_SECRET_KEY"
  | "INVALID_DIGEST"
  | "UNKNOWN_SIGNER"
  | "DUPLICATE_SIGNER"
  | "QUORUM_NOT_REACHED"
  | "INVALID_SIGNATURE";

export class CryptoError extends Error {
  override readonly name = "CryptoError";
  readonly code: CryptoErrorCode;
  /** Short human text without the details, for logs and RPC messages. */
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(code: CryptoErrorCode, shortMessage: string, details?: string) {
    super(details === undefined ? shortMessage : `${shortMessage}: ${details}`);
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
  }
}
