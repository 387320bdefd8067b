/**
 * Fee suggestions from committed blocks: the next block's base fee follows EIP-1559 from the
 * head, and the tip is what recent transactions actually paid (their effective tips).
 */
import { parseTransaction, parseGwei, type Hex } from "viem";
import { computeBaseFee } from "../../execution/index.ts";
import type { RpcBlock, RpcContext } from "../context.ts";

/** Blocks looked back over for the suggested tip. */
const TIP_LOOKBACK = 20n;
/** The suggested tip when no recent transaction paid one: a wallet-customary 1 gwei, cheap here. */
export const DEFAULT_TIP = parseGwei("1");

export function nextBaseFee(head: RpcBlock, gasLimit: bigint): bigint {
  const h = head.block.header;
  return computeBaseFee(h.baseFee, h.gasUsed, gasLimit);
}

/** The tip per gas a raw transaction paid in a block with this base fee (EIP-1559 rules). */
export function effectiveTip(raw: Hex, baseFee: bigint): bigint {
  const tx = parseTransaction(raw);
  const cap = tx.type === "eip1559" ? (tx.maxFeePerGas ?? 0n) : (tx.gasPrice ?? 0n);
  const tip = tx.type === "eip1559" ? (tx.maxPriorityFeePerGas ?? 0n) : cap;
  const room = cap - baseFee;
  const paid = tip < room ? tip : room;
  return paid > 0n ? paid : 0n;
}

export function headBlock(ctx: RpcContext): RpcBlock {
  const head = ctx.blockByNumber(ctx.committedHeight());
  if (head === undefined) throw new Error("committed head block missing from the store");
  return head;
}

/** The median effective tip over the last blocks' transactions, or DEFAULT_TIP if none. */
export function suggestedTip(ctx: RpcContext): bigint {
  const top = ctx.committedHeight();
  const tips: bigint[] = [];
  for (let n = top; n >= 0n && n > top - TIP_LOOKBACK; n--) {
    const b = ctx.blockByNumber(n);
    if (b !== undefined) for (const raw of b.rawTransactions) tips.push(effectiveTip(raw, b.block.header.baseFee));
  }
  if (tips.length === 0) return DEFAULT_TIP;
  tips.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return tips[Math.floor(tips.length / 2)]!;
}
