import type { Hex } from "viem";
import type { RpcContext } from "../context.ts";
import { quantity } from "../params.ts";

/**
 * How final committed block `number` (hash `hash`, on this member's chain) is:
 *   committed  committed by the committee (two-chain rule): final on L2, not yet settled on L1;
 *   finalized  settled on L1: its number is at most L1's finalized number and the finalized head
 *              is on this member's canonical chain. `l1` is the transaction and L1 block of the
 *              batch that settled this block (the L1 follower's record); for the finalized head
 *              itself the store's fact names it too. The genesis was never settled by a batch:
 *              it is finalized without `l1`.
 */
export function blockFinality(number: bigint, hash: Hex, ctx: RpcContext): { status: "committed" | "finalized"; block: { number: Hex; hash: Hex }; l1?: { transactionHash: Hex; blockNumber: Hex } } {
  const block = { number: quantity(number), hash };
  const f = ctx.finality();
  if (f === undefined || number > f.number) return { status: "committed", block };
  // L1's hash must be this member's block: finality of another fork (which a correct committee
  // never produces) must not be reported for our blocks. L1's hash at this height when the
  // follower has it; else the finalized head's, which this member may not have committed yet.
  const settled = ctx.settlement(number) ?? (number === f.number ? { hash: f.hash, l1TxHash: f.l1TxHash, l1Block: f.l1Block } : undefined);
  const onOurChain = settled?.hash !== undefined ? settled.hash.toLowerCase() === hash.toLowerCase() : ctx.blockByNumber(f.number)?.hash.toLowerCase() === f.hash.toLowerCase();
  if (!onOurChain) return { status: "committed", block };
  if (settled === undefined) return { status: "finalized", block };
  return { status: "finalized", block, l1: { transactionHash: settled.l1TxHash, blockNumber: quantity(settled.l1Block) } };
}
