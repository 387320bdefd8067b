/** Parameter checks at the RPC boundary: each refusal is -32602 naming the parameter and value. */
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { invalidParams } from "./errors.ts";

export { invalidParams };

export function expectParams(params: readonly unknown[], min: number, max: number, usage: string): void {
  if (params.length < min || params.length > max) throw invalidParams(`expected ${usage}`, params);
}

export function addressParam(v: unknown, name: string): Address {
  if (typeof v !== "string" || !isAddress(v, { strict: false })) throw invalidParams(`${name} must be a 20-byte 0x address`, v);
  return getAddress(v).toLowerCase() as Address;
}

export function hashParam(v: unknown, name: string): Hex {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw invalidParams(`${name} must be a 32-byte 0x hash`, v);
  return v.toLowerCase() as Hex;
}

export function dataParam(v: unknown, name: string): Hex {
  if (typeof v !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw invalidParams(`${name} must be 0x-prefixed hex bytes`, v);
  return v as Hex;
}

export type BlockTag = "latest" | "pending" | "safe" | "finalized" | "earliest" | bigint;

export function blockTagParam(v: unknown, name: string, fallback: BlockTag = "latest"): BlockTag {
  if (v === undefined) return fallback;
  if (v === "latest" || v === "pending" || v === "safe" || v === "finalized" || v === "earliest") return v;
  if (typeof v === "string" && /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,15})$/.test(v)) return BigInt(v);
  throw invalidParams(`${name} must be a block number (0x quantity) or latest, pending, safe, finalized, earliest`, v);
}

export function booleanParam(v: unknown, name: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") throw invalidParams(`${name} must be a boolean`, v);
  return v;
}

/** A quantity as JSON-RPC writes it: 0x-hex without leading zeros. */
export function quantity(v: bigint | number): Hex {
  return `0x${v.toString(16)}`;
}

/** A 0x quantity (no leading zeros, at most 256 bits) or a JSON integer, within [min, max]. */
export function quantityParam(v: unknown, name: string, min = 0n, max = 2n ** 64n - 1n): bigint {
  let n: bigint | undefined;
  if (typeof v === "string" && /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/.test(v)) n = BigInt(v);
  else if (typeof v === "number" && Number.isSafeInteger(v)) n = BigInt(v);
  if (n === undefined || n < min || n > max) throw invalidParams(`${name} must be a quantity from ${min} to ${max}`, v);
  return n;
}

/** A block named by number / tag, or by its 32-byte hash (rollup methods take either). */
export function blockRefParam(v: unknown, name: string): BlockTag | { hash: Hex } {
  if (typeof v === "string" && /^0x[0-9a-fA-F]{64}$/.test(v)) return { hash: v.toLowerCase() as Hex };
  if (typeof v === "string" && (/^0x[0-9a-fA-F]{0,16}$/.test(v) || /^[a-z]+$/.test(v))) {
    try {
      return blockTagParam(v, name);
    } catch {
      // fall through to the message that names both forms
    }
  }
  throw invalidParams(`${name} must be a block number (0x quantity), a tag or a 32-byte 0x hash`, v);
}

/** A JSON object parameter (a call, a filter), with the keys it may have. */
export function objectParam(v: unknown, name: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalidParams(`${name} must be an object`, v);
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw invalidParams(`${name}.${k} is not a known field (known: ${keys.join(", ")})`, (v as Record<string, unknown>)[k]);
  return v as Record<string, unknown>;
}
