/**
 * The transaction object of eth_call / eth_estimateGas, checked the way eth_sendRawTransaction
 * would refuse the signed transaction: this L2 executes value transfers only, so a call without
 * `to` (contract creation) or with call data is refused with -32000 and the reason, as is a
 * sender who cannot pay value + gas * price.
 */
import type { Address } from "viem";
import { TRANSFER_GAS } from "../../execution/index.ts";
import type { RpcContext } from "../context.ts";
import { InvalidInputError } from "../errors.ts";
import { addressParam, dataParam, invalidParams, quantity, quantityParam } from "../params.ts";

const UINT256_MAX = 2n ** 256n - 1n;

export interface CallRequest {
  readonly from: Address | undefined;
  readonly to: Address;
  readonly value: bigint;
  readonly gas: bigint;
}

export function checkCallRequest(v: unknown, ctx: RpcContext): CallRequest {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalidParams("transaction must be an object", v);
  const o = v as Record<string, unknown>;
  const from = o.from === undefined || o.from === null ? undefined : addressParam(o.from, "transaction.from");
  const value = o.value === undefined || o.value === null ? 0n : quantityParam(o.value, "transaction.value", 0n, UINT256_MAX);
  const gas = o.gas === undefined || o.gas === null ? undefined : quantityParam(o.gas, "transaction.gas");
  const price = ["maxFeePerGas", "gasPrice"].map((k) => (o[k] === undefined || o[k] === null ? undefined : quantityParam(o[k], `transaction.${k}`, 0n, UINT256_MAX))).find((p) => p !== undefined) ?? 0n;
  if (o.maxPriorityFeePerGas !== undefined && o.maxPriorityFeePerGas !== null) quantityParam(o.maxPriorityFeePerGas, "transaction.maxPriorityFeePerGas", 0n, UINT256_MAX);
  const data = o.data === undefined || o.data === null ? undefined : dataParam(o.data, "transaction.data");
  const input = o.input === undefined || o.input === null ? undefined : dataParam(o.input, "transaction.input");
  if (data !== undefined && input !== undefined && data.toLowerCase() !== input.toLowerCase()) throw invalidParams("transaction.data and transaction.input differ", { data, input });
  if (o.to === undefined || o.to === null) throw new InvalidInputError("contract creation is not supported: this L2 executes value transfers only (transaction.to is missing)", { code: "CONTRACT_CREATION" });
  const to = addressParam(o.to, "transaction.to");
  const payload = input ?? data ?? "0x";
  if (payload !== "0x") throw new InvalidInputError(`call data is not supported: this L2 executes value transfers only (got ${(payload.length - 2) / 2} bytes of data)`, { code: "CALL_DATA" });
  if (Array.isArray(o.accessList) && o.accessList.length > 0) throw new InvalidInputError("access lists are not supported: a transfer touches no storage", { code: "ACCESS_LIST" });
  if (gas !== undefined && gas < TRANSFER_GAS) throw new InvalidInputError(`intrinsic gas too low: gas ${gas}, a transfer needs ${TRANSFER_GAS}`, { code: "INTRINSIC_GAS_TOO_LOW" });
  if (from !== undefined) {
    const balance = ctx.account(from, false).balance;
    const cost = value + (gas ?? TRANSFER_GAS) * price;
    if (balance < cost) throw new InvalidInputError(`insufficient funds for gas * price + value: balance ${balance}, cost ${cost} (${from})`, { code: "INSUFFICIENT_FUNDS", balance: quantity(balance), cost: quantity(cost) });
  }
  return { from, to, value, gas: gas ?? TRANSFER_GAS };
}
