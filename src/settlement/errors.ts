/** Errors of the L1 side of a node: settlement, evidence and the L1 follower. */
export type SettlementErrorCode =
  /** The L1 RPC did not answer (down, slow, refused): retry later, nothing is lost. */
  | "L1_UNAVAILABLE"
  /** No receipt within the timeout even after fee bumps: retry later (the transaction may still land). */
  | "RECEIPT_TIMEOUT"
  /** L1 refused a batch for a reason retrying the same batch cannot fix (decoded custom error in `revert`). */
  | "SETTLEMENT_REFUSED"
  /** L1 refused for a reason that time fixes (a gap closed by another settler, an L1 node behind). */
  | "SETTLEMENT_DEFERRED"
  /** L1 reorganised below the follower's depth: a block read no longer is L1's (an operator must look). */
  | "L1_REORG"
  /** L1's finalized block differs from this node's committed block at the same height. */
  | "FINALIZED_CONFLICT"
  /** L1 refused evidence (already reported, member already slashed, not conflicting, bad signature). */
  | "EVIDENCE_REFUSED"
  /** The local store lacks a committed block or proof the batch needs. */
  | "MISSING_BLOCK"
  /** The Inbox events do not add up to the contract's accumulated hash. */
  | "INBOX_MISMATCH"
  /** An outbox item that is not what the settlement layer understands. */
  | "INVALID_ITEM"
  /** Contract artifacts are missing (the contracts were not built). */
  | "MISSING_ARTIFACTS";

/** A decoded custom error of the L1 contracts: its name and arguments. */
export interface DecodedRevert {
  readonly errorName: string;
  readonly args: readonly unknown[];
}

export class SettlementError extends Error {
  override readonly name = "SettlementError";
  readonly code: SettlementErrorCode;
  readonly revert: DecodedRevert | undefined;

  constructor(code: SettlementErrorCode, message: string, options?: { cause?: unknown; revert?: DecodedRevert }) {
    super(message, options);
    this.code = code;
    this.revert = options?.revert;
  }
}

/** `Name(arg, arg)`, with bigints in decimal, for logs and error messages. */
export function formatRevert(revert: DecodedRevert): string {
  return `${revert.errorName}(${revert.args.map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ")})`;
}
