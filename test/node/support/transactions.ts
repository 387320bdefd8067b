/** Signed L2 transfers from the devnet's dev accounts, for node tests. */
import { parseGwei, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevAccount } from "../../../src/node/devnet.ts";

export async function signTransfer(from: DevAccount, o: { chainId: bigint; to: Address; value: bigint; nonce: number }): Promise<Hex> {
  return await privateKeyToAccount(from.privateKey).signTransaction({
    type: "eip1559",
    chainId: Number(o.chainId),
    to: o.to,
    value: o.value,
    nonce: o.nonce,
    gas: 21_000n,
    maxFeePerGas: parseGwei("100"),
    maxPriorityFeePerGas: parseGwei("1"),
  });
}
