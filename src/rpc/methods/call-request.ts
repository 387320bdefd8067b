/**
 * The transaction object of eth_call / eth_estimateGas (execution-apis GenericTransaction):
 * checked at the boundary the way eth_sendRawTransaction would refuse the signed transaction
 * (gas under the intrinsic gas, a sender who cannot pay value + gas x price), then turned into the
 * transaction the EVM runs. Without `to` it is a creation; without `gas`, the block gas limit.
 */
import { decodeAbiParameters, zeroAddress, type Address, type Hex } from "viem";
import { minimumGasLimit, type EvmOutcome, type EvmTransaction, type StateOverride } from "../../execution/index.ts";
import type { RpcContext } from "../context.ts";
import { ExecutionRevertedError, InvalidInputError } from "../errors.ts";
import { addressParam, blockTagParam, dataParam, expectParams, invalidParams, quantity, quantityParam } from "../params.ts";
import { stateBlock } from "./block-tag.ts";
import { stateOverrideParam } from "./state-override.ts";

const UINT256_MAX = 2n ** 256n - 1n;
/** Error(string)'s selector: how Solidity's require/revert with a message encodes the reason. */
const ERROR_STRING = "0x08c379a0";

export interface CallRequest {
  readonly from: Address | undefined;
  /** null: a contract creation. */
  readonly to: Address | null;
  readonly value: bigint;
  /** undefined: the block gas limit. */
  readonly gas: bigint | undefined;
  readonly data: Hex;
  readonly accessList: EvmTransaction["accessList"];
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
}

function accessListParam(v: unknown): EvmTransaction["accessList"] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidParams("transaction.accessList must be an array", v);
  return v.map((entry, i) => {
    if (typeof entry !== "object" || entry === null || !Array.isArray((entry as { storageKeys?: unknown }).storageKeys)) {
      throw invalidParams(`transaction.accessList[${i}] must be { address, storageKeys }`, entry);
    }
    const e = entry as { address?: unknown; storageKeys: unknown[] };
    return {
      address: addressParam(e.address, `transaction.accessList[${i}].address`).toLowerCase() as Address,
      storageKeys: e.storageKeys.map((k, j) => {
        if (typeof k !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(k)) throw invalidParams(`transaction.accessList[${i}].storageKeys[${j}] must be 32 bytes of hex`, k);
        return k.toLowerCase() as Hex;
      }),
    };
  });
}

function checkCallRequest(v: unknown, ctx: RpcContext, overrides: StateOverride = new Map()): CallRequest {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalidParams("transaction must be an object", v);
  const o = v as Record<string, unknown>;
  const given = (k: string) => o[k] !== undefined && o[k] !== null;
  const from = given("from") ? (addressParam(o.from, "transaction.from").toLowerCase() as Address) : undefined;
  const to = given("to") ? (addressParam(o.to, "transaction.to").toLowerCase() as Address) : null;
  const value = given("value") ? quantityParam(o.value, "transaction.value", 0n, UINT256_MAX) : 0n;
  const gas = given("gas") ? quantityParam(o.gas, "transaction.gas") : undefined;
  const price = ["maxFeePerGas", "gasPrice"].map((k) => (given(k) ? quantityParam(o[k], `transaction.${k}`, 0n, UINT256_MAX) : undefined)).find((p) => p !== undefined) ?? 0n;
  const tip = given("maxPriorityFeePerGas") ? quantityParam(o.maxPriorityFeePerGas, "transaction.maxPriorityFeePerGas", 0n, UINT256_MAX) : price;
  if (tip > price) throw new InvalidInputError(`max priority fee per gas higher than max fee per gas: tip ${tip}, fee cap ${price}`, { code: "TIP_ABOVE_FEE_CAP" });
  const data = given("data") ? dataParam(o.data, "transaction.data") : undefined;
  const input = given("input") ? dataParam(o.input, "transaction.input") : undefined;
  if (data !== undefined && input !== undefined && data.toLowerCase() !== input.toLowerCase()) throw invalidParams("transaction.data and transaction.input differ", { data, input });
  const payload = (input ?? data ?? "0x").toLowerCase() as Hex;
  const accessList = accessListParam(o.accessList);
  const minimum = minimumGasLimit({ to, data: payload, accessList });
  if (gas !== undefined && gas < minimum) throw new InvalidInputError(`intrinsic gas too low: gas ${gas}, this transaction needs at least ${minimum}`, { code: "INTRINSIC_GAS_TOO_LOW" });
  if (gas !== undefined && gas > ctx.blockGasLimit) throw new InvalidInputError(`gas ${gas} above the block gas limit ${ctx.blockGasLimit}`, { code: "GAS_LIMIT_TOO_HIGH" });
  if (from !== undefined) {
    const balance = overrides.get(from)?.balance ?? ctx.account(from, false).balance;
    const cost = value + (gas ?? minimum) * price;
    if (balance < cost) throw new InvalidInputError(`insufficient funds for gas * price + value: balance ${balance}, cost ${cost} (${from})`, { code: "INSUFFICIENT_FUNDS", balance: quantity(balance), cost: quantity(cost) });
  }
  return { from, to, value, gas, data: payload, accessList, maxFeePerGas: price, maxPriorityFeePerGas: tip };
}

/**
 * The parameters eth_call and eth_estimateGas share, `[transaction, block?, stateOverrides?]`:
 * the block whose state the call reads (block-tag.ts), the overrides on top, and the checked call.
 */
export function callParams(params: readonly unknown[], ctx: RpcContext): { at: bigint; overrides: StateOverride; request: CallRequest } {
  expectParams(params, 1, 3, "[transaction, block?, stateOverrides?]");
  const at = stateBlock(blockTagParam(params[1] ?? undefined, "block"), ctx);
  const overrides = stateOverrideParam(params[2], "stateOverrides");
  return { at, overrides, request: checkCallRequest(params[0], ctx, overrides) };
}

/** The transaction the EVM runs for `request` with gas limit `gas` (nonce and balance go unchecked). */
export function callTransaction(request: CallRequest, gas: bigint): EvmTransaction {
  return {
    type: "eip1559",
    from: request.from ?? zeroAddress,
    to: request.to,
    nonce: 0n,
    value: request.value,
    gasLimit: gas,
    maxFeePerGas: request.maxFeePerGas,
    maxPriorityFeePerGas: request.maxPriorityFeePerGas,
    data: request.data,
    accessList: request.accessList,
  };
}

/** A failed call as geth reports it: a revert with code 3 and its data, anything else as -32000. */
export function callFailure(outcome: EvmOutcome): Error {
  if (outcome.kind === "invalid") return new InvalidInputError(outcome.reason, { code: "EVM_REFUSED" });
  if (outcome.error === "revert") return new ExecutionRevertedError(revertReason(outcome.returnData), outcome.returnData);
  return new InvalidInputError(outcome.error ?? "execution failed", { code: "EXECUTION_FAILED" });
}

/** The message of an Error(string) revert, when the data is one. */
export function revertReason(data: Hex): string | undefined {
  if (!data.startsWith(ERROR_STRING)) return undefined;
  try {
    return decodeAbiParameters([{ type: "string" }], `0x${data.slice(10)}`)[0];
  } catch {
    return undefined;
  }
}
