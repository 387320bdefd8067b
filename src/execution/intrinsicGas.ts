/**
 * The gas a transaction pays before its first opcode (Yellow Paper g0, as amended through Prague),
 * and the EIP-7623 calldata floor. Admission checks a transaction's gas limit against both, as
 * geth does, so a transaction that could never execute never enters the mempool; execution
 * (@ethereumjs/vm) charges the same amounts.
 *
 *   intrinsic = 21,000 (+ 32,000 for a creation)
 *             + 4 per zero byte and 16 per non-zero byte of data           (EIP-2028)
 *             + 2 per 32-byte word of init code, for a creation            (EIP-3860)
 *             + 2,400 per access-list address and 1,900 per storage key    (EIP-2930)
 *   floor     = 21,000 + 10 x (zero bytes + 4 x non-zero bytes)           (EIP-7623, Prague)
 */
import type { Hex } from "viem";

export const TX_BASE_GAS = 21_000n;
const CREATE_GAS = 32_000n;
const ZERO_BYTE_GAS = 4n;
const NONZERO_BYTE_GAS = 16n;
const INITCODE_WORD_GAS = 2n;
const ACCESS_LIST_ADDRESS_GAS = 2_400n;
const ACCESS_LIST_KEY_GAS = 1_900n;
const FLOOR_TOKEN_GAS = 10n;
/** EIP-3860: init code longer than this makes a creation transaction invalid. */
export const MAX_INITCODE_BYTES = 49_152;

export interface GasInputs {
  readonly to: unknown | null;
  readonly data: Hex;
  readonly accessList: readonly { readonly storageKeys: readonly Hex[] }[];
}

function countBytes(data: Hex): ByteCounts {
  let zeros = 0;
  let nonZeros = 0;
  for (let i = 2; i < data.length; i += 2) {
    if (data[i] === "0" && data[i + 1] === "0") zeros++;
    else nonZeros++;
  }
  return { zeros: BigInt(zeros), nonZeros: BigInt(nonZeros) };
}

type ByteCounts = { zeros: bigint; nonZeros: bigint };

function intrinsicGas(tx: GasInputs, { zeros, nonZeros }: ByteCounts): bigint {
  let gas = TX_BASE_GAS + zeros * ZERO_BYTE_GAS + nonZeros * NONZERO_BYTE_GAS;
  if (tx.to === null) {
    const length = BigInt((tx.data.length - 2) / 2);
    gas += CREATE_GAS + ((length + 31n) / 32n) * INITCODE_WORD_GAS;
  }
  for (const entry of tx.accessList) gas += ACCESS_LIST_ADDRESS_GAS + BigInt(entry.storageKeys.length) * ACCESS_LIST_KEY_GAS;
  return gas;
}

function calldataFloorGas({ zeros, nonZeros }: ByteCounts): bigint {
  return TX_BASE_GAS + (zeros + 4n * nonZeros) * FLOOR_TOKEN_GAS;
}

/** The least gas limit a transaction may carry: its intrinsic gas or its calldata floor. */
export function minimumGasLimit(tx: GasInputs): bigint {
  const bytes = countBytes(tx.data);
  const intrinsic = intrinsicGas(tx, bytes);
  const floor = calldataFloorGas(bytes);
  return intrinsic > floor ? intrinsic : floor;
}
