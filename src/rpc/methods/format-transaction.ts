import { hexToBigInt, parseTransaction, recoverTransactionAddress, type Hex } from "viem";
import { quantity } from "../params.ts";

const TYPE = { legacy: "0x0", eip2930: "0x1", eip1559: "0x2" } as const;

/** Where a committed transaction sits; its block's timestamp and base fee complete the object. */
export interface TransactionPosition {
  readonly hash: Hex;
  readonly number: bigint;
  readonly index: number;
  readonly timestamp: bigint;
  readonly baseFee: bigint;
}

/**
 * A raw L2 transaction in execution-apis' TransactionInfo shape (eth_getTransactionByHash, full
 * blocks). The spec is strict where clients differ: typed transactions carry `yParity` and a `v`
 * equal to it (EIP-2718 types have no EIP-155 v), legacy ones their EIP-155 `v`; `r` and `s` are
 * quantities (no leading zeros); an included EIP-1559 transaction's `gasPrice` is what it paid per
 * gas (base fee plus its capped tip), a pending one's its max fee. A pending transaction has null
 * block fields (as geth and every client that reads them expect), which the spec's schema does
 * not describe.
 */
export async function formatTransaction(raw: Hex, hash: Hex, block: TransactionPosition | undefined): Promise<Record<string, unknown>> {
  const tx = parseTransaction(raw);
  const type = (tx.type ?? "legacy") as keyof typeof TYPE;
  const from = await recoverTransactionAddress({ serializedTransaction: raw as Parameters<typeof recoverTransactionAddress>[0]["serializedTransaction"] });
  const typed = tx.type === "eip1559" || tx.type === "eip2930";
  const yParity = tx.yParity ?? 0;
  let gasPrice: bigint;
  if (tx.type === "eip1559") {
    const maxFee = tx.maxFeePerGas ?? 0n;
    const tip = tx.maxPriorityFeePerGas ?? 0n;
    gasPrice = block === undefined ? maxFee : block.baseFee + tip < maxFee ? block.baseFee + tip : maxFee;
  } else {
    gasPrice = tx.gasPrice ?? 0n;
  }
  return {
    hash,
    type: TYPE[type],
    ...(tx.chainId === undefined ? {} : { chainId: quantity(tx.chainId) }),
    nonce: quantity(tx.nonce ?? 0),
    from: from.toLowerCase(),
    to: tx.to?.toLowerCase() ?? null,
    value: quantity(tx.value ?? 0n),
    gas: quantity(tx.gas ?? 0n),
    gasPrice: quantity(gasPrice),
    ...(tx.type === "eip1559" ? { maxFeePerGas: quantity(tx.maxFeePerGas ?? 0n), maxPriorityFeePerGas: quantity(tx.maxPriorityFeePerGas ?? 0n) } : {}),
    ...(typed ? { accessList: tx.accessList ?? [] } : {}),
    input: tx.data ?? "0x",
    v: typed ? quantity(yParity) : quantity(tx.v ?? 0n),
    ...(typed ? { yParity: quantity(yParity) } : {}),
    r: quantity(hexToBigInt(tx.r ?? "0x0")),
    s: quantity(hexToBigInt(tx.s ?? "0x0")),
    blockHash: block?.hash ?? null,
    blockNumber: block === undefined ? null : quantity(block.number),
    blockTimestamp: block === undefined ? null : quantity(block.timestamp),
    transactionIndex: block === undefined ? null : quantity(block.index),
  };
}
