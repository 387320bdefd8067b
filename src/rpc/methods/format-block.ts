import type { RpcBlock, RpcContext } from "../context.ts";
import { quantity } from "../params.ts";
import { blockBloom } from "./block-logs.ts";
import { formatTransaction } from "./format-transaction.ts";

const ZERO32 = `0x${"00".repeat(32)}`;
/** keccak256(rlp([])): the uncles hash of a block without uncles. */
const EMPTY_UNCLES = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

/**
 * A committed block's header in Ethereum's shape (what `newHeads` notifies), so tools read it:
 * hash = the rollup block hash, miner = the proposer's fee recipient, no uncles, PoS-style zero
 * difficulty and nonce, logsBloom the OR of its receipts' blooms. The rollup's own fields follow
 * Ethereum's.
 */
export function formatHeader(b: RpcBlock, gasLimit: bigint, ctx: RpcContext): Record<string, unknown> {
  const h = b.block.header;
  return {
    number: quantity(h.number),
    hash: b.hash,
    parentHash: h.parentHash,
    nonce: "0x0000000000000000",
    sha3Uncles: EMPTY_UNCLES,
    logsBloom: blockBloom(b, ctx),
    transactionsRoot: h.transactionsRoot,
    stateRoot: h.stateRoot,
    receiptsRoot: h.receiptsRoot,
    miner: h.proposer,
    difficulty: "0x0",
    extraData: "0x",
    gasLimit: quantity(gasLimit),
    gasUsed: quantity(h.gasUsed),
    timestamp: quantity(h.timestamp),
    baseFeePerGas: quantity(h.baseFee),
    mixHash: ZERO32,
    // Rollup fields, beside Ethereum's: which view ordered it and what it settles with.
    view: quantity(h.view),
    withdrawalsRoot: h.withdrawalsRoot,
    l1Origin: quantity(h.l1Origin),
    l1OriginHash: h.l1OriginHash,
  };
}

/** A committed block (execution-apis Block): its header, then transactions as hashes or, with `full`, as transaction objects. */
export async function formatBlock(b: RpcBlock, gasLimit: bigint, full: boolean, ctx: RpcContext): Promise<Record<string, unknown>> {
  const h = b.block.header;
  const place = { hash: b.hash, number: h.number, timestamp: h.timestamp, baseFee: h.baseFee };
  const transactions = full ? await Promise.all(b.rawTransactions.map((raw, index) => formatTransaction(raw, b.transactionHashes[index]!, { ...place, index }))) : b.transactionHashes;
  return {
    ...formatHeader(b, gasLimit, ctx),
    totalDifficulty: "0x0",
    size: quantity((b.block.payload.length - 2) / 2),
    transactions,
    uncles: [],
  };
}
