/** Errors of the user-side client (the scripts a wallet user or operator runs against a devnet). */
export type ClientErrorCode =
  /** An endpoint did not answer (the devnet is not running, or a wrong URL). */
  | "UNREACHABLE"
  /** The deployments file is missing, unreadable, or names contracts the L1 does not have. */
  | "BAD_DEPLOYMENT"
  /**
   * The JSON-RPC failed while a transaction was being sent or awaited: no answer (connection
   * refused, timed out, HTTP error) or an error answer to a read. Unlike TIMEOUT, the node is at
   * fault, not the chain's progress.
   */
  | "RPC_FAILED"
  /** The L2 refused a transaction, or an L1 transaction reverted (the decoded error is in the message). */
  | "REFUSED"
  /** Something did not happen within the wait while the endpoint kept answering (a receipt, a deposit on L2, finality on L1). */
  | "TIMEOUT"
  /** The transaction named is not known to the L2, or is not what the command needs. */
  | "NOT_FOUND"
  | "NOT_A_WITHDRAWAL"
  /** The Bridge refused the claim because this withdrawal (or escape-hatch balance) was paid already. */
  | "ALREADY_CLAIMED"
  /** Exit mode is not open yet: the Rollup refused `enterExitMode` (the message says from which L1 block it opens). */
  | "EXIT_NOT_ALLOWED"
  /** The account has no balance in the exit state: nothing to claim. */
  | "NOTHING_TO_CLAIM"
  /** What L1 holds does not rebuild the L2 state it finalized (a replayed root or hash differs). */
  | "L1_DATA_MISMATCH";

export class ClientError extends Error {
  override readonly name = "ClientError";
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The first line of an error's message (viem's messages run to many lines of request details). */
export function shortMessage(error: unknown): string {
  const e = error as { shortMessage?: unknown; message?: unknown };
  const text = typeof e?.shortMessage === "string" ? e.shortMessage : typeof e?.message === "string" ? e.message : String(error);
  return text.split("\n")[0]!;
}

/** The innermost cause's message: for a refused connection, "connect ECONNREFUSED 127.0.0.1:8645" rather than viem's "HTTP request failed." */
export function rootCause(error: unknown): string {
  let e = error as { cause?: unknown } | undefined;
  while (e?.cause !== undefined && e.cause !== null && typeof e.cause === "object") e = e.cause as { cause?: unknown };
  return shortMessage(e);
}
