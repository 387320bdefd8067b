/**
 * The third parameter of eth_call and eth_estimateGas, geth's state override set:
 *   { <address>: { balance?, nonce?, code?, state? | stateDiff? } }
 * where `state` and `stateDiff` map 32-byte slots to 32-byte values. A request carries at most
 * what the body limit lets through; each refusal names the field.
 */
import type { Address, Hex } from "viem";
import type { AccountOverride, StateOverride } from "../../execution/stateOverride.ts";
import { addressParam, dataParam, invalidParams, objectParam, quantityParam } from "../params.ts";

const UINT256_MAX = 2n ** 256n - 1n;
const WORD = /^0x[0-9a-fA-F]{64}$/;

function slotsParam(v: unknown, name: string): Map<Hex, bigint> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalidParams(`${name} must be an object of 32-byte slot: 32-byte value`, v);
  const slots = new Map<Hex, bigint>();
  for (const [slot, value] of Object.entries(v)) {
    if (!WORD.test(slot)) throw invalidParams(`${name} key ${slot} must be a 32-byte 0x slot`, slot);
    if (typeof value !== "string" || !WORD.test(value)) throw invalidParams(`${name}[${slot}] must be a 32-byte 0x value`, value);
    slots.set(slot.toLowerCase() as Hex, BigInt(value));
  }
  return slots;
}

export function stateOverrideParam(v: unknown, name: string): StateOverride {
  const overrides = new Map<Address, AccountOverride>();
  if (v === undefined || v === null) return overrides;
  if (typeof v !== "object" || Array.isArray(v)) throw invalidParams(`${name} must be an object keyed by address`, v);
  for (const [key, value] of Object.entries(v)) {
    const address = addressParam(key, `${name} key`);
    const at = `${name}[${key}]`;
    const o = objectParam(value, at, ["balance", "nonce", "code", "state", "stateDiff"]);
    const given = (k: string) => o[k] !== undefined && o[k] !== null;
    if (given("state") && given("stateDiff")) throw invalidParams(`${at} has both state and stateDiff: give one`, value);
    overrides.set(address, {
      ...(given("balance") ? { balance: quantityParam(o.balance, `${at}.balance`, 0n, UINT256_MAX) } : {}),
      ...(given("nonce") ? { nonce: quantityParam(o.nonce, `${at}.nonce`) } : {}),
      ...(given("code") ? { code: Buffer.from(dataParam(o.code, `${at}.code`).slice(2), "hex") } : {}),
      ...(given("state") ? { state: slotsParam(o.state, `${at}.state`) } : {}),
      ...(given("stateDiff") ? { stateDiff: slotsParam(o.stateDiff, `${at}.stateDiff`) } : {}),
    });
  }
  return overrides;
}
