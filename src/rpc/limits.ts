/**
 * The bounds on what one request or one client may cost this member, and the error that says one
 * was hit. -32005 is EIP-1474's "limit exceeded"; geth and Alchemy answer over-wide log queries
 * with it too, with a message telling the client to narrow the query.
 */
import { RpcError } from "./errors.ts";

export const RPC_LIMITS = {
  /** Blocks one eth_getLogs (or eth_getFilterLogs) may scan. */
  maxLogBlockRange: 10_000,
  /** Logs one answer may carry. */
  maxLogs: 10_000,
  /** Installed filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter) per member. */
  maxFilters: 1_000,
  /** A filter nobody polled for this long is removed (geth: 5 minutes). */
  filterTimeoutMs: 5 * 60_000,
  /** Hashes a pending-transaction filter keeps between polls (the oldest are dropped). */
  maxPendingHashes: 10_000,
} as const;

export const LIMIT_EXCEEDED = -32005;

export class LimitExceededError extends RpcError {
  override name = "LimitExceededError";
  constructor(message: string) {
    super(LIMIT_EXCEEDED, message);
  }
}
