/**
 * EIP-1559 base fee: each block's base fee follows from its parent's, moving toward the gas target
 * (half the limit) by at most 1/8 per block. Burned, not paid to the proposer, so a proposer gains
 * nothing by stuffing its own blocks with transactions to raise fees.
 *
 *   used == target: parent base fee
 *   used  > target: parent + max(1, parent * (used - target) / target / 8)
 *   used  < target: parent - parent * (target - used) / target / 8
 *
 * (integer division, exactly as geth's CalcBaseFee; the genesis block carries the initial fee.)
 */
import { BASE_FEE_MAX_CHANGE_DENOMINATOR, ELASTICITY_MULTIPLIER } from "./config.ts";

export function computeBaseFee(parentBaseFee: bigint, parentGasUsed: bigint, gasLimit: bigint): bigint {
  const target = gasLimit / ELASTICITY_MULTIPLIER;
  if (parentGasUsed === target) return parentBaseFee;
  if (parentGasUsed > target) {
    const delta = (parentBaseFee * (parentGasUsed - target)) / target / BASE_FEE_MAX_CHANGE_DENOMINATOR;
    return parentBaseFee + (delta > 1n ? delta : 1n);
  }
  const delta = (parentBaseFee * (target - parentGasUsed)) / target / BASE_FEE_MAX_CHANGE_DENOMINATOR;
  return parentBaseFee - delta;
}
