/**
 * Errors of the consensus domain, each with a stable `code`. The core itself never throws at a
 * peer's message (a bad message is dropped, optionally reported); these surface at the codec
 * boundary and for programming errors in the adapter.
 */
export type ConsensusErrorCode =
  | "MALFORMED_MESSAGE"
  | "INVALID_SIGNATURE"
  | "NO_KEY"
  | "INVALID_CONFIG";

export class ConsensusError extends Error {
  override readonly name = "ConsensusError";
  readonly code: ConsensusErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(code: ConsensusErrorCode, shortMessage: string, details?: string) {
    super(details === undefined ? shortMessage : `${shortMessage}: ${details}`);
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
  }
}
