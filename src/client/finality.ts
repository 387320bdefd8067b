/**
 * Where a transaction stands, read from both sides: the L2 (its receipt and block, and
 * rollup_getFinality for the L1 transaction that settled it) and the Rollup contract on L1,
 * which is the last word: "finalized" means `Rollup.isFinalized(number, hash)` answered true
 * on L1 itself, whatever the L2 says. The settlement transaction the L2 names is checked on L1
 * too (its receipt must carry the Rollup's BatchSettled over a range holding the block).
 */
import { parseEventLogs, type Address, type Hex } from "viem";
import { ROLLUP_ABI } from "../settlement/abi.ts";
import type { Endpoint } from "./endpoints.ts";
import { ClientError } from "./errors.ts";

export type FinalityStatus = "unknown" | "pending" | "committed" | "finalized";

export interface FinalityReport {
  readonly transactionHash: Hex;
  /**
   * unknown    the L2 has never seen it;
   * pending    the L2 holds it but no block has it yet;
   * committed  in an L2 block the committee committed, not (yet) final on L1;
   * finalized  its block is final on L1 (Rollup.isFinalized, read from L1).
   */
  readonly status: FinalityStatus;
  readonly block?: { readonly number: bigint; readonly hash: Hex };
  readonly l1?: {
    readonly rollup: Address;
    readonly isFinalized: boolean;
    readonly finalizedHead: { readonly number: bigint; readonly hash: Hex };
    /** The L1 transaction and block that settled the batch holding the block (finalized only; null when the L2 does not name one L1 confirms). */
    readonly settlement?: { readonly transactionHash: Hex; readonly blockNumber: bigint } | null;
  };
}

interface RpcFinality {
  readonly status: string;
  readonly l1?: { readonly transactionHash: Hex; readonly blockNumber: Hex };
}

export async function checkFinality(o: { l2: Endpoint; l1: Endpoint; rollup: Address; transactionHash: Hex }): Promise<FinalityReport> {
  const { l2, l1, rollup, transactionHash } = o;
  const receipt = await l2.client.request({ method: "eth_getTransactionReceipt", params: [transactionHash] });
  if (receipt === null) {
    const tx = await l2.client.request({ method: "eth_getTransactionByHash", params: [transactionHash] });
    return { transactionHash, status: tx === null ? "unknown" : "pending" };
  }
  const number = BigInt(receipt.blockNumber);
  const block = await l2.client.getBlock({ blockNumber: number });
  if (block.hash.toLowerCase() !== receipt.blockHash.toLowerCase()) {
    throw new ClientError("NOT_FOUND", `the L2 at ${l2.url} puts ${transactionHash} in block ${number} ${receipt.blockHash}, but serves ${block.hash} at that height`);
  }
  const read = (functionName: "isFinalized" | "finalizedHead", args: readonly unknown[] = []) => l1.client.readContract({ address: rollup, abi: ROLLUP_ABI, functionName, args });
  const [isFinalized, head] = await Promise.all([read("isFinalized", [number, block.hash]) as Promise<boolean>, read("finalizedHead") as Promise<readonly [bigint, Hex]>]);
  const l1Side = { rollup, isFinalized, finalizedHead: { number: head[0], hash: head[1] } };
  const where = { number, hash: block.hash };
  if (!isFinalized) return { transactionHash, status: "committed", block: where, l1: l1Side };
  const claimed = (await l2.client.request({ method: "rollup_getFinality" as never, params: [transactionHash] as never })) as RpcFinality | null;
  const settlement = claimed?.l1 === undefined ? null : await confirmSettlement(l1, rollup, number, claimed.l1.transactionHash);
  return { transactionHash, status: "finalized", block: where, l1: { ...l1Side, settlement } };
}

/** The L1 transaction, if its receipt shows the Rollup settling a batch that holds block `number`. */
async function confirmSettlement(l1: Endpoint, rollup: Address, number: bigint, hash: Hex): Promise<{ transactionHash: Hex; blockNumber: bigint } | null> {
  const receipt = await l1.client.getTransactionReceipt({ hash }).catch(() => undefined);
  if (receipt === undefined || receipt.status !== "success") return null;
  const batches = parseEventLogs({ abi: ROLLUP_ABI, eventName: "BatchSettled", logs: receipt.logs }).filter((l) => l.address.toLowerCase() === rollup.toLowerCase());
  const holds = batches.some((l) => {
    const a = l.args as unknown as { firstNumber: bigint; lastNumber: bigint };
    return a.firstNumber <= number && number <= a.lastNumber;
  });
  return holds ? { transactionHash: hash, blockNumber: receipt.blockNumber } : null;
}
