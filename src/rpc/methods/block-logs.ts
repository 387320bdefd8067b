/**
 * Logs of committed blocks, matched against an eth_getLogs-style filter: the one reader behind
 * eth_getLogs, log filters, `logs` subscriptions and blocks' logsBloom.
 */
import type { Hex } from "viem";
import { logsBloomHex, type ReceiptLog } from "../../execution/index.ts";
import type { RpcBlock, RpcContext } from "../context.ts";
import { LimitExceededError, RPC_LIMITS } from "../limits.ts";
import { quantity } from "../params.ts";
import { formatLog, type LogPosition } from "./format-log.ts";
import { matchesLog, type LogMatcher } from "./log-filter.ts";

/** Every log of a committed block with its position, in block order (log index = position in the block). */
export function blockLogs(b: RpcBlock, ctx: RpcContext): { log: ReceiptLog; at: LogPosition }[] {
  const out: { log: ReceiptLog; at: LogPosition }[] = [];
  const blockNumber = b.block.header.number;
  const blockTimestamp = b.block.header.timestamp;
  b.transactionHashes.forEach((transactionHash, transactionIndex) => {
    const logs = ctx.receipt(transactionHash)?.receipt.logs ?? [];
    for (const log of logs) out.push({ log, at: { blockHash: b.hash, blockNumber, blockTimestamp, transactionHash, transactionIndex, logIndex: out.length } });
  });
  return out;
}

/** A committed block's logs that match, formatted. */
export function matchingLogs(b: RpcBlock, m: LogMatcher, ctx: RpcContext): Record<string, unknown>[] {
  // A block without transactions has no logs: no receipt is read.
  if (b.transactionHashes.length === 0) return [];
  return blockLogs(b, ctx).filter((l) => matchesLog(m, l.log)).map((l) => formatLog(l.log, l.at));
}

/** Committed blocks' blooms are immutable: kept for the most recent few, so heads and block reads do not re-read receipts. */
const blooms = new Map<string, Hex>();
const BLOOM_CACHE = 256;

/** The block's logsBloom: the bloom of all its receipts' logs (their OR, as Ethereum's header holds). */
export function blockBloom(b: RpcBlock, ctx: RpcContext): Hex {
  const known = blooms.get(b.hash);
  if (known !== undefined) return known;
  const bloom = logsBloomHex(blockLogs(b, ctx).map((l) => l.log));
  if (blooms.size >= BLOOM_CACHE) blooms.delete(blooms.keys().next().value!);
  blooms.set(b.hash, bloom);
  return bloom;
}

/**
 * The matching logs of committed blocks from..to (inclusive), at most `maxLogs`. When more match,
 * `complete` is false and `next` is the first block not included: whole blocks only, so a poller
 * resumes there without losing or repeating a log.
 */
export function collectLogs(ctx: RpcContext, m: LogMatcher, from: bigint, to: bigint, maxLogs: number = RPC_LIMITS.maxLogs): { logs: Record<string, unknown>[]; next: bigint; complete: boolean } {
  const logs: Record<string, unknown>[] = [];
  for (let n = from; n <= to; n++) {
    const b = ctx.blockByNumber(n);
    if (b === undefined) return { logs, next: n, complete: true };
    const found = matchingLogs(b, m, ctx);
    if (logs.length + found.length > maxLogs) return { logs, next: n, complete: false };
    logs.push(...found);
  }
  return { logs, next: to + 1n, complete: true };
}

/** eth_getLogs' bound on the range, checked before any block is read. */
export function checkLogRange(from: bigint, to: bigint): void {
  const blocks = to - from + 1n;
  if (blocks > BigInt(RPC_LIMITS.maxLogBlockRange)) {
    throw new LimitExceededError(`block range too large: ${blocks} blocks (${quantity(from)} to ${quantity(to)}), at most ${RPC_LIMITS.maxLogBlockRange}: narrow the range`);
  }
}

/** Logs of the whole range, or the -32005 refusal that tells the client to narrow it. */
export function queryLogs(ctx: RpcContext, m: LogMatcher, from: bigint, to: bigint): Record<string, unknown>[] {
  checkLogRange(from, to);
  const result = collectLogs(ctx, m, from, to);
  if (!result.complete) {
    const fits = result.next > from ? ` (blocks ${quantity(from)} to ${quantity(result.next - 1n)} hold ${result.logs.length})` : "";
    throw new LimitExceededError(`query returns more than ${RPC_LIMITS.maxLogs} results: narrow the block range or the filter${fits}`);
  }
  return result.logs;
}
