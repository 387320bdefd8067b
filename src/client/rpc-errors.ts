/**
 * What a JSON-RPC error answer said, out of a viem error: its EIP-1474 code (-32001 not found,
 * -32602 bad params...) and the node's own message, which viem keeps in `details` (its
 * shortMessage is a generic "Invalid parameters were provided to the RPC method.").
 */
import { BaseError } from "viem";

export function rpcErrorOf(error: unknown): { code: number; message: string } | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const found = error.walk((e) => typeof (e as { code?: unknown }).code === "number") as (BaseError & { code: number }) | null;
  if (found === null) return undefined;
  return { code: found.code, message: found.details || found.shortMessage };
}
