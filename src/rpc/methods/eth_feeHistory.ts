import { computeBaseFee } from "../../execution/index.ts";
import { ResourceNotFoundError } from "../errors.ts";
import { blockTagParam, expectParams, invalidParams, quantity, quantityParam } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { resolveBlockNumber } from "./block-tag.ts";
import { effectiveTip } from "./fee-market.ts";

/** As geth: a fee history spans at most this many blocks, and at most this many percentiles. */
const MAX_BLOCKS = 1024n;
const MAX_PERCENTILES = 100;

function percentilesParam(v: unknown): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > MAX_PERCENTILES) throw invalidParams(`rewardPercentiles must be an array of at most ${MAX_PERCENTILES} numbers`, v);
  v.forEach((p, i) => {
    if (typeof p !== "number" || !(p >= 0 && p <= 100)) throw invalidParams(`rewardPercentiles[${i}] must be a number from 0 to 100`, p);
    if (i > 0 && p < (v[i - 1] as number)) throw invalidParams(`rewardPercentiles must be increasing: [${i}] is below [${i - 1}]`, v);
  });
  return v as number[];
}

/**
 * The tip at each percentile of a block's gas, geth's way: transactions sorted by effective tip,
 * each weighted by the gas its receipt says it used, the first whose cumulative gas reaches p% of
 * the block's gas.
 */
export function rewards(paid: readonly { tip: bigint; gas: bigint }[], percentiles: readonly number[]): string[] {
  if (paid.length === 0) return percentiles.map(() => "0x0");
  const sorted = [...paid].sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
  const total = sorted.reduce((sum, t) => sum + Number(t.gas), 0);
  return percentiles.map((p) => {
    const threshold = (total * p) / 100;
    let used = 0;
    for (const { tip, gas } of sorted) {
      used += Number(gas);
      if (used >= threshold) return quantity(tip);
    }
    return quantity(sorted[sorted.length - 1]!.tip);
  });
}

/**
 * eth_feeHistory from committed headers: the base fee of each block and of the block after the
 * newest (EIP-1559 from it), each block's gasUsed / gasLimit, and reward percentiles from the
 * tips its transactions paid.
 */
export function createFeeHistory(gasLimit: bigint): RpcMethod {
  return (params, ctx) => {
    expectParams(params, 2, 3, "[blockCount, newestBlock, rewardPercentiles?]");
    const count = quantityParam(params[0], "blockCount", 1n, MAX_BLOCKS);
    const newest = resolveBlockNumber(blockTagParam(params[1], "newestBlock"), ctx);
    const percentiles = percentilesParam(params[2]);
    const head = ctx.committedHeight();
    if (newest > head) throw new ResourceNotFoundError(`newestBlock ${quantity(newest)} is not committed yet: the committed head is ${quantity(head)}`);
    const oldest = newest + 1n >= count ? newest + 1n - count : 0n;
    const baseFeePerGas: string[] = [];
    const gasUsedRatio: number[] = [];
    const reward: string[][] = [];
    for (let n = oldest; n <= newest; n++) {
      const b = ctx.blockByNumber(n);
      if (b === undefined) throw new ResourceNotFoundError(`block ${quantity(n)} is missing from this node's store`);
      const h = b.block.header;
      baseFeePerGas.push(quantity(h.baseFee));
      gasUsedRatio.push(Number(h.gasUsed) / Number(gasLimit));
      if (percentiles !== undefined) {
        const paid = b.rawTransactions.map((raw, i) => ({ tip: effectiveTip(raw, h.baseFee), gas: ctx.receipt(b.transactionHashes[i]!)?.receipt.gasUsed ?? 0n }));
        reward.push(rewards(paid, percentiles));
      }
      if (n === newest) baseFeePerGas.push(quantity(computeBaseFee(h.baseFee, h.gasUsed, gasLimit)));
    }
    return { oldestBlock: quantity(oldest), baseFeePerGas, gasUsedRatio, ...(percentiles === undefined ? {} : { reward }) };
  };
}
