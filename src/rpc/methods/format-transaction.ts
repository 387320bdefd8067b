import { parseTransaction, recoverTransactionAddress, type Hex } from "viem";
import { quantity } from "../params.ts";

const TYPE = { legacy: "0x0", eip2930: "0x1", eip1559: "0x2" } as const;

/** A raw L2 transfer in Ethereum's transaction-object shape (eth_getTransactionByHash, full blocks). */
export async function formatTransaction(raw: Hex, hash: Hex, block: { hash: Hex; number: bigint; index: number } | undefined): Promise<Record<string, unknown>> {
  const tx = parseTransaction(raw);
  const type = (tx.type ?? "legacy") as keyof typeof TYPE;
  const from = await recoverTransactionAddress({ serializedTransaction: raw as Parameters<typeof recoverTransactionAddress>[0]["serializedTransaction"] });
  const gasPrice = tx.type === "eip1559" ? tx.maxFeePerGas : tx.gasPrice;
  return {
    hash,
    type: TYPE[type],
    chainId: tx.chainId === undefined ? undefined : quantity(tx.chainId),
    nonce: quantity(tx.nonce ?? 0),
    from: from.toLowerCase(),
    to: tx.to?.toLowerCase() ?? null,
    value: quantity(tx.value ?? 0n),
    gas: quantity(tx.gas ?? 0n),
    gasPrice: quantity(gasPrice ?? 0n),
    ...(tx.type === "eip1559" ? { maxFeePerGas: quantity(tx.maxFeePerGas ?? 0n), maxPriorityFeePerGas: quantity(tx.maxPriorityFeePerGas ?? 0n) } : {}),
    ...(tx.type === "eip1559" || tx.type === "eip2930" ? { accessList: tx.accessList ?? [] } : {}),
    input: "0x",
    v: quantity(tx.v ?? (tx.yParity === undefined ? 0n : BigInt(tx.yParity))),
    ...(tx.yParity === undefined ? {} : { yParity: quantity(tx.yParity) }),
    r: tx.r as Hex,
    s: tx.s as Hex,
    blockHash: block?.hash ?? null,
    blockNumber: block === undefined ? null : quantity(block.number),
    transactionIndex: block === undefined ? null : quantity(block.index),
  };
}
