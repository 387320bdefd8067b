import type { Hex } from "viem";
import { invalidParams } from "../params.ts";

/** A storage position as 32-byte lower-case hex: clients send quantities ("0x0") and 32-byte data alike. */
export function storageSlotParam(v: unknown, name: string): Hex {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw invalidParams(`${name} must be 0x hex of at most 32 bytes`, v);
  return `0x${v.slice(2).toLowerCase().padStart(64, "0")}`;
}
